package io.wshub.auth;

/**
 * Verifies a bearer token. Called once per upgrade request that carries a token, and for
 * each {@code refresh} event.
 */
public interface Authenticator {

    /**
     * @param token the token without any {@code Bearer } prefix
     * @return the identity it proves
     * @throws AuthException when the token is invalid, expired, not yet valid or names no user
     */
    Identity verify(String token) throws AuthException;

    /**
     * True when {@link #verify} may block (fetching keys over the network): the hub then calls
     * it on the worker pool instead of an event loop.
     */
    default boolean mayBlock() {
        return false;
    }
}
