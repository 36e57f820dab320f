package io.wshub.spring;

import io.wshub.Connection;
import io.wshub.Context;
import io.wshub.WsException;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.stereotype.Component;

import java.util.Map;

/** A small application with annotated handlers, as a user of the starter writes it. */
@SpringBootApplication
public class TestApplication {
    public record Chat(String room, String text) {}

    public record Ack(String room, String from, String thread) {}

    @Component
    static class ChatHandlers {
        @WsHandler("chat/send")
        Ack send(Chat chat, Context ctx) {
            if (chat.text() == null || chat.text().isBlank()) {
                throw new WsException(400, "text is required");
            }
            ctx.hub().sendToUser(ctx.requireUser(), "chat/message", chat);
            return new Ack(chat.room(), ctx.userId(), Thread.currentThread().getName());
        }

        @WsHandler(value = "report", blocking = true)
        Map<String, String> report(Connection conn) {
            return Map.of("thread", Thread.currentThread().getName(), "client", conn.id());
        }

        @WsHandler("silent")
        void silent(Context ctx) {
            ctx.reply(Map.of("replied", "by hand"));
        }
    }
}
