package io.dstream.mssql.ingester;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import sun.misc.Signal;

/**
 * SIGTERM and SIGINT ask for a clean stop. Handled as signals rather than with a shutdown hook so
 * that the process still ends through {@code main}, which decides the exit code.
 */
final class Signals {

    private static final Logger LOG = LoggerFactory.getLogger(Signals.class);

    private Signals() {
    }

    static void onStop(Runnable stop) {
        for (String name : new String[] {"TERM", "INT"}) {
            try {
                Signal.handle(new Signal(name), signal -> new Thread(stop, "stop-" + name).start());
            } catch (IllegalArgumentException e) {
                LOG.warn("cannot handle SIG{} on this platform: {}", name, e.getMessage());
            }
        }
    }
}
