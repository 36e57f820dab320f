package io.wshub.spring;

import io.wshub.WsHub;
import org.springframework.aop.support.AopUtils;
import org.springframework.beans.factory.SmartInitializingSingleton;
import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;
import org.springframework.core.MethodIntrospector;
import org.springframework.core.annotation.AnnotatedElementUtils;

import java.lang.reflect.Method;
import java.util.HashMap;
import java.util.Map;

/**
 * Finds every {@link WsHandler} method of the context's singletons once they all exist and
 * registers it on the hub, before the lifecycle starts the hub. Two methods for one event
 * fail the startup: which one wins would otherwise depend on bean order.
 */
final class WsHandlerRegistrar implements SmartInitializingSingleton {
    private final ConfigurableListableBeanFactory beans;
    private final WsHub hub;

    WsHandlerRegistrar(ConfigurableListableBeanFactory beans, WsHub hub) {
        this.beans = beans;
        this.hub = hub;
    }

    @Override
    public void afterSingletonsInstantiated() {
        Map<String, HandlerMethod> byEvent = new HashMap<>();
        for (String name : beans.getBeanDefinitionNames()) {
            if (!beans.getBeanDefinition(name).isSingleton() || beans.getBeanDefinition(name).isAbstract()) {
                continue;
            }
            Class<?> type = beans.getType(name, false);
            if (type == null) {
                continue;
            }
            Map<Method, WsHandler> methods = MethodIntrospector.selectMethods(type,
                    (MethodIntrospector.MetadataLookup<WsHandler>) m -> AnnotatedElementUtils.findMergedAnnotation(m, WsHandler.class));
            if (methods.isEmpty()) {
                continue;
            }
            Object bean = beans.getBean(name);
            methods.forEach((method, annotation) -> {
                // A proxied bean (transactions, security) is called through its proxy.
                Method callable = AopUtils.selectInvocableMethod(method, bean.getClass());
                HandlerMethod handler = new HandlerMethod(bean, callable);
                HandlerMethod earlier = byEvent.putIfAbsent(annotation.value(), handler);
                if (earlier != null) {
                    throw new IllegalStateException("@WsHandler(\"" + annotation.value() + "\") is on both "
                            + earlier.describe() + " and " + handler.describe());
                }
                if (annotation.blocking()) hub.onBlocking(annotation.value(), handler);
                else hub.on(annotation.value(), handler);
            });
        }
    }
}
