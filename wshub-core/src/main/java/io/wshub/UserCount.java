package io.wshub;

/** An online user and how many connections (devices) it has. */
public record UserCount(String userId, long connections) {}
