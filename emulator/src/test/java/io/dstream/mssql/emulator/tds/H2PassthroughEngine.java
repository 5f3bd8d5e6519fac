package io.dstream.mssql.emulator.tds;

import io.dstream.mssql.emulator.engine.Column;
import io.dstream.mssql.emulator.engine.Engine;
import io.dstream.mssql.emulator.engine.Parameter;
import io.dstream.mssql.emulator.engine.ResultSink;
import io.dstream.mssql.emulator.engine.Session;
import io.dstream.mssql.emulator.engine.SqlError;
import io.dstream.mssql.emulator.engine.SqlType;
import io.dstream.mssql.emulator.engine.SqlType.Kind;

import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A test engine that forwards T-SQL to an in-memory H2 database in MSSQLServer mode: just enough
 * SQL Server behaviour to drive the TDS layer through real clients. It records what it received
 * (parameters, procedure calls, cancels) so tests can check what the wire delivered.
 */
final class H2PassthroughEngine implements Engine {

    static final String USER = "sa";
    static final String PASSWORD = "Emulator#Pass1";

    /** {@code @P0}, {@code @name}: parameter references, but not {@code @@TRANCOUNT}. */
    private static final Pattern PARAM_REF = Pattern.compile("(?<!@)@[A-Za-z_][A-Za-z0-9_]*");
    /** A SELECT of parameters only: SQL Server types each column as its parameter's type. */
    private static final Pattern PARAM_ECHO = Pattern.compile(
            "(?is)\\s*select\\s+(@[A-Za-z0-9_]+(\\s+as\\s+\\w+)?\\s*)(,\\s*@[A-Za-z0-9_]+(\\s+as\\s+\\w+)?\\s*)*;?\\s*");
    /** {@code EXEC [@P0 =] proc @P1, @P2 OUT}: how mssql-jdbc sends a CallableStatement. */
    private static final Pattern EXEC = Pattern.compile(
            "(?is)\\s*exec(?:ute)?\\s+(?:(@\\w+)\\s*=\\s*)?([\\w.\\[\\]]+)\\s*(.*?)\\s*;?\\s*");
    private static final Pattern USE = Pattern.compile("(?i)\\s*use\\s+\\[?(\\w+)\\]?\\s*;?\\s*");
    private static final Pattern PRINT = Pattern.compile("(?is)\\s*print\\s+N?'(.*)'\\s*;?\\s*");
    private static final Pattern DDL = Pattern.compile("(?i)\\s*(create|alter|drop)\\b");
    private static final AtomicInteger INSTANCES = new AtomicInteger();

    private final String instance = "tds" + INSTANCES.incrementAndGet();
    final List<List<Parameter>> executedParameters = new CopyOnWriteArrayList<>();
    final List<String> executedSql = new CopyOnWriteArrayList<>();
    final List<ProcCall> procedureCalls = new CopyOnWriteArrayList<>();
    final AtomicInteger cancels = new AtomicInteger();
    final Map<String, String> logins = new ConcurrentHashMap<>();
    /** Statements containing {@code /*gate*}{@code /} wait here before they start, until the test opens it. */
    final java.util.concurrent.CountDownLatch gate = new java.util.concurrent.CountDownLatch(1);

    record ProcCall(String name, List<Parameter> parameters) {
    }

    @Override
    public Session openEntraSession(String database, String principal) {
        return openSession(database, USER, PASSWORD);
    }

    @Override
    public Session openSession(String database, String user, String password) {
        if (!USER.equals(user) || !PASSWORD.equals(password)) {
            throw new SqlError(18456, 1, 14, "Login failed for user '" + user + "'.");
        }
        logins.put(database, user);
        try {
            Connection c = DriverManager.getConnection("jdbc:h2:mem:" + instance + "_" + database
                    + ";DB_CLOSE_DELAY=-1;MODE=MSSQLServer;DATABASE_TO_UPPER=FALSE;CASE_INSENSITIVE_IDENTIFIERS=TRUE");
            try (java.sql.Statement st = c.createStatement()) {
                st.execute("CREATE SCHEMA IF NOT EXISTS dbo");
            }
            return new H2Session(database, c);
        } catch (SQLException e) {
            throw new SqlError(4060, 1, 11, "Cannot open database \"" + database + "\": " + e.getMessage());
        }
    }

