package io.dstream.mssql.ingester;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogManager;
import java.util.logging.LogRecord;

/**
 * mssql-jdbc logs through java.util.logging, whose default console handler writes two-line records
 * without our {@code [MSSQL-CDC]} prefix. Its warnings are forwarded to SLF4J instead (one line, the
 * logger's name kept); finer records are dropped.
 */
final class JulToSlf4j extends Handler {

    private JulToSlf4j() {
    }

    static void install() {
        LogManager.getLogManager().reset();
        java.util.logging.Logger root = java.util.logging.Logger.getLogger("");
        root.setLevel(Level.WARNING);
        root.addHandler(new JulToSlf4j());
    }

    @Override
    public void publish(LogRecord record) {
        if (record == null || record.getLevel().intValue() < Level.WARNING.intValue()) {
            return;
        }
        Logger log = LoggerFactory.getLogger(record.getLoggerName() == null ? "jul" : record.getLoggerName());
        String message = record.getMessage() == null ? "" : record.getMessage().replace('\n', ' ');
        if (record.getLevel().intValue() >= Level.SEVERE.intValue()) {
            log.error("{}", message);
        } else {
            log.warn("{}", message);
        }
    }

    @Override
    public void flush() {
        // nothing is buffered
    }

    @Override
    public void close() {
        // nothing to release
    }
}
