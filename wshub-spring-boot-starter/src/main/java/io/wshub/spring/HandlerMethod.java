package io.wshub.spring;

import com.fasterxml.jackson.databind.JsonNode;
import io.wshub.Connection;
import io.wshub.Context;
import io.wshub.Handler;
import io.wshub.WsHub;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Parameter;
import java.util.function.Function;

/**
 * One {@link WsHandler} method as a wshub {@link Handler}: each parameter gets a resolver
 * decided once, at startup, so a call does no type checks.
 */
final class HandlerMethod implements Handler {
    private final Object bean;
    private final Method method;
    private final Function<Context, Object>[] resolvers;

    @SuppressWarnings("unchecked")
    HandlerMethod(Object bean, Method method) {
        this.bean = bean;
        this.method = method;
        method.setAccessible(true);
        Parameter[] params = method.getParameters();
        resolvers = new Function[params.length];
        boolean payload = false;
        for (int i = 0; i < params.length; i++) {
            Class<?> type = params[i].getType();
            if (type == Context.class) {
                resolvers[i] = ctx -> ctx;
            } else if (type == Connection.class) {
                resolvers[i] = Context::connection;
            } else if (type == WsHub.class) {
                resolvers[i] = Context::hub;
            } else if (type == JsonNode.class) {
                resolvers[i] = Context::data;
            } else {
                if (payload) {
                    throw new IllegalStateException("@WsHandler " + describe() + " has two data parameters; "
                            + "at most one parameter may receive the message data");
                }
                payload = true;
                resolvers[i] = ctx -> ctx.bind(type);
            }
        }
    }

    @Override
    public void handle(Context ctx) throws Exception {
        Object[] args = new Object[resolvers.length];
        for (int i = 0; i < args.length; i++) {
            args[i] = resolvers[i].apply(ctx);
        }
        Object result;
        try {
            result = method.invoke(bean, args);
        } catch (InvocationTargetException e) {
            // The method's own exception, so WsException keeps its code and the hub logs the real cause.
            Throwable cause = e.getCause();
            if (cause instanceof Exception ex) throw ex;
            throw (Error) cause;
        }
        if (result != null && !ctx.replied()) {
            ctx.reply(result);
        }
    }

    String describe() {
        return method.getDeclaringClass().getSimpleName() + "." + method.getName();
    }
}
