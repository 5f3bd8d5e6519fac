package io.dstream.mssql.ingester.config;

import java.util.Locale;

/** The DStream command of the stdin envelope. */
public enum Command {
    RUN, INIT, PLAN, STATUS, DESTROY, SNAPSHOT;

    public static Command parse(String text) {
        for (Command c : values()) {
            if (c.name().toLowerCase(Locale.ROOT).equals(text)) {
                return c;
            }
        }
        throw new IllegalArgumentException("unknown command \"" + text + "\"; use run, init, plan, status, destroy or snapshot");
    }
}
