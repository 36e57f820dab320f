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

    static void join(Context ctx, String tag, JoinPolicy policy) {
        CompletionStage<Boolean> allowed = policy.mayJoin(ctx.connection(), tag);
        CompletableFuture<Boolean> now = allowed.toCompletableFuture();
        if (now.isDone() && !now.isCompletedExceptionally()) {
            answer(ctx, tag, now.join());
            return;
        }
        ctx.async(allowed.handle((ok, failure) -> {
            Throwable cause = failure != null && failure.getCause() != null ? failure.getCause() : failure;
            if (cause instanceof WsException e) {
                ctx.error(e.code(), e.getMessage());
            } else if (failure != null) {
                ctx.error(Protocol.BAD_GATEWAY, "join check failed");
            } else {
                answer(ctx, tag, ok);
            }
            return null;
        }));
    }

    private static void answer(Context ctx, String tag, Boolean ok) {
        if (!Boolean.TRUE.equals(ok)) {
            ctx.error(Protocol.FORBIDDEN, "join forbidden: " + tag);
            return;
        }
        ctx.connection().join(tag);
        ctx.reply(new TreeSet<>(ctx.connection().tags()));
    }
}
