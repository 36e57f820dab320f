package io.wshub.server;

import io.wshub.testing.TestClient;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assumptions.assumeThat;

/**
 * The development setup: its secret and key survive a restart (owner-only file), and it listens
 * on loopback only (checked last: it is skipped on a machine with no other address).
 */
class DevDefaultsTest {
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @TempDir
    Path workDir;

    @Test
    void twoStartsWithNoOptionsAcceptTheSameTokenAndKey() throws Exception {
        Matcher first;
        Process p1 = ServerProcess.start(workDir, "--port", "0");
        try {
            first = ServerProcess.awaitLine(p1, ServerProcess.DEV_READY);
        } finally {
            stop(p1);
        }
        Path file = workDir.resolve(DevSecrets.DEFAULT_FILE).toRealPath();
        assertThat(Path.of(first.group(6)).toRealPath()).as("the ready line names the file").isEqualTo(file);
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
        assertThat(Files.readString(file)).contains(first.group(4));

        Process p2 = ServerProcess.start(workDir, "--port", "0");
        try {
            Matcher second = ServerProcess.awaitLine(p2, ServerProcess.DEV_READY);
            assertThat(second.group(4)).isEqualTo(first.group(4));
            String port = second.group(2);
            TestClient c = TestClient.connect(URI.create("ws://127.0.0.1:" + port + "/ws?token=" + first.group(5)));
            assertThat(c.next("connected").path("data").path("userId").asText()).as("the first run's token").isEqualTo("demo");
            HttpResponse<String> stats = HTTP.send(HttpRequest.newBuilder(URI.create(second.group(1) + "/api/stats"))
                    .header("X-API-Key", first.group(4)).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(stats.statusCode()).as("the first run's API key").isEqualTo(200);
            assertNotReachableFromOtherMachines(Integer.parseInt(port));
        } finally {
            stop(p2);
        }
    }

    /** Connects to the port on this machine's first non-loopback IPv4 address, when it has one: that must fail. */
    private static void assertNotReachableFromOtherMachines(int port) throws IOException {
        Optional<InetAddress> external = NetworkInterface.networkInterfaces().filter(DevDefaultsTest::up)
                .flatMap(NetworkInterface::inetAddresses)
                .filter(a -> a instanceof Inet4Address && !a.isLoopbackAddress() && !a.isLinkLocalAddress()).findFirst();
        assumeThat(external).as("a non-loopback IPv4 address to try").isPresent();
        try (Socket local = new Socket("127.0.0.1", port)) {
            assertThat(local.isConnected()).isTrue();
        }
        assertThatThrownBy(() -> {
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress(external.get(), port), 2000);
            }
        }).isInstanceOf(IOException.class);
    }

    private static boolean up(NetworkInterface n) {
        try {
            return n.isUp();
        } catch (IOException e) {
            return false;
        }
    }

    private static void stop(Process p) throws InterruptedException {
        p.destroy();
        if (!p.waitFor(15, TimeUnit.SECONDS)) {
            p.destroyForcibly();
        }
    }
}