    @Override
    public void close() {
    }

    private final class H2Session implements Session {

        private String database;
        private final Connection connection;
        private volatile java.sql.Statement running;

        H2Session(String database, Connection connection) {
            this.database = database;
            this.connection = connection;
        }

        @Override
        public String database() {
            return database;
        }

        @Override
        public void execute(String sql, List<Parameter> parameters, ResultSink sink) {
            executedSql.add(sql);
            executedParameters.add(List.copyOf(parameters));
            if (sql.contains("/*gate*/")) {
                try {
                    gate.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            try {
                if (sql.toLowerCase(Locale.ROOT).contains("sp_sproc_columns")) {
                    procedureColumns(sink);
                    return;
                }
                Matcher use = USE.matcher(sql);
                if (use.matches()) { // the database name only, no switch of H2 database: enough for ENVCHANGE
                    String old = database;
                    database = use.group(1);
                    sink.databaseChanged(old, database);
                    sink.info(5701, "Changed database context to '" + database + "'.");
                    sink.done(-1);
                    return;
                }
                Matcher print = PRINT.matcher(sql);
                if (print.matches()) {
                    sink.info(0, print.group(1));
                    sink.done(-1);
                    return;
                }
                Matcher exec = EXEC.matcher(sql);
                if (exec.matches()) {
                    exec(exec, parameters, sink);
                    return;
                }
                if (!transactionStatement(sql.strip().toLowerCase(Locale.ROOT).replaceAll("\\s+", " "), sink)) {
                    if (PARAM_ECHO.matcher(sql).matches() && !parameters.isEmpty()) {
                        echo(sql, parameters, sink);
                    } else {
                        for (String statement : splitStatements(sql)) {
                            run(statement, parameters, sink);
                        }
                    }
                }
            } catch (SQLException e) {
                sink.error(map(e));
                sink.done(-1);
            }
        }

        /** The driver's fixed transaction batches, and BEGIN/COMMIT/ROLLBACK, which H2 cannot parse. */
        private boolean transactionStatement(String s, ResultSink sink) throws SQLException {
            if (s.startsWith("set implicit_transactions on") || s.startsWith("begin tran")) {
                connection.setAutoCommit(false);
            } else if (s.startsWith("set implicit_transactions off")) {
                connection.setAutoCommit(true);
            } else if (s.equals("if @@trancount > 0 commit tran") || s.startsWith("commit")) {
                if (!connection.getAutoCommit()) {
                    connection.commit();
                }
                if (s.startsWith("commit")) {
                    connection.setAutoCommit(true);
                }
            } else if (s.equals("if @@trancount > 0 rollback tran") || s.startsWith("rollback")) {
                if (!connection.getAutoCommit()) {
                    connection.rollback();
                }
                if (s.startsWith("rollback")) {
                    connection.setAutoCommit(true);
                }
            } else if (s.startsWith("set ") || s.startsWith("save tran")) {
                // session options and savepoints: accepted and ignored
            } else {
                return false;
            }
            sink.done(-1);
            return true;
        }

        /**
         * mssql-jdbc asks sp_sproc_columns for the parameter names (column 4) when a
         * CallableStatement sets them by name; this answers for dbo.add_numbers.
         */
        private void procedureColumns(ResultSink sink) {
            SqlType name = SqlType.sized(Kind.NVARCHAR, 128);
            sink.columns(List.of(new Column("PROCEDURE_QUALIFIER", name, true), new Column("PROCEDURE_OWNER", name, true),
                    new Column("PROCEDURE_NAME", name, true), new Column("COLUMN_NAME", name, true)));
            for (String column : List.of("@RETURN_VALUE", "@a", "@b", "@sum", "@label")) {
                sink.row(new Object[] {database, "dbo", "add_numbers;1", column});
            }
            sink.done(5);
        }

        private void echo(String sql, List<Parameter> parameters, ResultSink sink) {
            Matcher m = Pattern.compile("@[A-Za-z0-9_]+(\\s+as\\s+(\\w+))?", Pattern.CASE_INSENSITIVE).matcher(sql);
            List<Column> columns = new ArrayList<>();
            List<Object> values = new ArrayList<>();
            while (m.find()) {
                String ref = m.group().split("\\s+")[0];
                Parameter p = parameters.stream().filter(x -> x.name().equalsIgnoreCase(ref)).findFirst()
                        .orElseThrow(() -> SqlError.of(137, "Must declare the scalar variable \"" + ref + "\"."));
                columns.add(new Column(m.group(2) == null ? "" : m.group(2), p.type(), true));
                values.add(p.value());
            }
            sink.columns(columns);
            sink.row(values.toArray());
            sink.done(1);
        }

        private void run(String sql, List<Parameter> parameters, ResultSink sink) throws SQLException {
            List<Parameter> bound = new ArrayList<>();
            Matcher m = PARAM_REF.matcher(sql);
            StringBuilder h2 = new StringBuilder();
            while (m.find()) {
                String ref = m.group();
                Parameter p = parameters.stream().filter(x -> x.name().equalsIgnoreCase(ref)).findFirst().orElse(null);
                if (p == null) {
                    m.appendReplacement(h2, Matcher.quoteReplacement(ref));
                } else {
                    bound.add(p);
                    m.appendReplacement(h2, "?");
                }
            }
            m.appendTail(h2);
            try (PreparedStatement ps = connection.prepareStatement(h2.toString())) {
                for (int i = 0; i < bound.size(); i++) {
                    ps.setObject(i + 1, bound.get(i).value());
                }
                running = ps;
                boolean isResult = ps.execute();
                while (true) {
                    if (isResult) {
                        try (ResultSet rs = ps.getResultSet()) {
                            sendResult(rs, sink);
                        }
                    } else {
                        long count = ps.getLargeUpdateCount();
                        if (count == -1) {
                            break;
                        }
                        sink.done(DDL.matcher(sql).lookingAt() ? -1 : count); // SQL Server gives DDL no count
                    }
                    isResult = ps.getMoreResults();
                }
            } finally {
                running = null;
            }
        }

        private void sendResult(ResultSet rs, ResultSink sink) throws SQLException {
            ResultSetMetaData md = rs.getMetaData();
            List<Column> columns = new ArrayList<>();
            for (int i = 1; i <= md.getColumnCount(); i++) {
                columns.add(new Column(md.getColumnLabel(i), sqlType(md, i),
                        md.isNullable(i) != ResultSetMetaData.columnNoNulls));
            }
            sink.columns(columns);
            long rows = 0;
            while (rs.next()) {
                Object[] values = new Object[columns.size()];
                for (int i = 0; i < values.length; i++) {
                    values[i] = rs.getObject(i + 1, javaClass(columns.get(i).type().kind()));
                }
                sink.row(values);
                rows++;
            }
            sink.done(rows);
        }

        @Override
        public void callProcedure(String name, List<Parameter> parameters, ResultSink sink) {
            procedureCalls.add(new ProcCall(name, List.copyOf(parameters)));
            if (name.equalsIgnoreCase("dbo.broken")) { // an engine bug, not a SQL error
                throw new IllegalStateException("dbo.broken always fails");
            }
            if (!name.equalsIgnoreCase("dbo.add_numbers")) {
                sink.error(new SqlError(2812, 62, 16, "Could not find stored procedure '" + name + "'."));
                sink.done(-1);
                return;
            }
            int sum = addNumbers((Integer) value(parameters, "@a", 0), (Integer) value(parameters, "@b", 1), sink);
            sink.returnStatus(ADD_NUMBERS_STATUS);
            sink.returnValue(new Parameter(outputName(parameters, "@sum", 2), SqlType.of(Kind.INT), sum, true));
            sink.returnValue(new Parameter(outputName(parameters, "@label", 3), SqlType.sized(Kind.NVARCHAR, 50),
                    "sum=" + sum, true));
        }

        /** EXEC of dbo.add_numbers with positional parameter references, the way mssql-jdbc calls procedures. */
        private void exec(Matcher exec, List<Parameter> parameters, ResultSink sink) {
            String name = exec.group(2);
            List<Parameter> args = new ArrayList<>();
            for (String arg : exec.group(3).split(",")) {
                String ref = arg.strip().split("\\s+")[0];
                if (!ref.isEmpty()) {
                    args.add(parameters.stream().filter(p -> p.name().equalsIgnoreCase(ref)).findFirst()
                            .orElseThrow(() -> SqlError.of(137, "Must declare the scalar variable \"" + ref + "\".")));
                }
            }
            procedureCalls.add(new ProcCall(name, List.copyOf(args)));
            if (!name.equalsIgnoreCase("dbo.add_numbers") || args.size() != 4) {
                sink.error(new SqlError(2812, 62, 16, "Could not find stored procedure '" + name + "'."));
                sink.done(-1);
                return;
            }
            int sum = addNumbers((Integer) args.get(0).value(), (Integer) args.get(1).value(), sink);
            sink.returnStatus(ADD_NUMBERS_STATUS);
            if (exec.group(1) != null) {
                sink.returnValue(new Parameter(exec.group(1), SqlType.of(Kind.INT), ADD_NUMBERS_STATUS, true));
            }
            sink.returnValue(new Parameter(args.get(2).name(), SqlType.of(Kind.INT), sum, true));
            sink.returnValue(new Parameter(args.get(3).name(), SqlType.sized(Kind.NVARCHAR, 50), "sum=" + sum, true));
        }

        /** dbo.add_numbers @a int, @b int, @sum int OUTPUT, @label nvarchar(50) OUTPUT: one row, two outputs. */
        private int addNumbers(int a, int b, ResultSink sink) {
            sink.columns(List.of(new Column("a_plus_b", SqlType.of(Kind.INT), false)));
            sink.row(new Object[] {a + b});
            sink.done(1);
            return a + b;
        }

        @Override
        public void cancel() {
            cancels.incrementAndGet();
            java.sql.Statement s = running;
            if (s != null) {
                try {
                    s.cancel();
                } catch (SQLException e) {
                    throw new IllegalStateException(e);
                }
            }
        }

        @Override
        public void close() {
            try {
                if (!connection.getAutoCommit()) {
                    connection.rollback();
                }
                connection.close();
            } catch (SQLException e) {
                throw new IllegalStateException(e);
            }
        }
    }

    static final int ADD_NUMBERS_STATUS = 7;

    /** A batch's statements, split at semicolons outside quotes (H2 runs one statement per command). */
    private static List<String> splitStatements(String sql) {
        List<String> out = new ArrayList<>();
        boolean quoted = false;
        int start = 0;
        for (int i = 0; i < sql.length(); i++) {
            char ch = sql.charAt(i);
            if (ch == '\'') {
                quoted = !quoted;
            } else if (ch == ';' && !quoted) {
                out.add(sql.substring(start, i));
                start = i + 1;
            }
        }
        out.add(sql.substring(start));
        return out.stream().filter(x -> !x.isBlank()).toList();
    }

    private static String outputName(List<Parameter> parameters, String name, int position) {
        return position < parameters.size() && parameters.get(position).name().isEmpty() ? "" : name;
    }

    /** By name, or by position when the caller sent positional values. */
    private static Object value(List<Parameter> parameters, String name, int position) {
        return parameters.stream().filter(p -> p.name().equalsIgnoreCase(name)).findFirst()
                .or(() -> position < parameters.size() && parameters.get(position).name().isEmpty()
                        ? java.util.Optional.of(parameters.get(position)) : java.util.Optional.empty())
                .map(Parameter::value)
                .orElseThrow(() -> SqlError.of(201, "Procedure expects parameter '" + name + "', which was not supplied."));
    }

    private static SqlError map(SQLException e) {
        String state = e.getSQLState() == null ? "" : e.getSQLState();
        return switch (state) {
            case "23505" -> SqlError.of(2627, "Violation of PRIMARY KEY constraint. Cannot insert duplicate key. "
                    + e.getMessage());
            case "42S02", "42102" -> SqlError.of(208, "Invalid object name. " + e.getMessage());
            case "42000", "42001" -> SqlError.of(102, "Incorrect syntax. " + e.getMessage());
            case "57014" -> SqlError.of(3617, "The statement was cancelled.");
            default -> SqlError.of(50000, e.getMessage());
        };
    }

    private static SqlType sqlType(ResultSetMetaData md, int i) throws SQLException {
        String t = md.getColumnTypeName(i).toUpperCase(Locale.ROOT);
        int precision = md.getPrecision(i);
        int scale = md.getScale(i);
        return switch (t) {
            case "TINYINT" -> SqlType.of(Kind.TINYINT);
            case "SMALLINT" -> SqlType.of(Kind.SMALLINT);
            case "INTEGER" -> SqlType.of(Kind.INT);
            case "BIGINT" -> SqlType.of(Kind.BIGINT);
            case "BOOLEAN" -> SqlType.of(Kind.BIT);
            case "NUMERIC", "DECIMAL" -> SqlType.decimal(Math.min(precision, 38), scale);
            case "DOUBLE PRECISION", "FLOAT" -> SqlType.of(Kind.FLOAT);
            case "REAL" -> SqlType.of(Kind.REAL);
            case "DATE" -> SqlType.of(Kind.DATE);
            case "TIME" -> SqlType.temporal(Kind.TIME, scale);
            case "TIMESTAMP" -> SqlType.temporal(Kind.DATETIME2, scale);
            case "TIMESTAMP WITH TIME ZONE" -> SqlType.temporal(Kind.DATETIMEOFFSET, scale);
            case "UUID" -> SqlType.of(Kind.UNIQUEIDENTIFIER);
            case "BINARY" -> SqlType.sized(Kind.BINARY, precision);
            case "BINARY VARYING", "BINARY LARGE OBJECT" ->
                    SqlType.sized(Kind.VARBINARY, precision > 8000 ? SqlType.MAX : precision);
            case "CHARACTER" -> SqlType.sized(Kind.NCHAR, precision);
            default -> SqlType.sized(Kind.NVARCHAR, precision > 4000 ? SqlType.MAX : precision);
        };
    }

    private static Class<?> javaClass(Kind kind) {
        return switch (kind) {
            case TINYINT, SMALLINT -> Short.class;
            case INT -> Integer.class;
            case BIGINT -> Long.class;
            case BIT -> Boolean.class;
            case DECIMAL, NUMERIC, MONEY, SMALLMONEY -> BigDecimal.class;
            case FLOAT -> Double.class;
            case REAL -> Float.class;
            case DATE -> LocalDate.class;
            case TIME -> LocalTime.class;
            case DATETIME, SMALLDATETIME, DATETIME2 -> LocalDateTime.class;
            case DATETIMEOFFSET -> OffsetDateTime.class;
            case BINARY, VARBINARY -> byte[].class;
            case UNIQUEIDENTIFIER -> UUID.class;
            default -> String.class;
        };
    }
}
