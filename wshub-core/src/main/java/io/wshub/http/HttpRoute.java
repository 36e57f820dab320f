package io.wshub.http;

import java.util.concurrent.CompletionStage;

/**
 * Serves one HTTP route on the hub's port. Called on an event loop: do not block; return a
 * stage that completes later for slow work. A thrown exception answers 500.
 */
@FunctionalInterface
public interface HttpRoute {
    CompletionStage<HttpReply> handle(HttpCall call) throws Exception;
}
