package io.wshub.server;

import com.fasterxml.jackson.databind.JsonNode;
import io.wshub.testing.RawUpgrade;
import io.wshub.testing.TestClient;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code --log-format json} and {@code --log-level debug}: one JSON object per line, lifecycle steps at INFO, refused upgrades at DEBUG. */
class LogsTest {
    @TempDir
    Path workDir;

    @Test
    void jsonLinesShowEachLifecycleStepAndRefusedHandshakes() throws Exception {
        Path log = workDir.resolve("wshub.log");
        Process p = ServerProcess.startLogging(workDir, log, "--port", "0", "--log-format", "json", "--log-level", "debug");
        try {
            int port = Integer.parseInt(ServerProcess.awaitLine(p, ServerProcess.DEV_READY).group(2));
            RawUpgrade.Answer refused = RawUpgrade.send(port, "/ws?token=not-a-jwt-secret-value", Map.of());
            assertThat(refused.status()).isEqualTo(401);
            p.destroy();
            assertThat(p.waitFor(20, TimeUnit.SECONDS)).isTrue();
            assertThat(p.exitValue()).isZero();
        } finally {
            p.destroyForcibly();
        }

        List<JsonNode> lines = new ArrayList<>();
        for (String line : Files.readAllLines(log)) {
            if (!line.isBlank()) {
                lines.add(TestClient.JSON.readTree(line)); // throws when a line is not JSON
            }
        }
        assertThat(lines).isNotEmpty();
        assertThat(lines).allSatisfy(l -> assertThat(l.path("level").asText()).isNotEmpty());
        assertThat(info(lines, "listening on 127.0.0.1:")).contains("paths=/ws").contains("auth=optional").contains("drainTimeout=");
        assertThat(info(lines, "draining")).contains("1001");
        assertThat(info(lines, "stopped")).isNotEmpty();
        String refusal = message(lines, "DEBUG", "upgrade refused");
        assertThat(refusal).contains("status=401", "reason=invalid_token", "address=127.0.0.1", "path=/ws")
                .as("the token stays out of logs").doesNotContain("not-a-jwt-secret-value");
    }

    private static String info(List<JsonNode> lines, String part) {
        return message(lines, "INFO", part);
    }

    private static String message(List<JsonNode> lines, String level, String part) {
        return lines.stream().filter(l -> l.path("level").asText().equals(level))
                .map(l -> l.path("formattedMessage").asText()).filter(m -> m.contains(part)).findFirst()
                .orElseThrow(() -> new AssertionError("no " + level + " line with '" + part + "' in " + lines));
    }
}
