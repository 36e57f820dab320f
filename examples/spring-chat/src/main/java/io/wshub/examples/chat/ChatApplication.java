package io.wshub.examples.chat;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;

/**
 * A chat service: WebSocket clients join rooms and talk ({@link ChatHandlers}); the REST API
 * ({@link ChatController}) logs users in, pushes notices to a user's devices and reads a
 * room's recent messages. The hub is configured by {@code wshub.*} in application.yml.
 */
@SpringBootApplication
public class ChatApplication {
    public static void main(String[] args) {
        SpringApplication.run(ChatApplication.class, args);
    }
}
