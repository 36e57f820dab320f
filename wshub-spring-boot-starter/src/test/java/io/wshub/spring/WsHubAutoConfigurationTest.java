package io.wshub.spring;

import io.wshub.Context;
import io.wshub.WsHub;
import io.wshub.auth.AuthException;
import io.wshub.auth.Authenticator;
import io.wshub.auth.Identity;
import io.wshub.client.ClientState;
import io.wshub.client.WsHubClient;
import io.wshub.testing.TestHub;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** Conditions and startup checks of the auto-configuration, without a web server. */
class WsHubAutoConfigurationTest {
    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(WsHubAutoConfiguration.class))
            .withPropertyValues("wshub.host=127.0.0.1", "wshub.port=0", "wshub.drain-timeout=1");

    @Configuration(proxyBeanMethods = false)
    static class TwoHandlersForOneEvent {
        @Bean A a() { return new A(); }
        @Bean B b() { return new B(); }

        static class A { @WsHandler("dup") void one(Context ctx) { } }
        static class B { @WsHandler("dup") void two(Context ctx) { } }
    }

    static class TwoDataParameters {
        @WsHandler("bad") void bad(String a, Integer b) { }
    }

    @Configuration(proxyBeanMethods = false)
    static class CustomAuthenticator {
        @Bean
        Authenticator everyoneIsZed() {
            return new Authenticator() {
                @Override public Identity verify(String token) throws AuthException {
                    if (!token.equals("let-me-in")) throw new AuthException("no");
                    return new Identity("zed", null);
                }
            };
        }
    }

    @Test
    void startsTheHubFromPropertiesAndStopsItWithTheContext() {
        WsHub[] seen = new WsHub[1];
        runner.withPropertyValues("wshub.jwt-secret=" + TestHub.SECRET, "wshub.api-keys=k1,k2").run(ctx -> {
            WsHub hub = ctx.getBean(WsHub.class);
            seen[0] = hub;
            assertThat(hub.isAccepting()).isTrue();
            assertThat(status(hub, "/api/stats", "k2")).isEqualTo(200);
            assertThat(status(hub, "/api/stats", "nope")).isEqualTo(401);
        });
        assertThat(seen[0].isAccepting()).isFalse();
    }

    @Test
    void disabledMeansNoHub() {
        runner.withPropertyValues("wshub.enabled=false").run(ctx -> assertThat(ctx).doesNotHaveBean(WsHub.class));
    }

    @Test
    void twoHandlersForOneEventFailTheStartup() {
        runner.withUserConfiguration(TwoHandlersForOneEvent.class).run(ctx -> assertThat(ctx).getFailure()
                .hasMessageContaining("@WsHandler(\"dup\") is on both"));
    }

    @Test
    void aMethodWithTwoDataParametersFailsTheStartup() {
        runner.withBean(TwoDataParameters.class).run(ctx -> assertThat(ctx).getFailure()
                .hasMessageContaining("two data parameters"));
    }

    @Test
    void anAuthenticatorBeanWinsOverTheProperties() {
        runner.withUserConfiguration(CustomAuthenticator.class).withPropertyValues("wshub.jwt-secret=" + TestHub.SECRET)
                .run(ctx -> {
                    WsHub hub = ctx.getBean(WsHub.class);
                    try (WsHubClient zed = client(hub, "let-me-in"); WsHubClient amy = client(hub, TestHub.token("amy"))) {
                        zed.connect().get(10, TimeUnit.SECONDS);
                        zed.request("ping", null).get(5, TimeUnit.SECONDS);
                        assertThat(zed.userId()).isEqualTo("zed");
                        amy.connect();
                        await().until(() -> amy.state() == ClientState.CLOSED); // 401: the secret's tokens are not asked for
                    }
                });
    }

    private static WsHubClient client(WsHub hub, String token) {
        return WsHubClient.builder(URI.create("ws://127.0.0.1:" + hub.port() + "/ws")).token(token).build();
    }

    private static int status(WsHub hub, String path, String apiKey) throws Exception {
        HttpRequest.Builder req = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + hub.port() + path));
        if (apiKey != null) req.header("X-API-Key", apiKey);
        return HttpClient.newHttpClient().send(req.build(), HttpResponse.BodyHandlers.discarding()).statusCode();
    }
}
