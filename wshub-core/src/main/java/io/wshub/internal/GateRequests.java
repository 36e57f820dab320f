package io.wshub.internal;

import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.QueryStringDecoder;
import io.wshub.ConnectGate;
import io.wshub.auth.Identity;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/** The {@link ConnectGate.Request} of an upgrade request. */
final class GateRequests {
    private GateRequests() {}

    static ConnectGate.Request of(FullHttpRequest req, String ip, Identity identity) {
        QueryStringDecoder uri = new QueryStringDecoder(req.uri());
        Map<String, String> headers = new LinkedHashMap<>();
        for (Map.Entry<String, String> h : req.headers()) {
            headers.putIfAbsent(h.getKey().toLowerCase(Locale.ROOT), h.getValue());
        }
        return new ConnectGate.Request(ip, headers, uri.parameters(), Upgrader.token(req, uri), identity);
    }
}
