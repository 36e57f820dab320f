package io.wshub.testing;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import org.slf4j.LoggerFactory;

import java.util.List;

/** Records what wshub and Netty log at WARN and above while a test runs. */
public final class LogCapture implements AutoCloseable {
    private final List<Logger> loggers = List.of((Logger) LoggerFactory.getLogger("io.wshub"), (Logger) LoggerFactory.getLogger("io.netty"));
    private final ListAppender<ILoggingEvent> appender = new ListAppender<>();

    public LogCapture() {
        appender.start();
        loggers.forEach(l -> l.addAppender(appender));
    }

    /** Formatted WARN and ERROR lines so far (with the exception class, when there is one). */
    public List<String> warnings() {
        return List.copyOf(appender.list).stream().filter(e -> e.getLevel().isGreaterOrEqual(Level.WARN))
                .map(e -> e.getLevel() + " " + e.getFormattedMessage() + (e.getThrowableProxy() == null ? "" : " " + e.getThrowableProxy().getClassName()))
                .toList();
    }

    public void clear() {
        appender.list.clear();
    }

    @Override
    public void close() {
        loggers.forEach(l -> l.detachAppender(appender));
    }
}
