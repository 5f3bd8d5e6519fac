package io.dstream.mssql.ingester;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import sun.misc.Signal;

/**
 * SIGTERM and SIGINT ask for a clean stop. Handled as signals rather than with a shutdown hook so
 * that the process still ends through {@code main}, which decides the exit code. Installed first
 * thing, so that a signal arriving between the handshake and the start of streaming is not lost to
 * the JVM's default handler (exit 130/143).
 */
final class Signals {

    private static final Logger LOG = LoggerFactory.getLogger(Signals.class);

    private static volatile Runnable action;

    private Signals() {
    }

    /** Handles SIGTERM/SIGINT from now on with {@code initial} until {@link #onStop} replaces it. */
    static void install(Runnable initial) {
        action = initial;
        for (String name : new String[] {"TERM", "INT"}) {
            try {
                Signal.handle(new Signal(name), signal -> new Thread(() -> action.run(), "stop-" + name).start());
            } catch (IllegalArgumentException e) {
                LOG.warn("cannot handle SIG{} on this platform: {}", name, e.getMessage());
            }
        }
    }

    /** What a stop request does from now on. */
    static void onStop(Runnable stop) {
        action = stop;
    }
}
