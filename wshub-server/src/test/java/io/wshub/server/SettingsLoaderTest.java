package io.wshub.server;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** docs/protocol.md §5: flags override env, env overrides the file; names derive from the flag. */
class SettingsLoaderTest {

    private static Settings load(Path file, Map<String, String> env, String... args) {
        Main main = new Main();
        CommandLine cli = new CommandLine(main);
        cli.parseArgs(args);
        return SettingsLoader.load(main.config != null ? main.config : file, env, cli.getCommandSpec());
    }

    @Test
    void flagsBeatEnvBeatFile(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("wshub.yaml");
        Files.writeString(file, """
                port: 7000
                codec: wsrv
                apiKey: from-file
                allowedOrigins: [https://a.example, https://b.example]
                idleTimeout: 90
                """);
        Settings s = load(file, Map.of("WSHUB_CODEC", "json", "WSHUB_PORT", "7100", "WSHUB_API_KEYS", "k1,k2"), "--port", "7200");
        assertThat(s.port).isEqualTo(7200);
        assertThat(s.codec).isEqualTo("json");
        assertThat(s.apiKeys).containsExactly("k1", "k2");
        assertThat(s.allowedOrigins).containsExactly("https://a.example", "https://b.example");
        assertThat(s.idleTimeout).isEqualTo(90);
        assertThat(s.jwtSecret).isNull();
    }

    @Test
    void configFileComesFromTheFlagOrWshubConfig(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("c.yaml");
        Files.writeString(file, "nodeId: from-env-file\n");
        assertThat(load(null, Map.of("WSHUB_CONFIG", file.toString())).nodeId).isEqualTo("from-env-file");
        assertThat(load(null, Map.of(), "--config", file.toString()).nodeId).isEqualTo("from-env-file");
    }

    @Test
    void booleanFlagsAndLists() {
        Settings s = load(null, Map.of("WSHUB_METRICS", "false"), "--demo", "--paths", "/ws,/chat", "--api-key", "solo");
        assertThat(s.metrics).isFalse();
        assertThat(s.demo).isTrue();
        assertThat(s.paths).isEqualTo(List.of("/ws", "/chat"));
        assertThat(s.apiKeys).containsExactly("solo");
    }

    @Test
    void redisUrlsComeRepeatedAsAListOrAsOneString(@TempDir Path dir) throws Exception {
        assertThat(load(null, Map.of(), "--redis-url", "redis://a:1", "--redis-url", "redis://b:2").redisUrl)
                .containsExactly("redis://a:1", "redis://b:2");
        assertThat(load(null, Map.of("WSHUB_REDIS_URL", "redis://a:1, redis://b:2")).redisUrl)
                .containsExactly("redis://a:1", "redis://b:2");
        Path one = dir.resolve("one.yaml");
        Files.writeString(one, "redisUrl: redis://a:1\nnatsUrl: nats://n:4222\n");
        Settings s = load(one, Map.of());
        assertThat(s.redisUrl).containsExactly("redis://a:1");
        assertThat(s.natsUrl).isEqualTo("nats://n:4222");
        Path many = dir.resolve("many.yaml");
        Files.writeString(many, "redisUrl: [redis://a:1, redis://b:2]\n");
        assertThat(load(many, Map.of()).redisUrl).containsExactly("redis://a:1", "redis://b:2");
    }

    @Test
    void unknownFileKeysAreNamed(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("bad.yaml");
        Files.writeString(file, "prot: 80\n");
        assertThatThrownBy(() -> load(file, Map.of())).hasMessageContaining("unknown setting 'prot'");
    }

    @Test
    void proxyRoutesComeAsYamlObjectsOrMatchEqualsUrl(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("wshub.yaml");
        Files.writeString(file, """
                proxyEvents:
                  - {match: "chat/*", url: "http://app/ws/chat", timeoutMs: 800}
                  - {match: "*", url: "http://app/ws/other"}
                publicTags: news
                joinPolicy: token
                """);
        Settings yaml = load(file, Map.of());
        assertThat(yaml.proxyEvents).containsExactly(new ProxyEventSetting("chat/*", "http://app/ws/chat", 800),
                new ProxyEventSetting("*", "http://app/ws/other", null));
        assertThat(yaml.publicTags).containsExactly("news");
        Settings env = load(null, Map.of("WSHUB_PROXY_EVENTS", "chat/*=http://a/c, game/*=http://a/g"));
        assertThat(env.proxyEvents).extracting(ProxyEventSetting::match).containsExactly("chat/*", "game/*");
        Settings flags = load(null, Map.of(), "--proxy-events", "x=http://a/x", "--join-cache", "30");
        assertThat(flags.proxyEvents).containsExactly(new ProxyEventSetting("x", "http://a/x", null));
        assertThat(flags.joinCache).isEqualTo(30);
        assertThatThrownBy(() -> load(null, Map.of(), "--proxy-events", "no-url")).hasMessageContaining("MATCH=URL");
    }
}
