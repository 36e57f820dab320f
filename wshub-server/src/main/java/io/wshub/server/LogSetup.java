package io.wshub.server;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.JsonEncoder;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.Appender;
import ch.qos.logback.core.OutputStreamAppender;
import org.slf4j.LoggerFactory;

import java.util.Iterator;
import java.util.Locale;
import java.util.Set;

/**
 * Applies {@code --log-level} (wshub's own loggers) and {@code --log-format} ({@code text}, or
 * {@code json}: one JSON object per line from logback's own {@link JsonEncoder}) on top of the
 * bundled logback.xml. A logback.xml of the operator's own ({@code -Dlogback.configurationFile})
 * still works; these settings then change only what they name.
 */
final class LogSetup {
    private static final Set<String> LEVELS = Set.of("TRACE", "DEBUG", "INFO", "WARN", "ERROR", "OFF");
    private static final Set<String> FORMATS = Set.of("text", "json");

    private LogSetup() {}

    /** Checks both values before changing anything; null leaves a setting as logback.xml has it. */
    static void apply(String level, String format) {
        String lvl = level == null ? null : level.trim().toUpperCase(Locale.ROOT);
        String fmt = format == null ? null : format.trim().toLowerCase(Locale.ROOT);
        if (lvl != null && !LEVELS.contains(lvl)) {
            throw new IllegalArgumentException("--log-level must be one of trace, debug, info, warn, error, off: " + level);
        }
        if (fmt != null && !FORMATS.contains(fmt)) {
            throw new IllegalArgumentException("--log-format must be text or json: " + format);
        }
        if (!(LoggerFactory.getILoggerFactory() instanceof LoggerContext context)) {
            return; // another SLF4J binding: it has its own configuration
        }
        if (lvl != null) {
            context.getLogger("io.wshub").setLevel(Level.toLevel(lvl));
        }
        if ("json".equals(fmt)) {
            json(context);
        }
    }

    private static void json(LoggerContext context) {
        Logger root = context.getLogger(Logger.ROOT_LOGGER_NAME);
        for (Iterator<Appender<ILoggingEvent>> it = root.iteratorForAppenders(); it.hasNext(); ) {
            if (it.next() instanceof OutputStreamAppender<ILoggingEvent> out) {
                JsonEncoder encoder = new JsonEncoder();
                encoder.setContext(context);
                // The message as a reader sees it; the raw "{}" pattern and its arguments and
                // the per-event counters only make lines longer.
                encoder.setWithFormattedMessage(true);
                encoder.setWithMessage(false);
                encoder.setWithArguments(false);
                encoder.setWithSequenceNumber(false);
                encoder.setWithNanoseconds(false);
                encoder.setWithContext(false);
                encoder.start();
                out.stop();
                out.setEncoder(encoder);
                out.start();
            }
        }
    }
}
