package io.dstream.mssql.emulator.cdc;

import static io.dstream.mssql.emulator.cdc.Names.CDC;
import static io.dstream.mssql.emulator.cdc.Names.SYS;
import static io.dstream.mssql.emulator.cdc.Names.q;

import io.dstream.mssql.emulator.engine.Column;
import io.dstream.mssql.emulator.engine.DatabaseContext;
import io.dstream.mssql.emulator.engine.SqlType;
import io.dstream.mssql.emulator.engine.SqlType.Kind;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * CDC state of one database: whether CDC is enabled, its capture instances, the emulated log (LSN
 * allocation at commit) and its capture process.
 */
final class CdcDatabase implements DatabaseContext.TransactionListener, DatabaseContext.CdcFlags,
        CaptureTrigger.Journal, AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(CdcDatabase.class);

    /** A transaction that staged changes and has not committed yet. */
    private record OpenTransaction(LocalDateTime begin, int records) {
    }

    final DatabaseContext context;
    final LsnLog log = new LsnLog();
    final CaptureProcess capture;
    final CdcJobs jobs;
    private final List<CaptureInstance> instances = new CopyOnWriteArrayList<>();
    /** "schema\0table" → capture trigger name, one trigger per tracked table. */
    private final Map<String, String> triggers = new ConcurrentHashMap<>();
    private final Map<Integer, OpenTransaction> open = new ConcurrentHashMap<>();
    /** Last known columns of each tracked table, to notice ALTER TABLE. */
    private final Map<String, List<String>> shapes = new ConcurrentHashMap<>();
    /** Writes ddl_history asynchronously, as SQL Server's capture process does when it reads the DDL. */
    private final ExecutorService ddlWriter;
    private final AtomicLong sequence = new AtomicLong();
    private final AtomicLong objectIds = new AtomicLong(1_000_000_000L);
    private volatile boolean enabled;
    private Connection captureConnection;

    CdcDatabase(DatabaseContext context, Duration latency) {
        this.context = context;
        this.capture = new CaptureProcess(context.name(), latency, this::scan);
        this.jobs = new CdcJobs(context.name());
        this.ddlWriter = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "cdc-ddl-" + context.name());
            t.setDaemon(true);
            return t;
        });
    }

    String name() {
        return context.name();
    }

    // ---- catalog flags

    @Override
    public boolean databaseEnabled() {
        return enabled;
    }

    @Override
    public boolean tableTracked(String schema, String table) {
        for (CaptureInstance ci : instances) {
            if (Names.same(ci.sourceSchema(), schema) && Names.same(ci.sourceTable(), table)) {
                return true;
            }
        }
        return false;
    }

    void setEnabled(boolean enabled) {
        this.enabled = enabled;
    }

    boolean enabled() {
        return enabled;
    }

    // ---- capture instances

    List<CaptureInstance> instances() {
        return List.copyOf(instances);
    }

    Optional<CaptureInstance> instance(String name) {
        return instances.stream().filter(ci -> Names.same(ci.name(), name)).findFirst();
    }

    List<CaptureInstance> instancesOf(String schema, String table) {
        return instances.stream().filter(ci -> ci.tracks(schema, table)).toList();
    }

    void added(CaptureInstance ci) {
        instances.add(ci);
    }

    void removed(CaptureInstance ci) {
        instances.remove(ci);
    }

    int objectId(String schema, String table) {
        Integer id = context.objectId(schema, table);
        return id != null ? id : (int) objectIds.incrementAndGet();
    }

    /** Declares the SQL Server types of the instance's change table and functions to the engine. */
    void declare(CaptureInstance ci) {
        SqlType lsn = Metadata.BINARY10;
        SqlType mask = SqlType.sized(Kind.VARBINARY, 128);
        SqlType integer = SqlType.of(Kind.INT);
        List<Column> table = new ArrayList<>(List.of(new Column("__$start_lsn", lsn, false),
                new Column("__$end_lsn", lsn, true), new Column("__$seqval", lsn, false),
                new Column("__$operation", integer, false), new Column("__$update_mask", mask, true)));
        List<Column> captured = ci.columns().stream().map(c -> new Column(c.name(), c.type(), true)).toList();
        table.addAll(captured);
        table.add(new Column("__$command_id", integer, true));
        context.declareTable(CDC, Names.changeTable(ci.name()), table);

        List<Column> all = new ArrayList<>(List.of(new Column("__$start_lsn", lsn, false),
                new Column("__$seqval", lsn, false), new Column("__$operation", integer, false),
                new Column("__$update_mask", mask, true)));
        all.addAll(captured);
        context.declareFunctionResult(CDC, Names.allChangesFunction(ci.name()), all);
        if (ci.supportsNetChanges()) {
            List<Column> netColumns = new ArrayList<>(List.of(new Column("__$start_lsn", lsn, false),
                    new Column("__$operation", integer, true), new Column("__$update_mask", mask, true)));
            netColumns.addAll(captured);
            context.declareFunctionResult(CDC, Names.netChangesFunction(ci.name()), netColumns);
        }
    }

    // ---- the capture trigger and the emulated log

    /** Creates the table's capture trigger if it has none. */
    void ensureTrigger(Connection connection, String schema, String table) throws SQLException {
        String key = schema + '\0' + table;
        if (triggers.containsKey(key)) {
            return;
        }
        String name = CaptureTrigger.register(this);
        try (Statement s = connection.createStatement()) {
            s.execute("CREATE TRIGGER " + q(schema, name) + " AFTER INSERT, UPDATE, DELETE ON " + q(schema, table)
                    + " FOR EACH ROW CALL '" + CaptureTrigger.class.getName() + "'");
        } catch (SQLException e) {
            CaptureTrigger.unregister(name);
            throw e;
        }
        triggers.put(key, name);
    }

    void dropTrigger(Connection connection, String schema, String table) throws SQLException {
        shapes.remove(schema + '\0' + table);
        String name = triggers.remove(schema + '\0' + table);
        if (name != null) {
            try (Statement s = connection.createStatement()) {
                s.execute("DROP TRIGGER IF EXISTS " + q(schema, name));
            }
            CaptureTrigger.unregister(name);
        }
    }

    void forgetTriggers() {
        triggers.values().forEach(CaptureTrigger::unregister);
        triggers.clear();
        shapes.clear();
    }

    @Override
    public void shape(String schema, String table, List<String> columns) {
        Runnable ddl = shapeChanged(schema, table, columns);
        if (ddl != null) {
            ddlWriter.submit(ddl);
        }
    }

    /** Records the table's shape; returns the DDL work to do when it changed, else null. */
    private Runnable shapeChanged(String schema, String table, List<String> columns) {
        List<String> previous = shapes.put(schema + '\0' + table, List.copyOf(columns));
        if (previous == null || previous.equals(columns)) {
            return null;
        }
        Lsn lsn = log.record(); // the DDL's position in the log
        LocalDateTime time = LocalDateTime.now();
        return () -> recordDdl(schema, table, previous, columns, lsn, time);
    }

    /**
     * H2 alters some columns in place (e.g. a wider varchar) without re-creating triggers: before a
     * scan writes change rows, tracked tables are compared with their last known shape, so the change
     * table is altered first (the DDL's LSN is then the scan's position, later than on SQL Server).
     */
    private void checkShapes(Connection connection) throws SQLException {
        for (String key : List.copyOf(triggers.keySet())) {
            int cut = key.indexOf('\0');
            String schema = key.substring(0, cut);
            String table = key.substring(cut + 1);
            Runnable ddl = shapeChanged(schema, table, TableShape.read(connection, schema, table));
            if (ddl != null) {
                ddl.run();
            }
        }
    }

    private void recordDdl(String schema, String table, List<String> before, List<String> after, Lsn lsn,
                           LocalDateTime time) {
        try {
            capture.exclusive(() -> {
                List<Column> declared = context.declaredColumns(schema, table);
                String command = DdlHistory.command(schema, table, before, after, declared);
                List<CaptureInstance> targets = instancesOf(schema, table);
                if (command == null || targets.isEmpty() || !enabled) {
                    return null;
                }
                Map<String, String> altered = DdlHistory.alteredTypes(before, after);
                try (Connection c = context.newConnection()) {
                    for (CaptureInstance ci : targets) {
                        boolean propagate = ci.columns().stream().anyMatch(col -> altered.containsKey(col.name()));
                        if (propagate) {
                            propagateTypes(c, ci, altered, declared);
                        }
                        DdlHistory.write(c, ci, propagate, command, lsn, time);
                    }
                    if (!c.getAutoCommit()) {
                        c.commit();
                    }
                }
                return null;
            });
        } catch (Exception e) {
            LOG.error("cdc.ddl_history of {}.{} not written in database {}: {}", schema, table, name(), e.toString(), e);
        }
    }

    @Override
    public long stage(int h2SessionId, int records) {
        open.merge(h2SessionId, new OpenTransaction(LocalDateTime.now(), records),
                (a, b) -> new OpenTransaction(a.begin(), a.records() + b.records()));
        return sequence.incrementAndGet();
    }

    /**
     * The commit is where SQL Server writes the commit log record: its LSNs are fixed here, in commit
     * order; the capture process reads them later.
     */
    @Override
    public synchronized void afterCommit(int h2SessionId) {
        OpenTransaction t = open.remove(h2SessionId);
        if (t == null) {
            return;
        }
        LsnLog.TransactionLsns lsns = log.transaction(t.records());
        capture.committed(new CommittedTransaction(capture.nextOrdinal(), h2SessionId, sequence.get(), lsns,
                t.begin(), LocalDateTime.now(), System.nanoTime()));
    }

    /**
     * A captured column's type change reaches the change table when the capture process reads the
     * DDL (the only DDL SQL Server propagates to an existing instance).
     */
    private void propagateTypes(Connection c, CaptureInstance ci, Map<String, String> altered, List<Column> declared)
            throws SQLException {
        List<CapturedColumn> columns = new java.util.ArrayList<>();
        for (CapturedColumn col : ci.columns()) {
            String shape = altered.get(col.name());
            if (shape == null) {
                columns.add(col);
                continue;
            }
            SqlType type = declared.stream().filter(d -> d.name().equals(col.name())).findFirst().map(Column::type)
                    .orElseGet(() -> DdlHistory.sqlType(shape));
            try (Statement s = c.createStatement()) {
                s.execute("ALTER TABLE " + q(CDC, Names.changeTable(ci.name())) + " ALTER COLUMN " + q(col.name())
                        + " SET DATA TYPE " + DdlHistory.h2Type(shape));
            }
            try (PreparedStatement ps = c.prepareStatement("UPDATE " + q(CDC, Metadata.CAPTURED_COLUMNS)
                    + " SET \"column_type\" = ? WHERE \"object_id\" = ? AND \"column_name\" = ?")) {
                ps.setString(1, type.kind().name().toLowerCase(java.util.Locale.ROOT));
                ps.setInt(2, ci.objectId());
                ps.setString(3, col.name());
                ps.executeUpdate();
            }
            columns.add(new CapturedColumn(col.name(), col.columnId(), col.ordinal(), type, col.computed()));
        }
        CaptureInstance updated = new CaptureInstance(ci.name(), ci.sourceSchema(), ci.sourceTable(), ci.objectId(),
                ci.sourceObjectId(), columns, ci.indexColumns(), ci.indexName(), ci.roleName(), ci.filegroupName(),
                ci.supportsNetChanges(), ci.createdAt(), ci.createDate());
        instances.replaceAll(x -> x == ci ? updated : x);
        declare(updated);
    }

    @Override
    public void afterRollback(int h2SessionId) {
        open.remove(h2SessionId); // H2 removed the staged rows with the transaction
    }

    private void scan(List<CommittedTransaction> batch) throws SQLException {
        if (!enabled) {
            return;
        }
        if (captureConnection == null || captureConnection.isClosed()) {
            captureConnection = context.newConnection();
            captureConnection.setAutoCommit(false);
        }
        checkShapes(captureConnection);
        new ChangeTableWriter(captureConnection, instances()).write(batch);
    }

    // ---- functions

    /** Creates the {@code sys.fn_cdc_*} aliases (idempotent). */
    void createSystemFunctions(Connection connection) throws SQLException {
        try (Statement s = connection.createStatement()) {
            s.execute("CREATE SCHEMA IF NOT EXISTS " + q(SYS));
            for (String[] alias : SystemFunctions.ALIASES) {
                s.execute("CREATE ALIAS IF NOT EXISTS " + q(SYS, alias[0]) + " FOR '"
                        + SystemFunctions.class.getName() + "." + alias[1] + "'");
            }
        }
    }

    void createInstanceFunctions(Connection connection, CaptureInstance ci) throws SQLException {
        String bound = FunctionBinder.classFor(ci.name());
        try (Statement s = connection.createStatement()) {
            s.execute("CREATE ALIAS " + q(CDC, Names.allChangesFunction(ci.name())) + " FOR '" + bound
                    + ".allChanges'");
            if (ci.supportsNetChanges()) {
                s.execute("CREATE ALIAS " + q(CDC, Names.netChangesFunction(ci.name())) + " FOR '" + bound
                        + ".netChanges'");
            }
        }
    }

    void dropInstanceFunctions(Connection connection, CaptureInstance ci) throws SQLException {
        try (Statement s = connection.createStatement()) {
            s.execute("DROP ALIAS IF EXISTS " + q(CDC, Names.allChangesFunction(ci.name())));
            s.execute("DROP ALIAS IF EXISTS " + q(CDC, Names.netChangesFunction(ci.name())));
        }
        context.forget(CDC, Names.allChangesFunction(ci.name()));
        context.forget(CDC, Names.netChangesFunction(ci.name()));
    }

    /** Empties {@code cdc.lsn_time_mapping}, as SQL Server does when the last tracked table is disabled. */
    void clearMapping(Connection connection) throws SQLException {
        try (PreparedStatement ps = connection.prepareStatement("DELETE FROM " + q(CDC, Metadata.LSN_TIME_MAPPING))) {
            ps.executeUpdate();
        }
    }

    @Override
    public void close() {
        capture.close();
        ddlWriter.shutdownNow();
        forgetTriggers();
        try {
            if (captureConnection != null) {
                captureConnection.close();
            }
        } catch (SQLException e) {
            LOG.debug("closing the capture connection of {} failed: {}", name(), e.toString());
        }
    }
}
