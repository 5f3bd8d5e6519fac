package io.dstream.mssql.emulator.cdc;

import io.dstream.mssql.emulator.engine.Column;
import io.dstream.mssql.emulator.engine.DatabaseContext;
import io.dstream.mssql.emulator.engine.Parameter;
import io.dstream.mssql.emulator.engine.Procedure;
import io.dstream.mssql.emulator.engine.ProcedureCall;
import io.dstream.mssql.emulator.engine.ResultSink;
import io.dstream.mssql.emulator.engine.SqlError;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A test-scope {@link DatabaseContext} on a private in-memory H2 database, standing in for the engine:
 * procedures are called directly, commits go through {@link #commit(Connection)} which notifies the
 * transaction listeners like the engine does.
 */
final class TestDatabase implements DatabaseContext, AutoCloseable {

    private static final AtomicInteger NAMES = new AtomicInteger();

    final String url;
    private final String name;
    private final Map<String, Procedure> procedures = new ConcurrentHashMap<>();
    private final Map<String, List<Column>> declared = new ConcurrentHashMap<>();
    private final Map<String, List<Column>> functions = new ConcurrentHashMap<>();
    private final Map<String, Integer> objectIds = new ConcurrentHashMap<>();
    private final List<TransactionListener> listeners = new CopyOnWriteArrayList<>();
    private final AtomicInteger nextObjectId = new AtomicInteger(581577110);
    private final Connection keepAlive;
    volatile CdcFlags flags;

    TestDatabase() throws SQLException {
        name = "testdb" + NAMES.incrementAndGet();
        url = "jdbc:h2:mem:" + name + ";MODE=MSSQLServer;DATABASE_TO_UPPER=FALSE;CASE_INSENSITIVE_IDENTIFIERS=TRUE";
        keepAlive = DriverManager.getConnection(url);
        try (var s = keepAlive.createStatement()) {
            s.execute("CREATE SCHEMA IF NOT EXISTS \"dbo\"");
        }
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public Connection newConnection() throws SQLException {
        return DriverManager.getConnection(url);
    }

    /** A session connection: autocommit off, commits through {@link #commit}. */
    Connection session() throws SQLException {
        Connection c = newConnection();
        c.setAutoCommit(false);
        return c;
    }

    void commit(Connection c) throws SQLException {
        int id = CaptureTrigger.sessionId(c);
        c.commit();
        listeners.forEach(l -> l.afterCommit(id));
    }

    void rollback(Connection c) throws SQLException {
        int id = CaptureTrigger.sessionId(c);
        c.rollback();
        listeners.forEach(l -> l.afterRollback(id));
    }

    /** Runs SQL on a session connection and commits it as the engine would. */
    void exec(String... sql) throws SQLException {
        try (Connection c = session()) {
            for (String s : sql) {
                try (var st = c.createStatement()) {
                    st.execute(s);
                }
            }
            commit(c);
        }
    }

    @Override
    public Integer objectId(String schema, String table) {
        return objectIds.computeIfAbsent(schema + "." + table, k -> nextObjectId.getAndAdd(16));
    }

    @Override
    public String[] objectName(int objectId) {
        return objectIds.entrySet().stream().filter(e -> e.getValue() == objectId)
                .map(e -> e.getKey().split("\\.", 2)).findFirst().orElse(null);
    }

    @Override
    public boolean persistent() {
        return false;
    }

    @Override
    public List<Column> declaredColumns(String schema, String table) {
        return declared.getOrDefault(key(schema, table), List.of());
    }

    @Override
    public void declareTable(String schema, String table, List<Column> columns) {
        declared.put(key(schema, table), List.copyOf(columns));
    }

    @Override
    public void declareFunctionResult(String schema, String function, List<Column> columns) {
        functions.put(key(schema, function), List.copyOf(columns));
    }

    List<Column> functionResult(String schema, String function) {
        return functions.get(key(schema, function));
    }

    @Override
    public void forget(String schema, String name) {
        declared.remove(key(schema, name));
        functions.remove(key(schema, name));
    }

    @Override
    public void registerProcedure(String qualifiedName, Procedure procedure) {
        procedures.put(qualifiedName.toLowerCase(Locale.ROOT), procedure);
    }

    @Override
    public void addTransactionListener(TransactionListener listener) {
        listeners.add(listener);
    }

    @Override
    public void setCdcFlags(CdcFlags flags) {
        this.flags = flags;
    }

    /** Calls a procedure with named arguments ({@code "source_schema", "dbo", ...}), committing after it. */
    Recorded call(String procedure, Object... namedArgs) throws SQLException {
        List<ProcedureCall.Argument> args = new ArrayList<>();
        for (int i = 0; i < namedArgs.length; i += 2) {
            args.add(new ProcedureCall.Argument((String) namedArgs[i], namedArgs[i + 1], false));
        }
        return callArgs(procedure, args);
    }

    Recorded callArgs(String procedure, List<ProcedureCall.Argument> args) throws SQLException {
        Procedure p = procedures.get(procedure.toLowerCase(Locale.ROOT));
        if (p == null) {
            throw new IllegalArgumentException("no procedure " + procedure);
        }
        Recorded sink = new Recorded();
        try (Connection c = session()) {
            sink.status = p.call(new ProcedureCall(c, name, args, sink));
            commit(c);
        }
        return sink;
    }

    /** Records what a procedure sent. */
    static final class Recorded implements ResultSink {
        final List<Column> columns = new ArrayList<>();
        final List<Object[]> rows = new ArrayList<>();
        final List<String> infos = new ArrayList<>();
        int status;

        @Override
        public void columns(List<Column> c) {
            columns.addAll(c);
        }

        @Override
        public void row(Object[] values) {
            rows.add(values);
        }

        @Override
        public void done(long rowCount) {
        }

        @Override
        public void error(SqlError error) {
            throw error;
        }

        @Override
        public void info(int number, String message) {
            infos.add(number + ": " + message);
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

    private static String key(String schema, String name) {
        return (schema + "." + name).toLowerCase(Locale.ROOT);
    }

    @Override
    public void close() throws SQLException {
        keepAlive.close();
    }
}
