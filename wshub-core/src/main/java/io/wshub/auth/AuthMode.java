package io.wshub.auth;

/** Whether connections need a token (docs/protocol.md §2). */
public enum AuthMode {
    /** No token: 401 before the upgrade. */
    REQUIRED,
    /** Anonymous connections allowed; a token that is present must be valid. */
    OPTIONAL,
    /** Tokens are ignored; every connection is anonymous. */
    OFF
}
