package io.wshub.spring;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Makes a method of a Spring bean the handler of a wshub event (docs/protocol.md §1).
 *
 * <pre>{@code
 * @Component
 * class ChatHandlers {
 *     @WsHandler("chat/send")
 *     Ack send(ChatMessage msg, Context ctx) {          // msg = ctx.bind(ChatMessage.class)
 *         ctx.hub().sendToTag(msg.room(), "chat/message", msg);
 *         return new Ack(true);                           // the reply (code 0)
 *     }
 *
 *     @WsHandler(value = "orders/list", blocking = true)  // runs on the worker pool
 *     List<Order> orders(Connection conn) { return repository.findFor(conn.userId()); }
 * }
 * }</pre>
 *
 * <h2>Parameters</h2>
 * Each parameter is one of: {@link io.wshub.Context}, {@link io.wshub.Connection},
 * {@link io.wshub.WsHub}, {@code JsonNode} (the raw data), or one other type, which receives
 * the message data bound by Jackson ({@code ctx.bind(type)}: a mismatch answers 400). At most
 * one parameter of that last kind.
 *
 * <h2>Return value and errors</h2>
 * A non-null return value is the reply; {@code void} (or null) replies nothing unless the
 * method called {@code ctx.reply}. A thrown {@link io.wshub.WsException} answers with its
 * code; any other exception answers 500 and is logged once.
 *
 * <h2>Threads</h2>
 * Without {@link #blocking()} the method runs on the connection's event loop and must not
 * block (no JDBC, no remote calls); with it, on the hub's worker pool ({@code WsHub.onBlocking}).
 * Either way a connection's messages are handled one at a time, in order.
 */
@Target(ElementType.METHOD)
@Retention(RetentionPolicy.RUNTIME)
@Documented
public @interface WsHandler {
    /** The event name, e.g. {@code "chat/send"}. */
    String value();

    /** True when the method may block: it then runs on the worker pool. */
    boolean blocking() default false;
}
