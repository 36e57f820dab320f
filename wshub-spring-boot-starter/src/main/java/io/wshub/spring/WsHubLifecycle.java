package io.wshub.spring;

import io.wshub.WsHub;
import org.springframework.context.SmartLifecycle;

/**
 * Starts the hub with the application context and closes it (1001 to every client, drain) on
 * shutdown. Its phase is below the web server's, so the hub accepts connections before the
 * servlet container serves requests and is drained after the container stopped.
 */
final class WsHubLifecycle implements SmartLifecycle {
    /** Below the web server's lifecycles ({@code Integer.MAX_VALUE - 1} and less). */
    static final int PHASE = Integer.MAX_VALUE - 4096;

    private final WsHub hub;
    private volatile boolean running;

    WsHubLifecycle(WsHub hub) {
        this.hub = hub;
    }

    @Override
    public void start() {
        hub.start();
        running = true;
    }

    @Override
    public void stop() {
        running = false;
        hub.close();
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    @Override
    public int getPhase() {
        return PHASE;
    }
}
