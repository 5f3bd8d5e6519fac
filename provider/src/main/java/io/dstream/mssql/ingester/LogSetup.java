package io.dstream.mssql.ingester;

import ch.qos.logback.classic.ClassicConstants;
import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.Configurator;
import ch.qos.logback.core.spi.ContextAwareBase;
import ch.qos.logback.core.status.Status;
import ch.qos.logback.core.status.StatusListener;
import io.dstream.mssql.ingester.config.LogFormat;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The provider's logging, set up in code when Logback starts (found as a {@link Configurator} service, so no
 * XML is parsed: reading a {@code logback.xml} took about a third of the packaged plugin's start). Every line
 * goes to stderr through the {@link StderrAppender}, at the level of {@code MSSQL_CDC_LOG_LEVEL} (default
 * {@code INFO}) and in the format of {@code MSSQL_CDC_LOG_FORMAT} (default {@code text}) until the
 * {@code log_format} key is read. Logback's own warnings go to stderr too: stdout carries the protocol only.
 * A file named with {@code -Dlogback.configurationFile} replaces all of this.
 */
public final class LogSetup extends ContextAwareBase implements Configurator {

    static final String LEVEL_VARIABLE = "MSSQL_CDC_LOG_LEVEL";
    static final String FORMAT_VARIABLE = "MSSQL_CDC_LOG_FORMAT";

    /** Libraries whose own lines say less than the provider's about the same event. */
    private static final Map<String, Level> LIBRARY_LEVELS = Map.of(
            "com.microsoft.sqlserver", Level.WARN,
            // the Azure SDK logs every failed call at ERROR (4 lines each, during a lock service outage every few
            // seconds); the locker reports each failure itself, with what to check and secrets masked
            "com.azure", Level.OFF,
            // Microsoft Entra sign-in (msal4j, under azure-identity and mssql-jdbc) logs each credential it tries;
            // the provider reports a failed sign-in itself, saying what to set up
            "com.microsoft.aad.msal4j", Level.OFF,
            "reactor", Level.WARN,
            "io.netty", Level.WARN);

    @Override
    public ExecutionStatus configure(LoggerContext context) {
        if (System.getProperty(ClassicConstants.CONFIG_FILE_PROPERTY) != null) {
            return ExecutionStatus.INVOKE_NEXT_IF_ANY;
        }
        install(context, System.getenv(LEVEL_VARIABLE), System.getenv(FORMAT_VARIABLE));
        return ExecutionStatus.DO_NOT_INVOKE_NEXT_IF_ANY;
    }

    /**
     * Sets up {@code context} as the provider logs: the stderr appender on the root logger, the level and the
     * format (null: the defaults), quieter libraries. A level or format it does not know is logged as a WARN.
     */
    static void install(LoggerContext context, String level, String format) {
        context.getStatusManager().add(new StderrStatusListener());
        List<String> problems = new ArrayList<>();
        StderrAppender appender = new StderrAppender();
        appender.setContext(context);
        appender.setName(StderrAppender.NAME);
        appender.setFormat(logFormat(format, problems));
        appender.start();
        Logger root = context.getLogger(Logger.ROOT_LOGGER_NAME);
        root.setLevel(level(level, problems));
        root.addAppender(appender);
        LIBRARY_LEVELS.forEach((name, libraryLevel) -> context.getLogger(name).setLevel(libraryLevel));
        problems.forEach(context.getLogger(LogSetup.class)::warn);
    }

    private static LogFormat logFormat(String written, List<String> problems) {
        String name = written == null ? "" : written.strip().toLowerCase(Locale.ROOT);
        for (LogFormat format : LogFormat.values()) {
            if (format.name().toLowerCase(Locale.ROOT).equals(name)) {
                return format;
            }
        }
        if (!name.isEmpty()) {
            problems.add(FORMAT_VARIABLE + " must be text or json, got \"" + written + "\"; logging text");
        }
        return LogFormat.TEXT;
    }

    private static Level level(String written, List<String> problems) {
        if (written == null || written.isBlank()) {
            return Level.INFO;
        }
        Level level = Level.toLevel(written.strip(), null);
        if (level == null) {
            problems.add(LEVEL_VARIABLE + " must be one of ERROR, WARN, INFO, DEBUG, TRACE, OFF, got \"" + written
                    + "\"; logging at INFO");
            return Level.INFO;
        }
        return level;
    }

    /**
     * Logback's own warnings and errors (a broken appender, say), on stderr; without a listener Logback would
     * print them on stdout, ahead of the protocol's first line.
     */
    private static final class StderrStatusListener implements StatusListener {
        @Override
        public void addStatusEvent(Status status) {
            if (status.getEffectiveLevel() >= Status.WARN) {
                System.err.println("[MSSQL-CDC] logback: " + status.getMessage()
                        + (status.getThrowable() != null ? " (" + status.getThrowable() + ")" : ""));
            }
        }
    }
}
