package io.dstream.mssql.bench.report;

import java.util.Locale;

/** Whether a figure met its target; ERROR when the scenario could not produce the figure. */
public enum Verdict {
    MET, MISSED, ERROR;

    public static Verdict of(boolean met) {
        return met ? MET : MISSED;
    }

    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }
}
