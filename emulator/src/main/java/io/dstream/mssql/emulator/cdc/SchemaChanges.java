package io.dstream.mssql.emulator.cdc;

import static io.dstream.mssql.emulator.cdc.Names.CDC;
import static io.dstream.mssql.emulator.cdc.Names.q;

import io.dstream.mssql.emulator.engine.Column;
import io.dstream.mssql.emulator.engine.SqlType;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.h2.engine.SessionLocal;
import org.h2.jdbc.JdbcConnection;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * DDL on tracked tables, as the capture process sees it in the log: column changes become
 * {@code cdc.ddl_history} rows (type changes of captured columns also alter the change table), and
 * a dropped table takes its capture instances with it. The emulator notices DDL through H2: triggers
 * re-initialised on a rebuilt copy, trigger removal, and a shape check before a scan when H2 reports
 * any DDL since the last check.
 */
final class SchemaChanges implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(SchemaChanges.class);

    private final CdcDatabase db;
    /** Last known columns of each tracked table ("schema\0table" → {@link TableShape}). */
    private final Map<String, List<String>> shapes = new ConcurrentHashMap<>();
    /** Tables H2 is rebuilding for ALTER TABLE: the old copy's trigger removal is not a DROP TABLE. */
    private final Set<String> rebuilding = ConcurrentHashMap.newKeySet();
    /** H2's schema modification counter when {@link #checkShapes} last compared every tracked table. */
    private volatile long checkedMetaId = -1;
    /** Works asynchronously, as SQL Server's capture process handles DDL when it reads it. */
    private final ExecutorService worker;

    SchemaChanges(CdcDatabase db) {
        this.db = db;
        this.worker = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "cdc-ddl-" + db.name());
            t.setDaemon(true);
            return t;
        });
    }

    void forget(String schema, String table) {
        shapes.remove(schema + '\0' + table);
    }

    void forgetAll() {
        shapes.clear();
    }

    void shape(String schema, String table, List<String> columns) {
        Runnable ddl = shapeChanged(schema, table, columns);
        if (ddl != null) {
            worker.submit(ddl);
        }
    }

    void rebuilding(String schema, String table) {
        rebuilding.add(schema + '\0' + table);
    }

    /** H2 removes a trigger when its table is dropped, when ALTER TABLE replaced it by a rebuilt copy, or on DROP TRIGGER. */
    void removed(String schema, String table) {
        String key = schema + '\0' + table;
        if (rebuilding.remove(key) || !db.hasTrigger(schema, table)) {
            return;
        }
        worker.submit(() -> sourceDropped(schema, table));
    }

    /** Records the table's shape; returns the DDL work to do when it changed, else null. */
    private Runnable shapeChanged(String schema, String table, List<String> columns) {
        List<String> previous = shapes.put(schema + '\0' + table, List.copyOf(columns));
        if (previous == null || previous.equals(columns)) {
            return null;
        }
        Lsn lsn = db.log.commit(); // the DDL's position in the log
        LocalDateTime time = LocalDateTime.now();
        return () -> recordDdl(schema, table, previous, columns, lsn, time);
    }

    /**
     * H2 alters some columns in place (e.g. a wider varchar) without re-creating triggers: before a
     * scan writes change rows, tracked tables are compared with their last known shape, so the change
     * table is altered first (the DDL's LSN is then the scan's position, later than on SQL Server).
     */
    void checkShapes(Connection connection) throws SQLException {
        long metaId = metaModificationId(connection);
        if (metaId >= 0 && metaId == checkedMetaId) {
            return; // no DDL anywhere in the database since the last check
        }
        for (String key : db.trackedTables()) {
            int cut = key.indexOf('\0');
            String schema = key.substring(0, cut);
            String table = key.substring(cut + 1);
            List<String> shape = TableShape.read(connection, schema, table);
            if (shape.isEmpty()) {
                continue; // dropped, or in the middle of an ALTER TABLE rebuild
            }
            Runnable ddl = shapeChanged(schema, table, shape);
            if (ddl != null) {
                ddl.run();
            }
        }
        checkedMetaId = metaId;
    }

    /** H2's counter of schema changes (every DDL moves it), or -1 when the connection does not tell. */
    private static long metaModificationId(Connection connection) {
        if (connection instanceof JdbcConnection jdbc && jdbc.getSession() instanceof SessionLocal local) {
            return local.getDatabase().getModificationMetaId();
        }
        return -1;
    }

    private void recordDdl(String schema, String table, List<String> before, List<String> after, Lsn lsn,
                           LocalDateTime time) {
        try {
            db.capture.exclusive(() -> {
                List<Column> declared = db.context.declaredColumns(schema, table);
                String command = DdlHistory.command(schema, table, before, after, declared);
                List<CaptureInstance> targets = db.instancesOf(schema, table);
                if (command == null || targets.isEmpty() || !db.enabled()) {
                    return null;
                }
                Map<String, String> altered = DdlHistory.alteredTypes(before, after);
                try (Connection c = db.context.newConnection()) {
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
            LOG.error("cdc.ddl_history of {}.{} not written in database {}: {}", schema, table, db.name(), e.toString(), e);
        }
    }

    /**
     * A tracked table was dropped: SQL Server removes its capture instances with it (and, with the
     * last tracked table, the mapping and the jobs, as {@code sp_cdc_disable_table} does).
     */
    private void sourceDropped(String schema, String table) {
        try {
            db.capture.exclusive(() -> {
                try (Connection c = db.context.newConnection()) {
                    if (SourceTable.find(c, db.context, schema, table).isPresent() || !db.enabled()) {
                        return null;
                    }
                    for (CaptureInstance ci : db.instancesOf(schema, table)) {
                        db.dropInstance(c, ci);
                    }
                    if (db.instances().isEmpty()) {
                        db.clearMapping(c);
                        db.jobs.drop();
                    }
                    if (!c.getAutoCommit()) {
                        c.commit();
                    }
                }
                return null;
            });
        } catch (Exception e) {
            LOG.error("CDC metadata of dropped table {}.{} not removed in database {}: {}", schema, table, db.name(),
                    e.toString(), e);
        }
    }

    /**
     * A captured column's type change reaches the change table when the capture process reads the
     * DDL (the only DDL SQL Server propagates to an existing instance).
     */
    private void propagateTypes(Connection c, CaptureInstance ci, Map<String, String> altered, List<Column> declared)
            throws SQLException {
        List<CapturedColumn> columns = new ArrayList<>();
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
                ps.setString(1, type.kind().name().toLowerCase(Locale.ROOT));
                ps.setInt(2, ci.objectId());
                ps.setString(3, col.name());
                ps.executeUpdate();
            }
            columns.add(new CapturedColumn(col.name(), col.columnId(), col.ordinal(), type, col.computed()));
        }
        CaptureInstance updated = new CaptureInstance(ci.name(), ci.sourceSchema(), ci.sourceTable(), ci.objectId(),
                ci.sourceObjectId(), columns, ci.indexColumns(), ci.indexName(), ci.roleName(), ci.filegroupName(),
                ci.supportsNetChanges(), ci.createdAt(), ci.createDate());
        db.replace(ci, updated);
        db.declare(updated);
    }

    @Override
    public void close() {
        worker.shutdownNow();
    }
}
