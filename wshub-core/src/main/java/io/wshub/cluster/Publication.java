package io.wshub.cluster;

import io.wshub.protocol.RawJson;

/** One message kept by a history stream, at {@code offset} of its stream's epoch. */
public record Publication(long offset, String event, RawJson data) {}
