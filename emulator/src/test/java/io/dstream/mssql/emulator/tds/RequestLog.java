package io.dstream.mssql.emulator.tds;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.AppenderBase;
import org.slf4j.LoggerFactory;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** Captures the emulator's log lines, among them the per-request DEBUG lines, for assertions. */
final class RequestLog implements AutoCloseable {

    private final List<Logger> loggers = List.of(
            (Logger) LoggerFactory.getLogger(TdsConnection.class), (Logger) LoggerFactory.getLogger(TokenSink.class),
            (Logger) LoggerFactory.getLogger(Handshake.class));
    private final List<String> lines = new CopyOnWriteArrayList<>();
    private final AppenderBase<ILoggingEvent> appender = new AppenderBase<>() {
        @Override
        protected void append(ILoggingEvent event) {
            lines.add(event.getLevel() + " " + event.getFormattedMessage());
        }
    };

    RequestLog() {
        ((Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME)).setLevel(Level.INFO);
        appender.start();
        for (Logger l : loggers) {
            l.addAppender(appender);
            l.setLevel(Level.DEBUG);
        }
    }

    /** The request lines (SQL_BATCH, RPC, TRANSACTION_MANAGER) without level and connection prefix. */
    List<String> requests() {
        return lines.stream()
                .map(m -> m.replaceFirst("^DEBUG connection \\d+: ", ""))
                .filter(m -> m.startsWith("SQL_BATCH") || m.startsWith("RPC") || m.startsWith("TRANSACTION_MANAGER"))
                .toList();
    }

    /** Every captured line, as "LEVEL message". */
    List<String> all() {
        return List.copyOf(lines);
    }

    @Override
    public void close() {
        for (Logger l : loggers) {
            l.detachAppender(appender);
            l.setLevel(null);
        }
    }
}
