package io.wshub.proxy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.wshub.ConnectGate;

import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletionStage;
import java.util.stream.Collectors;

/**
 * The connect proxy (docs/backend.md "Connect proxy"): before the upgrade POSTs
 * {@code {ip, headers, query, token, claims}} (headers: only the allow-listed ones; claims:
 * when a JWT verified) and upgrades as the answer says: {@code {userId, tags, meta,
 * expiresAt}} lets the connection in, {@code {"code": 401|403, "message": ...}} refuses it.
 * A backend that fails or times out refuses with 502 or 504.
 */
public final class ConnectProxy implements ConnectGate {
    private static final String ROUTE = "connect";

    private final URI url;
    private final Duration timeout;
    private final Set<String> headers;
    private final Backend backend;

    /** @param headers request headers forwarded to the backend (case-insensitive); others stay here */
    public ConnectProxy(URI url, Duration timeout, List<String> headers, Backend backend) {
        new ProxyRoute(ROUTE, url, timeout); // validates url and timeout
        this.url = url;
        this.timeout = timeout == null ? ProxyRoute.DEFAULT_TIMEOUT : timeout;
        this.headers = headers.stream().map(h -> h.toLowerCase(Locale.ROOT)).collect(Collectors.toUnmodifiableSet());
        this.backend = backend;
    }

    @Override
    public CompletionStage<Decision> check(Request request) {
        byte[] body;
        try {
            body = Backend.JSON.writeValueAsBytes(payload(request));
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException("claims that cannot be written as JSON", e);
        }
        return backend.post("connect", ROUTE, url, timeout, body, ConnectProxy::wellFormed)
                .handle((answer, failure) -> {
                    if (failure != null) {
                        BackendException e = BackendException.of(failure);
                        return Decision.refuse(e.code(), e.getMessage());
                    }
                    return decision(answer);
                });
    }

    private ObjectNode payload(Request request) {
        ObjectNode out = Backend.JSON.createObjectNode();
        out.put("ip", request.ip());
        ObjectNode h = out.putObject("headers");
        request.headers().forEach((name, value) -> {
            if (headers.contains(name)) {
                h.put(name, value);
            }
        });
        ObjectNode q = out.putObject("query");
        request.query().forEach((name, values) -> {
            if (!name.equals("token") && !name.equals("authorization")) { // the token has its own field
                q.put(name, values.isEmpty() ? "" : values.get(0));
            }
        });
        out.put("token", request.token());
        out.set("claims", request.identity() == null ? null : Backend.JSON.valueToTree(request.identity().claims()));
        return out;
    }

    private static Decision decision(JsonNode answer) {
        int code = answer.path("code").asInt(0);
        if (code != 0) {
            String msg = answer.path("message").asText("");
            return Decision.refuse(code == 403 ? 403 : 401, msg.isEmpty() ? "connection refused" : msg);
        }
        List<String> tags = new ArrayList<>();
        answer.path("tags").forEach(t -> tags.add(t.asText()));
        JsonNode user = answer.get("userId");
        JsonNode exp = answer.get("expiresAt");
        @SuppressWarnings("unchecked")
        Map<String, Object> meta = answer.has("meta") ? Backend.JSON.convertValue(answer.get("meta"), Map.class) : null;
        return Decision.allow(user == null || user.isNull() ? null : user.asText(), tags, meta,
                exp == null || exp.asLong(0) <= 0 ? null : Instant.ofEpochSecond(exp.asLong()));
    }

    /** A refusal or {@code userId} a string or number, {@code tags} strings, {@code meta} an object, {@code expiresAt} seconds. */
    static boolean wellFormed(JsonNode a) {
        JsonNode code = a.get("code");
        if (code != null && !code.isNull() && (!code.isIntegralNumber() || code.asInt() != 0)) {
            return code.isIntegralNumber();
        }
        JsonNode user = a.get("userId");
        JsonNode tags = a.get("tags");
        JsonNode meta = a.get("meta");
        JsonNode exp = a.get("expiresAt");
        boolean tagsOk = tags == null || tags.isNull() || tags.isArray();
        if (tagsOk && tags != null) {
            for (JsonNode t : tags) {
                tagsOk &= t.isTextual() && !t.textValue().isEmpty();
            }
        }
        return (user == null || user.isNull() || user.isTextual() && !user.textValue().isEmpty() || user.isIntegralNumber())
                && tagsOk && (meta == null || meta.isNull() || meta.isObject())
                && (exp == null || exp.isNull() || exp.isIntegralNumber());
    }
}
