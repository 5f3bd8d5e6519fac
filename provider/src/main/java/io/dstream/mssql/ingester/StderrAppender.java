package io.dstream.mssql.ingester;

import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.ConsoleAppender;
import ch.qos.logback.core.encoder.Encoder;
import io.dstream.mssql.ingester.config.LogFormat;
import net.logstash.logback.encoder.LogstashEncoder;
import org.slf4j.LoggerFactory;

/**
 * The provider's only log appender (set up by {@link LogSetup}): every line to stderr, stdout being the changes'.
 * It writes each event {@link MaskedEvent masked} in the chosen {@link LogFormat}: from
 * {@code MSSQL_CDC_LOG_FORMAT} at startup (so that even the first lines can be JSON), then from the
 * {@code log_format} key once the config line is read ({@link #use}).
 */
public final class StderrAppender extends ConsoleAppender<ILoggingEvent> {

    static final String NAME = "STDERR";
    /** {@code [MSSQL-CDC]} lets the DStream CLI's log relay tell the provider's lines from its own. */
    static final String TEXT_PATTERN = "[MSSQL-CDC] %d{yyyy-MM-dd'T'HH:mm:ss.SSS'Z',UTC} %-5level %logger{0} - %msg%n";

    private LogFormat format = LogFormat.TEXT;

    public StderrAppender() {
        setTarget("System.err");
    }

    /** The format of the first lines, from {@code MSSQL_CDC_LOG_FORMAT} ({@link LogSetup}); before {@link #start}. */
    void setFormat(LogFormat format) {
        this.format = format;
    }

    @Override
    public void start() {
        setEncoder(encoder(format));
        super.start();
    }

    @Override
    protected void subAppend(ILoggingEvent event) {
        super.subAppend(new MaskedEvent(event));
    }

    /** Switches the process's log lines to this format (once the config is read, before any other thread logs). */
    static void use(LogFormat format) {
        use((LoggerContext) LoggerFactory.getILoggerFactory(), format);
    }

    static void use(LoggerContext context, LogFormat format) {
        if (context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME).getAppender(NAME) instanceof StderrAppender appender
                && appender.format != format) {
            appender.format = format;
            Encoder<ILoggingEvent> old = appender.getEncoder();
            appender.setEncoder(appender.encoder(format));
            old.stop();
        }
    }

    private Encoder<ILoggingEvent> encoder(LogFormat format) {
        Encoder<ILoggingEvent> encoder = switch (format) {
            case TEXT -> {
                PatternLayoutEncoder text = new PatternLayoutEncoder();
                text.setPattern(TEXT_PATTERN);
                yield text;
            }
            case JSON -> {
                LogstashEncoder json = new LogstashEncoder();
                json.getFieldNames().setVersion("[ignore]");
                json.getFieldNames().setLevelValue("[ignore]");
                json.setIncludeContext(false);
                yield json;
            }
        };
        encoder.setContext(getContext());
        encoder.start();
        return encoder;
    }
}
