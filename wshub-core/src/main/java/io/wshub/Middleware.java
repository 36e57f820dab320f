package io.wshub;

/**
 * Wraps every message before its handler: code before {@code next.run()} runs first, code
 * after it runs once the handler (and later middleware) returned. Not calling {@code next}
 * stops the message; reply with {@link Context#error} to tell the client why (403 is usual).
 */
@FunctionalInterface
public interface Middleware {
    void handle(Context ctx, Next next) throws Exception;

    /** The rest of the chain. */
    @FunctionalInterface
    interface Next {
        void run() throws Exception;
    }
}
