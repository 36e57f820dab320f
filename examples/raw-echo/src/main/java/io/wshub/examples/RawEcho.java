package io.wshub.examples;

import io.wshub.WsHub;
import io.wshub.auth.AuthMode;

/**
 * The raw codec in a few lines: every text or binary frame a client sends comes back unchanged,
 * in its own frame type, as a GinSkeleton or gin+gorilla chat handler would see it. Run it with
 * {@code java -cp wshub-server/target/wshub.jar:examples/raw-echo/target/classes io.wshub.examples.RawEcho 9001};
 * conformance/run.sh drives it with the framing suite.
 */
public final class RawEcho {
    /** Room for the conformance run's largest messages (docs/conformance.md, group 9). */
    static final int MAX_MESSAGE_BYTES = 1024 * 1024;

    private RawEcho() {}

    /** Starts the echo on 127.0.0.1:{@code port} (0 = a free one), path {@code /ws}, no auth. */
    public static WsHub start(int port) {
        WsHub hub = WsHub.create(cfg -> cfg.host("127.0.0.1").port(port).codec("raw").authMode(AuthMode.OFF)
                .maxMessageBytes(MAX_MESSAGE_BYTES).outboundQueueBytes(4 * MAX_MESSAGE_BYTES));
        hub.onRaw(message -> message.reply(message.payload()));
        return hub.start();
    }

    public static void main(String[] args) {
        WsHub hub = start(args.length > 0 ? Integer.parseInt(args[0]) : 9001);
        Runtime.getRuntime().addShutdownHook(new Thread(hub::close));
        System.out.println("raw-echo listening on ws://127.0.0.1:" + hub.port() + "/ws");
    }
}
