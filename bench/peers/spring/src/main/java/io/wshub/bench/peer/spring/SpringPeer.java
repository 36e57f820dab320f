package io.wshub.bench.peer.spring;

import io.wshub.bench.peer.Hs256;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.boot.web.context.WebServerApplicationContext;
import org.springframework.context.event.EventListener;
import org.springframework.web.socket.config.annotation.EnableWebSocket;
import org.springframework.web.socket.config.annotation.WebSocketConfigurer;
import org.springframework.web.socket.config.annotation.WebSocketHandlerRegistry;

/**
 * Bench peer (d): Spring Boot's plain WebSocket support (no STOMP), a raw
 * {@code TextWebSocketHandler} on Tomcat. Env: PORT, HOST, JWT_SECRET.
 */
@SpringBootApplication
@EnableWebSocket
public class SpringPeer implements WebSocketConfigurer {
    private final Hs256 jwt;

    public SpringPeer(@Value("${jwt.secret}") String secret) {
        this.jwt = new Hs256(secret);
    }

    public static void main(String[] args) {
        SpringApplication.run(SpringPeer.class, args);
    }

    @Override
    public void registerWebSocketHandlers(WebSocketHandlerRegistry registry) {
        registry.addHandler(new BenchHandler(), "/ws").addInterceptors(new TokenInterceptor(jwt))
                .setAllowedOrigins("*");
    }

    @EventListener
    public void ready(ApplicationReadyEvent event) {
        int port = ((WebServerApplicationContext) event.getApplicationContext()).getWebServer().getPort();
        System.out.println("spring peer listening on port " + port);
    }
}
