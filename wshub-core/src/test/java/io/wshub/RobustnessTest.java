package io.wshub;

import io.wshub.auth.AuthMode;
import io.wshub.auth.Identity;
import io.wshub.protocol.Protocol;
import io.wshub.testing.RawUpgrade;
import io.wshub.testing.TestClient;
import io.wshub.testing.TestHub;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.time.Duration;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** What goes wrong at the edges: long reasons, failing code, bad and idle peers. */
class RobustnessTest {

    @Test
    void aKickReasonTooLongForACloseFrameStillClosesWith4000AndTheEventKeepsAllOfIt() {
        try (WsHub hub = TestHub.start(cfg -> {});
             TestClient c = TestClient.connect(TestHub.ws(hub, "k"))) {
            String id = c.connectedId();
            String reason = "违反规定".repeat(40); // 480 bytes of UTF-8; a close frame holds 123
            hub.kickClient(id, reason).toCompletableFuture().join();
            assertThat(c.next("kick").path("data").path("reason").asText()).isEqualTo(reason);
            assertThat(c.awaitClose()).isEqualTo(Protocol.CLOSE_KICKED);
            assertThat(reason).startsWith(c.closeReason());
            assertThat(c.closeReason().getBytes(java.nio.charset.StandardCharsets.UTF_8).length)
                    .isLessThanOrEqualTo(Protocol.MAX_CLOSE_REASON_BYTES);
        }
    }

    @Test
    void anAuthenticatorThatThrowsGets500AndLeaksNothing() {
        try (WsHub hub = TestHub.start(cfg -> cfg.authMode(AuthMode.REQUIRED).auth(token -> {
            if (token.equals("boom")) {
                throw new IllegalStateException("user store down");
            }
            return new Identity(token, null);
        }))) {
            RawUpgrade.Answer answer = RawUpgrade.send(hub.port(), "/ws?token=boom", Map.of());
            assertThat(answer.status()).isEqualTo(500);
            assertThat(answer.body()).isEqualTo("{\"code\":500,\"message\":\"authentication failed\"}");
            try (TestClient ok = TestClient.connect(TestHub.ws(hub).resolve("/ws?token=fine"))) {
                assertThat(ok.next("connected").path("data").path("userId").asText()).isEqualTo("fine");
            }
        }
    }

    @Test
    void anUpgradeWithoutAKeyGets400() throws IOException {
        try (WsHub hub = TestHub.start(cfg -> {});
             Socket s = new Socket("127.0.0.1", hub.port())) {
            s.getOutputStream().write(("GET /ws HTTP/1.1\r\nHost: x\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                    + "Sec-WebSocket-Version: 13\r\n\r\n").getBytes());
            String head = new String(s.getInputStream().readNBytes(12));
            assertThat(head).isEqualTo("HTTP/1.1 400");
        }
    }

    @Test
    void aConnectionThatNeverSendsARequestIsClosedAfterTheIdleTimeout() throws IOException {
        try (WsHub hub = TestHub.start(cfg -> cfg.idleTimeout(Duration.ofMillis(300)));
             Socket silent = new Socket("127.0.0.1", hub.port())) {
            silent.setSoTimeout(5000);
            InputStream in = silent.getInputStream();
            assertThat(in.read()).as("the server closed the socket").isEqualTo(-1);
        }
    }

    @Test
    void anErrorInABlockingHandlerAnswers500AndTheConnectionGoesOn() {
        try (WsHub hub = TestHub.configure(cfg -> {}).onBlocking("deep", ctx -> {
            throw new StackOverflowError("simulated");
        }).start(); TestClient c = TestClient.connect(TestHub.ws(hub))) {
            c.connectedId();
            assertThat(c.request("deep", null).path("code").asInt()).isEqualTo(500);
            assertThat(c.request("ping", null).path("code").asInt()).isZero();
        }
    }
}
