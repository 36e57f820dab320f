package io.wshub.auth;

/** A token that is not acceptable; the message is sent to the client in the 401 answer. */
public final class AuthException extends Exception {
    public AuthException(String message) {
        super(message, null, false, false);
    }
}
