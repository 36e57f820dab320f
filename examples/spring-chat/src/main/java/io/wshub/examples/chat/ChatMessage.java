package io.wshub.examples.chat;

/** One chat line as stored and pushed: {@code at} is Unix seconds, as on the wire. */
public record ChatMessage(String room, String from, String text, long at) {}
