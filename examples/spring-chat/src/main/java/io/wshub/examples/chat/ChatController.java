package io.wshub.examples.chat;

import io.wshub.WsHub;
import io.wshub.auth.HmacTokens;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ResponseStatusException;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/** The REST side: the backend pushes to users through the hub bean. */
@RestController
public class ChatController {
    private final WsHub hub;
    private final ChatStore store;
    private final String secret;

    public ChatController(WsHub hub, ChatStore store, @Value("${wshub.jwt-secret}") String secret) {
        this.hub = hub;
        this.store = store;
        this.secret = secret;
    }

    public record Login(String user) {}

    public record Notice(String text) {}

    /** Demo only: hands a WebSocket token to anyone who names a user. A real service checks a password or SSO first. */
    @PostMapping("/login")
    public Map<String, Object> login(@RequestBody Login login) {
        if (login.user() == null || !login.user().matches("[A-Za-z0-9_-]{1,32}")) {
            throw new ResponseStatusException(HttpStatus.BAD_REQUEST, "user must be 1-32 letters, digits, _ or -");
        }
        return Map.of("token", HmacTokens.issue(secret, login.user(), Duration.ofHours(1)), "wsPort", hub.port());
    }

    /** Pushes a {@code notice} to every device of a user; answers how many connections got it. */
    @PostMapping("/api/users/{userId}/notices")
    public Map<String, Object> notify(@PathVariable String userId, @RequestBody Notice notice) {
        int delivered = hub.sendToUser(userId, "notice", Map.of("text", notice.text(), "at", Instant.now().getEpochSecond()));
        return Map.of("delivered", delivered);
    }

    @GetMapping("/api/rooms/{room}/messages")
    public List<ChatMessage> messages(@PathVariable String room) {
        return store.recent(room);
    }
}
