package io.dstream.mssql.ingester;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.IThrowableProxy;
import ch.qos.logback.classic.spi.LoggerContextVO;
import ch.qos.logback.classic.spi.StackTraceElementProxy;
import org.slf4j.Marker;
import org.slf4j.event.KeyValuePair;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * A log event as the encoders see it: the original, with its message, arguments and exception messages
 * passed through {@link LogMask}. Both log formats read only these.
 */
final class MaskedEvent implements ILoggingEvent {

    private final ILoggingEvent event;
    private final String message;

    MaskedEvent(ILoggingEvent event) {
        this.event = event;
        this.message = LogMask.apply(event.getFormattedMessage());
    }

    @Override
    public String getFormattedMessage() {
        return message;
    }

    @Override
    public String getMessage() {
        return message; // the pattern with its arguments filled in: masked once, as a whole
    }

    @Override
    public Object[] getArgumentArray() {
        return null; // already in the message
    }

    @Override
    public IThrowableProxy getThrowableProxy() {
        IThrowableProxy proxy = event.getThrowableProxy();
        return proxy == null ? null : new MaskedThrowable(proxy);
    }

    @Override
    public String getThreadName() {
        return event.getThreadName();
    }

    @Override
    public Level getLevel() {
        return event.getLevel();
    }

    @Override
    public String getLoggerName() {
        return event.getLoggerName();
    }

    @Override
    public LoggerContextVO getLoggerContextVO() {
        return event.getLoggerContextVO();
    }

    @Override
    public StackTraceElement[] getCallerData() {
        return event.getCallerData();
    }

    @Override
    public boolean hasCallerData() {
        return event.hasCallerData();
    }

    @Override
    public List<Marker> getMarkerList() {
        return event.getMarkerList();
    }

    @Override
    public Map<String, String> getMDCPropertyMap() {
        return event.getMDCPropertyMap();
    }

    @Override
    @SuppressWarnings("deprecation")
    public Map<String, String> getMdc() {
        return event.getMdc();
    }

    @Override
    public long getTimeStamp() {
        return event.getTimeStamp();
    }

    @Override
    public int getNanoseconds() {
        return event.getNanoseconds();
    }

    @Override
    public Instant getInstant() {
        return event.getInstant();
    }

    @Override
    public long getSequenceNumber() {
        return event.getSequenceNumber();
    }

    @Override
    public List<KeyValuePair> getKeyValuePairs() {
        return event.getKeyValuePairs();
    }

    @Override
    public void prepareForDeferredProcessing() {
        event.prepareForDeferredProcessing();
    }

    /** An exception of a log event with its message (and its causes' messages) masked. */
    private record MaskedThrowable(IThrowableProxy proxy) implements IThrowableProxy {

        @Override
        public String getMessage() {
            return LogMask.apply(proxy.getMessage());
        }

        @Override
        public String getOverridingMessage() {
            return LogMask.apply(proxy.getOverridingMessage());
        }

        @Override
        public String getClassName() {
            return proxy.getClassName();
        }

        @Override
        public StackTraceElementProxy[] getStackTraceElementProxyArray() {
            return proxy.getStackTraceElementProxyArray();
        }

        @Override
        public int getCommonFrames() {
            return proxy.getCommonFrames();
        }

        @Override
        public IThrowableProxy getCause() {
            return proxy.getCause() == null ? null : new MaskedThrowable(proxy.getCause());
        }

        @Override
        public IThrowableProxy[] getSuppressed() {
            IThrowableProxy[] suppressed = proxy.getSuppressed();
            if (suppressed == null) {
                return null;
            }
            IThrowableProxy[] masked = new IThrowableProxy[suppressed.length];
            for (int i = 0; i < suppressed.length; i++) {
                masked[i] = new MaskedThrowable(suppressed[i]);
            }
            return masked;
        }

        @Override
        public boolean isCyclic() {
            return proxy.isCyclic();
        }
    }
}
