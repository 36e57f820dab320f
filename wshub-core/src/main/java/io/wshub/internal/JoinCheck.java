package io.wshub.internal;

import io.wshub.Context;
import io.wshub.JoinPolicy;
import io.wshub.WsException;
import io.wshub.protocol.Protocol;

import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/** A client's {@code join} under the hub's {@link JoinPolicy}: a refusal is 403 and changes nothing. */
final class JoinCheck {
    private JoinCheck() {}

    static void join(Context ctx, String tag, JoinPolicy policy, HubStreams streams) {
        CompletionStage<Boolean> allowed = policy.mayJoin(ctx.connection(), tag);
        CompletableFuture<Boolean> now = allowed.toCompletableFuture();
        if (now.isDone() && !now.isCompletedExceptionally()) {
            answer(ctx, tag, now.join(), streams);
            return;
        }
        ctx.async(allowed.handle((ok, failure) -> {
            Throwable cause = failure != null && failure.getCause() != null ? failure.getCause() : failure;
            if (cause instanceof WsException e) {
                ctx.error(e.code(), e.getMessage());
            } else if (failure != null) {
                ctx.error(Protocol.BAD_GATEWAY, "join check failed");
            } else {
                answer(ctx, tag, ok, streams);
            }
            return null;
        }));
    }

    private static void answer(Context ctx, String tag, Boolean ok, HubStreams streams) {
        if (!Boolean.TRUE.equals(ok)) {
            ctx.error(Protocol.FORBIDDEN, "join forbidden: " + tag);
            return;
        }
        if (streams.join(ctx, tag)) {
            return; // a tag with history: joined, and answered with its position once recovered
        }
        ctx.connection().join(tag);
        ctx.reply(new TreeSet<>(ctx.connection().tags()));
    }
}
