package io.wshub.spring;

import io.micrometer.core.instrument.MeterRegistry;
import io.wshub.WsHub;
import io.wshub.auth.Authenticator;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;
import org.springframework.boot.actuate.health.HealthIndicator;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.security.oauth2.jwt.JwtDecoder;
import org.springframework.util.ClassUtils;

/**
 * The hub as a bean, configured from {@code wshub.*} ({@link WsHubProperties}), started and
 * stopped with the context ({@link WsHubLifecycle}), with every {@link WsHandler} method
 * registered before it starts.
 *
 * <p>Tokens are verified by, first found: an {@link Authenticator} bean; the
 * {@code wshub.jwks-url} / {@code jwt-public-key} / {@code jwt-secret} keys; the application's
 * Spring Security {@code JwtDecoder} bean ({@link JwtDecoderAuthenticator}). Meters go to the
 * application's {@link MeterRegistry} when there is one, so they show in Actuator's
 * {@code /actuator/prometheus} and {@code /actuator/metrics}.
 */
@AutoConfiguration(afterName = {
        "org.springframework.boot.actuate.autoconfigure.metrics.CompositeMeterRegistryAutoConfiguration",
        "org.springframework.boot.autoconfigure.security.oauth2.resource.servlet.OAuth2ResourceServerAutoConfiguration"})
@ConditionalOnProperty(prefix = "wshub", name = "enabled", matchIfMissing = true)
@EnableConfigurationProperties(WsHubProperties.class)
public class WsHubAutoConfiguration {

    @Bean
    @ConditionalOnMissingBean
    public WsHub wsHub(WsHubProperties properties, ObjectProvider<Authenticator> authenticators,
                       ObjectProvider<DecoderAuthenticators> decoders, ObjectProvider<MeterRegistry> registries,
                       ObjectProvider<WsConfigCustomizer> customizers) {
        return WsHub.create(cfg -> {
            PropertiesConfig.apply(properties, cfg);
            Authenticator auth = authenticators.getIfAvailable(() -> PropertiesConfig.authenticator(properties));
            if (auth == null) {
                DecoderAuthenticators fromDecoder = decoders.getIfAvailable();
                auth = fromDecoder == null ? null : fromDecoder.get();
            }
            cfg.auth(auth);
            MeterRegistry registry = registries.getIfAvailable();
            if (registry != null) {
                cfg.meterRegistry(registry);
            }
            if (properties.getRedisUrl() != null) {
                if (!ClassUtils.isPresent("io.wshub.redis.RedisCluster", WsHubAutoConfiguration.class.getClassLoader())) {
                    throw new IllegalStateException("wshub.redis-url needs io.wshub:wshub-redis on the classpath");
                }
                RedisSupport.install(cfg, properties.getRedisUrl());
            }
            customizers.orderedStream().forEach(c -> c.customize(cfg));
        });
    }

    @Bean
    @ConditionalOnMissingBean
    WsHubLifecycle wsHubLifecycle(WsHub hub) {
        return new WsHubLifecycle(hub);
    }

    @Bean
    WsHandlerRegistrar wsHandlerRegistrar(ConfigurableListableBeanFactory beans, WsHub hub) {
        return new WsHandlerRegistrar(beans, hub);
    }

    /** Reuses a Spring Security JwtDecoder bean; only when spring-security-oauth2-jose is present. */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(JwtDecoder.class)
    static class JwtDecoderReuse {
        @Bean
        DecoderAuthenticators wshubDecoderAuthenticators(ObjectProvider<JwtDecoder> decoders, WsHubProperties properties) {
            return () -> {
                JwtDecoder decoder = decoders.getIfUnique();
                return decoder == null ? null : new JwtDecoderAuthenticator(decoder, properties.getUserIdClaim());
            };
        }
    }

    /** Actuator's {@code wshub} health component. */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(HealthIndicator.class)
    static class Health {
        @Bean
        @ConditionalOnMissingBean(name = "wshubHealthIndicator")
        WsHubHealthIndicator wshubHealthIndicator(WsHub hub) {
            return new WsHubHealthIndicator(hub);
        }
    }

    /** An authenticator from the JwtDecoder bean, or null when there is none; keeps JwtDecoder out of the hub factory's signature. */
    @FunctionalInterface
    interface DecoderAuthenticators {
        Authenticator get();
    }
}
