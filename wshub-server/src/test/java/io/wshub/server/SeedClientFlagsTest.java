package io.wshub.server;

import com.fasterxml.jackson.databind.JsonNode;
import io.wshub.FrameType;
import io.wshub.testing.FrameClient;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/** The seed-client flags of the real command reach the hub: --codec, --push-frames, --hotgo-send-path, --paths. */
class SeedClientFlagsTest {
    private static final Pattern READY = Pattern.compile("wshub listening on http://127\\.0\\.0\\.1:(\\d+) ws=/socket .*sampleToken=(\\S+)");

    @Test
    void wsrvWithTextPushesAndHotGosSendPath(@TempDir Path dir) throws Exception {
        Process p = ServerProcess.start(dir, "--port", "0",
                "--codec", "wsrv", "--push-frames", "text", "--paths", "/socket",
                "--hotgo-send-path", "/socket/send/toTag", "--api-key", "k1"); // its development secret file goes in dir
        try {
            Matcher ready = awaitReady(p);
            String port = ready.group(1);
            try (FrameClient c = FrameClient.connect(URI.create("ws://127.0.0.1:" + port + "/socket?token=" + ready.group(2)))) {
                assertThat(c.next(FrameType.TEXT).path("cmd").asText()).isEqualTo("connected"); // --push-frames text
                c.sendBinary("{\"cmd\":\"join\",\"seqno\":\"j\",\"data\":{\"id\":5}}");
                JsonNode joined = c.next(FrameType.BINARY); // a reply keeps the request's frame type
                assertThat(joined.path("data").toString()).isEqualTo("[\"5\"]");
                HttpResponse<String> sent = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build().send(HttpRequest.newBuilder(
                                URI.create("http://127.0.0.1:" + port + "/socket/send/toTag"))
                        .header("X-API-Key", "k1").POST(HttpRequest.BodyPublishers.ofString(
                                "{\"tag\":\"5\",\"response\":{\"event\":\"admin/x\",\"data\":1}}")).build(),
                        HttpResponse.BodyHandlers.ofString());
                assertThat(sent.body()).isEqualTo("{\"code\":0,\"data\":{\"delivered\":1}}");
                JsonNode push = c.next(FrameType.TEXT);
                assertThat(push.path("cmd").asText()).isEqualTo("admin/x");
                assertThat(push.path("data").path("data").asInt()).isEqualTo(1);
            }
        } finally {
            p.destroy();
            p.waitFor(10, TimeUnit.SECONDS);
        }
    }

    private static Matcher awaitReady(Process p) throws Exception {
        BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
        for (String line = out.readLine(); line != null; line = out.readLine()) {
            Matcher m = READY.matcher(line);
            if (m.find()) {
                return m;
            }
        }
        throw new AssertionError("no ready line; exit " + p.waitFor());
    }
}
