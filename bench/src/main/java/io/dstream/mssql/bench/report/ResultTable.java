package io.dstream.mssql.bench.report;

import java.util.List;

/** The results as a plain-text table for a terminal: one row per outcome, columns padded to fit. */
public final class ResultTable {

    private static final String[] HEADER = {"scenario", "result", "target", "verdict"};

    private ResultTable() {
    }

    public static String format(List<Outcome> outcomes) {
        int[] width = new int[HEADER.length];
        for (int i = 0; i < HEADER.length; i++) {
            width[i] = HEADER[i].length();
        }
        for (Outcome o : outcomes) {
            String[] cells = cells(o);
            for (int i = 0; i < cells.length; i++) {
                width[i] = Math.max(width[i], cells[i].length());
            }
        }
        StringBuilder out = new StringBuilder();
        row(out, HEADER, width);
        String[] rule = new String[HEADER.length];
        for (int i = 0; i < rule.length; i++) {
            rule[i] = "-".repeat(width[i]);
        }
        row(out, rule, width);
        for (Outcome o : outcomes) {
            row(out, cells(o), width);
        }
        return out.toString();
    }

    /** Longer figures (error messages) are cut in the table; the JSON report has them whole. */
    static final int MAX_FIGURE = 130;

    private static String[] cells(Outcome o) {
        String figure = o.figure().length() <= MAX_FIGURE ? o.figure() : o.figure().substring(0, MAX_FIGURE - 3) + "...";
        return new String[] {o.scenario(), figure, o.target(), o.verdict().label()};
    }

    private static void row(StringBuilder out, String[] cells, int[] width) {
        for (int i = 0; i < cells.length; i++) {
            if (i > 0) {
                out.append("  ");
            }
            out.append(i == cells.length - 1 ? cells[i] : pad(cells[i], width[i]));
        }
        out.append('\n');
    }

    private static String pad(String s, int width) {
        return s + " ".repeat(width - s.length());
    }
}
