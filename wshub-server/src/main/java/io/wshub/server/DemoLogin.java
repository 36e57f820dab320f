package io.wshub.server;

import io.wshub.auth.HmacTokens;
import io.wshub.http.HttpException;
import io.wshub.http.HttpReply;
import io.wshub.http.HttpRoute;

import java.util.Map;
import java.util.regex.Pattern;

/** {@code POST /demo/token {"name"}}: a token for the chat demo. Only mounted when the demo is on. */
final class DemoLogin {
    private static final Pattern NAME = Pattern.compile("[\\p{L}\\p{N}_. -]{1,32}");

    private DemoLogin() {}

    static HttpRoute route(String secret) {
        return call -> {
            String name = call.json().path("name").asText("").trim();
            if (!NAME.matcher(name).matches()) {
                throw new HttpException(400, "name must be 1-32 letters, digits, spaces, '_', '.' or '-'");
            }
            String token = HmacTokens.issue(secret, name, Server.DEV_TOKEN_TTL);
            return HttpReply.ok(Map.of("userId", name, "token", token)).done();
        };
    }
}
