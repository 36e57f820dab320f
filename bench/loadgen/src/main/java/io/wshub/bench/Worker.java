package io.wshub.bench;

import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.epoll.EpollIoHandler;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;

/**
 * One load generator process: holds up to a few thousand connections on one event loop and
 * obeys line commands from the {@link Coordinator} on stdin, answering with {@code @} lines.
 * All bench state is confined to the event loop; the command thread reads it through
 * {@link #onLoop}.
 */
public final class Worker implements Client.Listener {
    private static final long JOIN_SEQNO = 1;

    private enum Phase { IDLE, JOIN, ECHO, PUBLISH }

    private final Proto proto;
    private final String[] sourceIps;
    private final int baseIndex;
    private final EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, EpollIoHandler.newFactory());
    private final EventLoop loop = group.next();
    private final Dialer dialer;
    private final ByteBufAllocator alloc = PooledByteBufAllocator.DEFAULT;

    // Everything below is touched only on the event loop.
    private final List<Client> clients = new ArrayList<>();
    private Phase phase = Phase.IDLE;
    private int toOpen;
    private int opened;
    private int ready;
    private int failed;
    private String firstFailure;
    private long lastReadyMicros;
    private long drops;
    private long errors;
    private long unexpected;
    // join
    private int joined;
    // echo
    private EchoDriver echo;
    private final Deliveries deliveries = new Deliveries();
    // publishing
    private Publisher publisher;

    private Worker(Args args) {
        proto = Proto.named(args.str("proto", "wshub"));
        sourceIps = args.str("src-ips", "127.0.0.2").split(",");
        baseIndex = args.integer("base", 0);
        dialer = new Dialer(group, URI.create(args.required("url")),
                new Jwt(args.str("secret", "wshub-bench-secret-0123456789abcdef")), proto);
    }

    public static void main(String[] argv) throws Exception {
        Worker worker = new Worker(new Args(argv));
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        String line;
        while ((line = in.readLine()) != null) {
            String[] cmd = line.trim().split(" ");
            if (cmd[0].equals("exit")) {
                break;
            }
            try {
                answer(worker.run(cmd));
            } catch (Exception e) {
                answer("error " + e.toString().replace('\n', ' '));
            }
        }
        worker.group.shutdownGracefully(0, 1, TimeUnit.SECONDS);
        System.exit(0);
    }

    private static void answer(String text) {
        System.out.println("@" + text);
        System.out.flush();
    }

    private String run(String[] cmd) throws Exception {
        switch (cmd[0]) {
            case "connect":
                return connect(Integer.parseInt(cmd[1]), Integer.parseInt(cmd[2]), Long.parseLong(cmd[3]));
            case "join":
                return join(cmd[1], Long.parseLong(cmd[2]));
            case "echo":
                return echo(Integer.parseInt(cmd[1]), Integer.parseInt(cmd[2]), Long.parseLong(cmd[3]),
                        Long.parseLong(cmd[4]), Integer.parseInt(cmd[5]));
            case "arm":
                return onLoop(() -> {
                    deliveries.arm();
                    return "armed";
                });
            case "collect":
                return collect(Long.parseLong(cmd[1]), Long.parseLong(cmd[2]));
            case "publish":
                return publish(cmd);
            case "stats":
                return onLoop(() -> "stats ready=" + countReady() + " drops=" + drops + " errors=" + errors
                        + " unexpected=" + unexpected);
            case "close":
                return close();
            default:
                throw new IllegalArgumentException("unknown command " + cmd[0]);
        }
    }

    // ---- connect ----

    private String connect(int count, int concurrency, long timeoutMillis) throws Exception {
        long startMicros = Clock.epochMicros();
        onLoop(() -> {
            toOpen += count;
            for (int i = 0; i < concurrency; i++) {
                openNext();
            }
            return null;
        });
        int target = onLoop(() -> toOpen);
        waitUntil(timeoutMillis, () -> ready + failed >= target);
        return onLoop(() -> "connected ok=" + ready + " failed=" + failed + " pending=" + (toOpen - ready - failed)
                + " start=" + startMicros + " end=" + lastReadyMicros
                + (firstFailure == null ? "" : " firstFailure=" + firstFailure.replace(' ', '_')));
    }

    private void openNext() {
        if (opened >= toOpen) {
            return;
        }
        int index = opened++;
        Client client = new Client(index, "u" + (baseIndex + index), proto, this);
        clients.add(client);
        dialer.dial(client, sourceIps[index % sourceIps.length]);
    }

    @Override
    public void onReady(Client client) {
        if (client.index >= 0) {
            ready++;
            lastReadyMicros = Clock.epochMicros();
            openNext();
        } else {
            publisher.onReady(client);
        }
    }

    @Override
    public void onFailed(Client client, String reason) {
        if (client.index >= 0) {
            failed++;
            if (firstFailure == null) {
                firstFailure = reason;
            }
            openNext();
        } else {
            errors++;
            publisher.onFailed(reason);
        }
    }

    @Override
    public void onDropped(Client client) {
        drops++;
    }

    @Override
    public void onError(Client client, Throwable cause) {
        errors++;
    }

    private int countReady() {
        int n = 0;
        for (Client c : clients) {
            if (c.ready && c.channel.isActive()) {
                n++;
            }
        }
        return n;
    }

    // ---- join ----

    private String join(String tag, long timeoutMillis) throws Exception {
        long errorsBefore = onLoop(() -> {
            phase = Phase.JOIN;
            joined = 0;
            for (Client c : clients) {
                if (c.ready) {
                    c.write(proto.join(alloc, JOIN_SEQNO, tag));
                    c.flush();
                }
            }
            return errors;
        });
        int target = onLoop(this::countReady);
        waitUntil(timeoutMillis, () -> joined + (errors - errorsBefore) >= target);
        return onLoop(() -> {
            phase = Phase.IDLE;
            return "joined ok=" + joined + " of=" + target + " errors=" + (errors - errorsBefore);
        });
    }

    // ---- echo ----

    private String echo(int conns, int inflight, long warmupMillis, long measureMillis, int payloadBytes)
            throws Exception {
        long errorsBefore = onLoop(() -> {
            phase = Phase.ECHO;
            echo = new EchoDriver(proto, alloc, inflight, payloadBytes);
            echo.start(clients, conns);
            return errors;
        });
        Thread.sleep(warmupMillis);
        long[] window = new long[2];
        onLoop(() -> {
            echo.measuring = true;
            window[0] = System.nanoTime();
            return null;
        });
        Thread.sleep(measureMillis);
        onLoop(() -> {
            echo.measuring = false;
            echo.stopping = true;
            window[1] = System.nanoTime();
            return null;
        });
        waitUntil(10_000, () -> echo.outstanding == 0);
        return onLoop(() -> {
            phase = Phase.IDLE;
            return "echo count=" + echo.count + " micros=" + (window[1] - window[0]) / 1000
                    + " errors=" + (errors - errorsBefore + echo.errors) + " timeouts=" + echo.outstanding
                    + " hist=" + Hist.encode(echo.hist);
        });
    }

    // ---- replies and deliveries ----

    @Override
    public void onReply(Client client, long seqno, boolean ok, ByteBuf text) {
        if (client.index < 0) {
            publisher.onReply(client, seqno, ok, text);
            return;
        }
        switch (phase) {
            case JOIN:
                if (ok && seqno == JOIN_SEQNO) {
                    joined++;
                } else {
                    errors++;
                }
                break;
            case ECHO:
                echo.onReply(client, seqno, ok);
                break;
            default:
                unexpected++;
        }
    }

    @Override
    public void onDelivery(Client client, long sentMicros) {
        deliveries.record(sentMicros);
    }

    private String collect(long expected, long timeoutMillis) throws Exception {
        // Stop early when nothing arrives for a while: what is missing by then is lost.
        long[] last = {-1, System.currentTimeMillis()};
        waitUntil(timeoutMillis, () -> {
            if (deliveries.count != last[0]) {
                last[0] = deliveries.count;
                last[1] = System.currentTimeMillis();
            }
            return deliveries.count >= expected || System.currentTimeMillis() - last[1] > 5_000;
        });
        return onLoop(() -> {
            deliveries.disarm();
            errors += deliveries.invalid;
            return "delivered expected=" + expected + " errors=" + errors + " drops=" + drops + " "
                    + deliveries.summary();
        });
    }

    // ---- publish ----

    /** publish ws|http|httpuser TAG COUNT WINDOW TIMEOUT_MS [API_BASE API_KEY USER_FROM USER_TO] */
    private String publish(String[] cmd) throws Exception {
        String mode = cmd[1];
        String tag = cmd[2];
        int count = Integer.parseInt(cmd[3]);
        int window = Integer.parseInt(cmd[4]);
        long timeoutMillis = Long.parseLong(cmd[5]);
        onLoop(() -> {
            phase = Phase.PUBLISH;
            if (mode.equals("ws")) {
                publisher = new Publisher.OverWebSocket(this, tag, count, window);
            } else {
                int userFrom = cmd.length > 8 ? Integer.parseInt(cmd[8]) : 0;
                int userTo = cmd.length > 9 ? Integer.parseInt(cmd[9]) : 0;
                publisher = new Publisher.OverHttp(this, URI.create(cmd[6]), cmd[7], mode.equals("httpuser"),
                        tag, count, window, userFrom, userTo);
            }
            publisher.start();
            return null;
        });
        waitUntil(timeoutMillis, () -> publisher.done());
        return onLoop(() -> {
            phase = Phase.IDLE;
            return publisher.summary();
        });
    }

    /** Opens the publisher's own WebSocket (index -1: not one of the measured connections). */
    Client openPublisherSocket() {
        Client client = new Client(-1, "publisher", proto, this);
        dialer.dial(client, sourceIps[0]);
        return client;
    }

    Proto proto() {
        return proto;
    }

    ByteBufAllocator alloc() {
        return alloc;
    }

    Bootstrap bootstrap() {
        return dialer.bootstrap();
    }

    void countError() {
        errors++;
    }

    // ---- close ----

    private String close() throws Exception {
        onLoop(() -> {
            for (Client c : clients) {
                c.closing = true;
                if (c.channel != null) {
                    c.channel.close();
                }
            }
            return null;
        });
        waitUntil(10_000, () -> {
            for (Client c : clients) {
                if (c.channel != null && c.channel.isOpen()) {
                    return false;
                }
            }
            return true;
        });
        return onLoop(() -> {
            String summary = "closed drops=" + drops + " errors=" + errors + " unexpected=" + unexpected;
            clients.clear();
            toOpen = opened = ready = failed = 0;
            return summary;
        });
    }

    // ---- plumbing ----

    private <T> T onLoop(Callable<T> task) throws Exception {
        return loop.submit(task).get(30, TimeUnit.SECONDS);
    }

    private interface Condition {
        boolean met() throws Exception;
    }

    private void waitUntil(long timeoutMillis, Condition condition) throws Exception {
        long deadline = System.currentTimeMillis() + timeoutMillis;
        while (System.currentTimeMillis() < deadline) {
            if (onLoop(condition::met)) {
                return;
            }
            Thread.sleep(20);
        }
    }
}
