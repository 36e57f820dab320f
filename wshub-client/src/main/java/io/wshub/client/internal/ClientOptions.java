package io.wshub.client.internal;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.wshub.client.Backoff;
import io.wshub.client.ClientCodec;

import java.net.URI;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.function.Supplier;

/** The settled options of one client (see {@code WsHubClientBuilder} for their meaning); immutable. */
public record ClientOptions(URI uri, Supplier<String> tokens, boolean staticToken, ClientCodec codec, ObjectMapper mapper,
                            HttpClient http, Duration requestTimeout, Duration heartbeatInterval, Duration heartbeatTimeout,
                            Duration refreshBeforeExpiry, Duration connectTimeout, Backoff backoff, boolean reconnect,
                            int queueLimit, int outboundBufferBytes, int maxMessageChars) {}
