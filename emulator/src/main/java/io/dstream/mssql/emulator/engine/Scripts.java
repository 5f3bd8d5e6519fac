package io.dstream.mssql.emulator.engine;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Runs T-SQL scripts as sqlcmd and SSMS do: {@code GO} on a line of its own ends a batch (it is a
 * client-side separator, not T-SQL, so batches sent by clients never contain it); {@code GO n}
 * runs the batch n times.
 */
public final class Scripts {

    private static final Pattern GO = Pattern.compile("^\\s*go(?:\\s+(\\d+))?\\s*(?:--.*)?$", Pattern.CASE_INSENSITIVE);

    /** A failed script statement: where it is and the SQL Server error. */
    public static final class ScriptError extends RuntimeException {
        private final int line;
        private final SqlError error;

        ScriptError(String source, int line, SqlError error) {
            super(source + ":" + line + ": error " + error.number() + ": " + error.getMessage(), error);
            this.line = line;
            this.error = error;
        }

        public int line() {
            return line;
        }

        public SqlError error() {
            return error;
        }
    }

    /** One batch of a script and the line it starts on (1-based). */
    record Batch(String sql, int firstLine, int repeat) {
    }

    private Scripts() {
    }

    static List<Batch> split(String script) {
        List<Batch> batches = new ArrayList<>();
        StringBuilder current = new StringBuilder();
        int first = 1;
        String[] lines = script.split("\r?\n", -1);
        boolean inBlockComment = false;
        for (int i = 0; i < lines.length; i++) {
            String line = lines[i];
            Matcher go = GO.matcher(line);
            if (!inBlockComment && go.matches()) {
                add(batches, current, first, go.group(1) == null ? 1 : Integer.parseInt(go.group(1)));
                current.setLength(0);
                first = i + 2;
                continue;
            }
            inBlockComment = blockCommentOpenAfter(line, inBlockComment);
            current.append(line).append('\n');
        }
        add(batches, current, first, 1);
        return batches;
    }

    private static boolean blockCommentOpenAfter(String line, boolean open) {
        String l = line.toLowerCase(Locale.ROOT);
        int opens = l.split("/\\*", -1).length - 1;
        int closes = l.split("\\*/", -1).length - 1;
        return open ? opens >= closes : opens > closes;
    }

    private static void add(List<Batch> batches, StringBuilder sql, int firstLine, int repeat) {
        if (!sql.toString().isBlank()) {
            batches.add(new Batch(sql.toString(), firstLine, repeat));
        }
    }

    /**
     * Runs a script in a session; stops at the first error with a {@link ScriptError} that names
     * {@code source} and the line. Result sets and messages are discarded.
     */
    public static void run(Session session, String script, String source) {
        for (Batch batch : split(script)) {
            for (int n = 0; n < batch.repeat(); n++) {
                ErrorCatcher sink = new ErrorCatcher();
                session.execute(batch.sql(), List.of(), sink);
                if (sink.error != null) {
                    int line = session instanceof H2Session h2 ? batch.firstLine() + h2.statementLine() - 1 : batch.firstLine();
                    throw new ScriptError(source, line, sink.error);
                }
            }
        }
    }

    private static final class ErrorCatcher implements ResultSink {
        SqlError error;

        @Override
        public void columns(List<Column> columns) {
        }

        @Override
        public void row(Object[] values) {
        }

        @Override
        public void done(long rowCount) {
        }

        @Override
        public void error(SqlError e) {
            if (error == null) {
                error = e;
            }
        }

        @Override
        public void info(int number, String message) {
        }

        @Override
        public void returnValue(Parameter parameter) {
        }

        @Override
        public void returnStatus(int status) {
        }

        @Override
        public void databaseChanged(String oldDatabase, String newDatabase) {
        }
    }
}
