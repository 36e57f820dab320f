package io.wshub.bench.peer.spring;

import io.wshub.bench.peer.Hs256;
import java.util.Map;
import org.springframework.http.HttpStatus;
import org.springframework.http.server.ServerHttpRequest;
import org.springframework.http.server.ServerHttpResponse;
import org.springframework.web.socket.WebSocketHandler;
import org.springframework.web.socket.server.HandshakeInterceptor;

/** Refuses the upgrade with 401 unless {@code ?token=} is a valid HS256 JWT. */
final class TokenInterceptor implements HandshakeInterceptor {
    private final Hs256 jwt;

    TokenInterceptor(Hs256 jwt) {
        this.jwt = jwt;
    }

    @Override
    public boolean beforeHandshake(ServerHttpRequest request, ServerHttpResponse response, WebSocketHandler handler,
                                   Map<String, Object> attributes) {
        String query = request.getURI().getRawQuery();
        String user = query == null ? null : jwt.verify(Hs256.queryParam(query, "token"));
        if (user == null) {
            response.setStatusCode(HttpStatus.UNAUTHORIZED);
            return false;
        }
        attributes.put("user", user);
        return true;
    }

    @Override
    public void afterHandshake(ServerHttpRequest request, ServerHttpResponse response, WebSocketHandler handler,
                               Exception exception) {
    }
}
