package io.wshub.proxy;

import io.wshub.WsException;

/**
 * A backend call that produced no usable answer; {@link #code} is what the client gets:
 * 429 (too many requests in flight), 502 (backend down, erroring or answering garbage) or
 * 504 (timeout). An expected outcome, not a bug: no stack trace.
 */
public final class BackendException extends WsException {
    public BackendException(int code, String message) {
        super(code, message);
    }

    /** The BackendException behind a failed stage's {@code failure}, or a 502 for anything else. */
    static BackendException of(Throwable failure) {
        Throwable cause = failure.getCause() != null ? failure.getCause() : failure;
        return cause instanceof BackendException b ? b : new BackendException(502, "backend unavailable");
    }
}
