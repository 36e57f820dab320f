package io.wshub;

/** A tag and how many connections are in it. */
public record TagCount(String tag, long members) {}
