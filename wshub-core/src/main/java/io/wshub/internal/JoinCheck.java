package io.wshub.internal;

import io.wshub.Context;
import io.wshub.JoinPolicy;
import io.wshub.Target;
import io.wshub.WsException;
import io.wshub.protocol.Protocol;

import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/** A client's {@code join} under the hub's {@link JoinPolicy}: a refusal is 403 and changes nothing. */
final class JoinCheck {
    private JoinCheck() {}

    static void join(Context ctx, String tag, JoinPolicy policy, HubStreams streams, SubscriptionBarrier barrier) {
        CompletionStage<Boolean> allowed = policy.mayJoin(ctx.connection(), tag);
        CompletableFuture<Boolean> now = allowed.toCompletableFuture();
        if (now.isDone() && !now.isCompletedExceptionally()) {
            CompletionStage<?> replied = answer(ctx, tag, now.join(), streams, barrier);
            if (!replied.toCompletableFuture().isDone()) {
                ctx.async(replied);
            }
            return;
        }
        ctx.async(allowed.<CompletionStage<?>>handle((ok, failure) -> {
            Throwable cause = failure != null && failure.getCause() != null ? failure.getCause() : failure;
            if (cause instanceof WsException e) {
                ctx.error(e.code(), e.getMessage());
            } else if (failure != null) {
                ctx.error(Protocol.BAD_GATEWAY, "join check failed");
            } else {
                return answer(ctx, tag, ok, streams, barrier);
            }
            return DONE;
        }).thenCompose(replied -> replied));
    }

    private static final CompletionStage<Void> DONE = CompletableFuture.completedFuture(null);

    /**
     * Joins when allowed; the stage completes once the reply went out: the reply waits until
     * sends to the tag reach this node (docs/protocol.md §6).
     */
    private static CompletionStage<?> answer(Context ctx, String tag, Boolean ok, HubStreams streams,
                                             SubscriptionBarrier barrier) {
        if (!Boolean.TRUE.equals(ok)) {
            ctx.error(Protocol.FORBIDDEN, "join forbidden: " + tag);
            return DONE;
        }
        if (streams.join(ctx, tag)) {
            return DONE; // a tag with history: joined, and answered with its position once recovered
        }
        ctx.connection().join(tag);
        CompletionStage<Void> ready = barrier.ready(Target.tag(tag));
        if (ready.toCompletableFuture().isDone()) {
            ctx.reply(new TreeSet<>(ctx.connection().tags()));
            return DONE;
        }
        return ready.handle((v, e) -> {
            ctx.reply(new TreeSet<>(ctx.connection().tags()));
            return null;
        });
    }
}
