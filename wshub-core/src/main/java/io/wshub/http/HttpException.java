package io.wshub.http;

/** Thrown by a route to answer with {@code {"code":status,"message":...}}. Not logged. */
public final class HttpException extends RuntimeException {
    private final int status;

    public HttpException(int status, String message) {
        super(message, null, false, false);
        this.status = status;
    }

    public int status() {
        return status;
    }
}
