package io.wshub.client.internal;

import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The one thread of a client: every state change, handler call and timer runs here, in order.
 * Daemon, so a client that was never closed does not keep the JVM alive.
 */
final class ClientThread implements Executor {
    private static final AtomicInteger COUNT = new AtomicInteger();
    private static final System.Logger LOG = System.getLogger("io.wshub.client");

    private final ScheduledThreadPoolExecutor executor;
    private volatile Thread thread;

    ClientThread() {
        String name = "wshub-client-" + COUNT.incrementAndGet();
        executor = new ScheduledThreadPoolExecutor(1, r -> {
            Thread t = new Thread(r, name);
            t.setDaemon(true);
            thread = t;
            return t;
        });
        // Cancelled timers (every settled request has one) leave the queue at once.
        executor.setRemoveOnCancelPolicy(true);
        // After close() no timer (a reconnect, a request timeout) may fire any more.
        executor.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
    }

    /** Runs {@code task} on the client thread; false once the client is shut down. */
    boolean run(Runnable task) {
        try {
            executor.execute(guarded(task));
            return true;
        } catch (RejectedExecutionException e) {
            return false;
        }
    }

    @Override
    public void execute(Runnable task) {
        if (!run(task)) {
            throw new RejectedExecutionException("client is closed");
        }
    }

    /** A timer on the client thread; null once shut down. */
    ScheduledFuture<?> schedule(Runnable task, long delayMs) {
        try {
            return executor.schedule(guarded(task), delayMs, TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException e) {
            return null;
        }
    }

    boolean isCurrent() {
        return Thread.currentThread() == thread;
    }

    void shutdown() {
        executor.shutdown();
    }

    /** A bug must not kill the client thread silently (a ScheduledExecutor swallows it into a future). */
    private static Runnable guarded(Runnable task) {
        return () -> {
            try {
                task.run();
            } catch (RuntimeException | Error e) {
                LOG.log(System.Logger.Level.ERROR, "wshub client: unexpected failure on the client thread", e);
            }
        };
    }
}
