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
    private static final String DELETE_INSTANCE_ROWS = "DELETE FROM %s WHERE \"object_id\" = ?";

    /**
     * A transaction that staged changes and has not committed yet; its staged rows have sequence
     * numbers from {@code firstSeq} on (no row of the session's earlier transactions is that high).
     */
    private record OpenTransaction(LocalDateTime begin, Lsn beginLsn, long firstSeq) {
    }

    final DatabaseContext context;
    final LsnLog log = new LsnLog();
    final CaptureProcess capture;
    final CdcJobs jobs;
    private final List<CaptureInstance> instances = new CopyOnWriteArrayList<>();
    /** "schema\0table" → capture trigger name, one trigger per tracked table. */
    private final Map<String, String> triggers = new ConcurrentHashMap<>();
    private final Map<Integer, OpenTransaction> open = new ConcurrentHashMap<>();
    private final SchemaChanges schemaChanges;
    private final AtomicLong sequence = new AtomicLong();
    private final AtomicLong objectIds = new AtomicLong(1_000_000_000L);
    private volatile boolean enabled;
    private Connection captureConnection;
    private ChangeTableWriter writer;

    CdcDatabase(DatabaseContext context, Duration latency) {
        this.context = context;
        this.jobs = new CdcJobs(context.name());
        this.capture = new CaptureProcess(context.name(), latency, jobs::maxTransactions, this::scan);
        this.schemaChanges = new SchemaChanges(this);
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

    @Override
    public boolean columnCaptured(String schema, String table, String column) {
        for (CaptureInstance ci : instances) {
            if (Names.same(ci.sourceSchema(), schema) && Names.same(ci.sourceTable(), table)
                    && ci.columns().stream().anyMatch(c -> Names.same(c.name(), column))) {
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

    /** Metadata rows go first: the DROPs that follow commit them, as any DDL does in H2. */
    void dropInstance(Connection c, CaptureInstance ci) throws SQLException {
        LOG.info("CDC capture instance {} of {}.{} dropped in database {}", ci.name(), ci.sourceSchema(),
                ci.sourceTable(), name());
        removed(ci);
        for (String t : List.of(Metadata.CHANGE_TABLES, Metadata.CAPTURED_COLUMNS, Metadata.INDEX_COLUMNS,
                Metadata.DDL_HISTORY)) {
            try (PreparedStatement ps = c.prepareStatement(String.format(DELETE_INSTANCE_ROWS, q(CDC, t)))) {
                ps.setInt(1, ci.objectId());
                ps.executeUpdate();
            }
        }
        dropInstanceFunctions(c, ci);
        try (Statement s = c.createStatement()) {
            s.execute("DROP TABLE IF EXISTS " + q(CDC, Names.changeTable(ci.name())));
        }
        context.forget(CDC, Names.changeTable(ci.name()));
        if (instancesOf(ci.sourceSchema(), ci.sourceTable()).isEmpty()) {
            dropTrigger(c, ci.sourceSchema(), ci.sourceTable());
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
        schemaChanges.forget(schema, table);
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
        schemaChanges.forgetAll();
    }

    /** The tracked tables as "schema\0table". */
    List<String> trackedTables() {
        return List.copyOf(triggers.keySet());
    }

    boolean hasTrigger(String schema, String table) {
        return triggers.containsKey(schema + '\0' + table);
    }

    void replace(CaptureInstance old, CaptureInstance updated) {
        instances.replaceAll(x -> x == old ? updated : x);
    }

    @Override
    public void shape(String schema, String table, List<String> columns) {
        schemaChanges.shape(schema, table, columns);
    }

    @Override
    public void rebuilding(String schema, String table) {
        schemaChanges.rebuilding(schema, table);
    }

    @Override
    public void removed(String schema, String table) {
        schemaChanges.removed(schema, table);
    }

    /** The transaction's begin record comes with its first change; each change is a log record of its own. */
    @Override
    public CaptureTrigger.Staged stage(int h2SessionId, int records) {
        open.computeIfAbsent(h2SessionId, id -> new OpenTransaction(LocalDateTime.now(), log.record(),
                sequence.get() + 1));
        Lsn first = log.record();
        Lsn second = records > 1 ? log.record() : null;
        return new CaptureTrigger.Staged(sequence.incrementAndGet(), first, second);
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
        Lsn commit = log.commit();
        capture.committed(new CommittedTransaction(capture.nextOrdinal(), h2SessionId, t.firstSeq(), sequence.get(),
                t.beginLsn(), commit, t.begin(), LocalDateTime.now(), System.nanoTime()));
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
            writer = new ChangeTableWriter(captureConnection);
        }
        schemaChanges.checkShapes(captureConnection);
        writer.write(batch, instances());
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

    /**
     * A database on disk first captures everything committed (even with the capture job paused):
     * what is not in the change tables at close would be lost, its commit LSNs being in memory only.
     */
    @Override
    public void close() {
        if (context.persistent() && enabled) {
            try {
                capture.scanNow();
            } catch (Exception e) {
                LOG.error("CDC of database {}: changes committed before close were not captured: {}", name(),
                        e.toString(), e);
            }
        }
        capture.close();
        schemaChanges.close();
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
