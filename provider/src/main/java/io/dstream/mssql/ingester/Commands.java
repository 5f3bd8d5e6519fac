package io.dstream.mssql.ingester;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.dstream.mssql.ingester.cdc.Checkpoint;
import io.dstream.mssql.ingester.cdc.CheckpointStore;
import io.dstream.mssql.ingester.cdc.Instances;
import io.dstream.mssql.ingester.cdc.Position;
import io.dstream.mssql.ingester.cdc.Probe;
import io.dstream.mssql.ingester.cdc.StartPosition;
import io.dstream.mssql.ingester.config.Command;
import io.dstream.mssql.ingester.config.ProviderConfig;
import io.dstream.mssql.ingester.config.TableName;
import io.dstream.mssql.ingester.db.CaptureInstance;
import io.dstream.mssql.ingester.db.Catalog;
import io.dstream.mssql.ingester.db.Database;
import io.dstream.mssql.ingester.db.Lsn;
import io.dstream.mssql.ingester.locking.LockKey;
import io.dstream.mssql.ingester.locking.LockerException;
import io.dstream.mssql.ingester.output.Json;
import io.dstream.mssql.ingester.output.Stdout;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import io.dstream.mssql.ingester.cdc.SnapshotProgress;
import io.dstream.mssql.ingester.cdc.SnapshotReader;
import io.dstream.mssql.ingester.config.SnapshotMode;

/** The commands that do not stream: {@code init}, {@code plan}, {@code status}, {@code destroy}, {@code snapshot}. */
final class Commands {

    private static final Logger LOG = LoggerFactory.getLogger(Commands.class);

    /**
     * Commit time of the oldest change at or after an LSN, for {@code status}'s lag. Ordered by the
     * clustered key's leading column, so it is one seek.
     */
    static final String OLDEST_PENDING_COMMIT = "SELECT TOP (1) m.[tran_end_time] FROM %s AS ct "
            + "JOIN [cdc].[lsn_time_mapping] AS m ON m.[start_lsn] = ct.[__$start_lsn] "
            + "WHERE ct.[__$start_lsn] >= ? ORDER BY ct.[__$start_lsn]";

    private final Database db;
    private final ProviderConfig config;
    private final Startup startup;
    private final Stdout out;
    private final CheckpointStore store;

    Commands(Database db, ProviderConfig config, Startup startup, Stdout out) {
        this.db = db;
        this.config = config;
        this.startup = startup;
        this.out = out;
        this.store = new CheckpointStore(config.checkpointTable());
    }

    void run(Command command) throws SQLException, IOException {
        switch (command) {
            case INIT -> init();
            case PLAN -> plan();
            case STATUS -> status();
            case DESTROY -> destroy();
            case SNAPSHOT -> snapshot();
            default -> throw new IllegalArgumentException("not a one-shot command: " + command);
        }
    }

    private void init() throws IOException {
        ObjectNode line = Json.object();
        line.put("status", "initialized");
        line.put("checkpoint_table", config.checkpointTable().toString());
        out.write(line);
    }

    private void plan() throws SQLException, IOException {
        Optional<Lsn> max = db.with(Catalog::maxLsn);
        Map<TableName, Checkpoint> checkpoints = checkpoints();
        for (TableName table : tables()) {
            List<CaptureInstance> instances = instances(table);
            StartPosition start = StartPosition.of(Optional.ofNullable(checkpoints.get(table)), StartPosition.startFrom(config), max,
                    instances.get(0));
            Position position = start.position().orElse(null);
            Lsn from = start.fromLsn(instances.get(0));
            CaptureInstance ci = instances.get(position == null ? 0 : Instances.choose(instances, position));
            ObjectNode line = Json.object();
            line.put("table", table.toString());
            line.put("capture_instance", ci.name());
            ArrayNode names = line.putArray("captured_columns");
            ci.columnNames().forEach(names::add);
            line.put("start", start.kind().text());
            line.put("from_lsn", from == null ? null : from.toString());
            line.set("snapshot", snapshotOf(table, Optional.ofNullable(checkpoints.get(table))));
            out.write(line);
        }
    }

    private void status() throws SQLException, IOException {
        Optional<Lsn> max = db.with(Catalog::maxLsn);
        List<CaptureInstance> all = new ArrayList<>();
        tables().forEach(t -> all.addAll(instances(t)));
        Map<String, Lsn> newest = db.with(c -> Probe.run(c, all));
        Map<TableName, Checkpoint> checkpoints = checkpoints();
        for (TableName table : tables()) {
            List<CaptureInstance> instances = instances(table);
            Optional<Checkpoint> checkpoint = Optional.ofNullable(checkpoints.get(table));
            Position position = StartPosition.of(checkpoint, StartPosition.startFrom(config), max, instances.get(0)).position().orElse(null);
            CaptureInstance ci = instances.get(position == null ? 0 : Instances.choose(instances, position));
            Lsn next = position == null ? Lsn.ZERO : position.nextNeededLsn();
            boolean pending = instances.stream().map(i -> newest.get(i.name()))
                    .anyMatch(n -> n != null && n.compareTo(next) >= 0);
            ObjectNode line = Json.object();
            line.put("table", table.toString());
            line.put("capture_instance", ci.name());
            line.put("checkpoint_lsn", checkpoint.map(c -> c.position().commitLsn().toString()).orElse(null));
            line.put("max_lsn", max.map(Lsn::toString).orElse(null));
            line.put("min_lsn", ci.startLsn() == null ? null : ci.startLsn().toString());
            line.put("pending", pending);
            Double lag = pending ? lagSeconds(ci, next) : Double.valueOf(0);
            if (lag == null) {
                line.putNull("lag_seconds");
            } else {
                line.put("lag_seconds", lag);
            }
            line.put("lock", lockState(table));
            line.set("snapshot", snapshotOf(table, checkpoint));
            out.write(line);
        }
    }

    private void destroy() throws SQLException, IOException {
        List<String> rows = new ArrayList<>();
        checkpoints().keySet().forEach(table -> rows.add(table.toString()));
        if (!config.confirmDestroy()) {
            ObjectNode planned = Json.object();
            planned.put("status", "destroy_planned");
            ArrayNode plannedRows = planned.putArray("checkpoint_rows");
            rows.forEach(plannedRows::add);
            out.write(planned);
            LOG.info("destroy: nothing changed; set \"confirm_destroy\": true to delete the checkpoint rows of {}", rows);
            return;
        }
        ArrayNode deleted = Json.object().arrayNode();
        for (String row : rows) {
            if (db.with(c -> store.delete(c, tableOf(row)))) {
                deleted.add(row);
                LOG.info("destroy: deleted the checkpoint row of {}", row);
            }
        }
        ObjectNode done = Json.object();
        done.put("status", "destroyed");
        done.set("checkpoint_rows", deleted);
        out.write(done);
    }

    /**
     * Asks for a new snapshot of each table, keeping its stream position: whichever instance streams the
     * table (now, within a heartbeat interval, or once it starts) snapshots its rows again while its
     * changes go on.
     */
    private void snapshot() throws SQLException, IOException {
        Instant at = Instant.now().truncatedTo(java.time.temporal.ChronoUnit.MILLIS);
        for (TableName table : tables()) {
            db.with(c -> {
                store.requestSnapshot(c, table, at);
                return null;
            });
            ObjectNode line = Json.object();
            line.put("table", table.toString());
            line.put("snapshot", "requested");
            line.put("requested_at", at.toString());
            LOG.info("{}: snapshot requested; the instance streaming it snapshots its rows again within a heartbeat interval", table);
            out.write(line);
        }
    }

    /** The table's snapshot as {@code plan} and {@code status} show it: state, rows, estimated rows, rate. */
    private ObjectNode snapshotOf(TableName table, Optional<Checkpoint> checkpoint) throws SQLException {
        ObjectNode node = Json.object();
        SnapshotProgress progress = checkpoint.map(Checkpoint::snapshot).orElse(SnapshotProgress.NONE);
        boolean requested = checkpoint.map(Checkpoint::snapshotRequested).isPresent();
        boolean pending = requested || (checkpoint.isEmpty() && config.snapshotMode() != SnapshotMode.NEVER);
        node.put("state", pending ? "pending" : progress.stateText());
        if (pending || progress.state() == SnapshotProgress.State.NONE) {
            return node;
        }
        node.put("rows", progress.rows());
        if (progress.running()) {
            long estimate = estimatedRows(table);
            if (estimate >= 0) {
                node.put("estimated_rows", estimate);
            }
            if (progress.startedAt() != null) {
                double seconds = Math.max(1, Duration.between(progress.startedAt(), Instant.now()).toSeconds());
                node.put("rows_per_second", Math.round(progress.rows() / seconds));
            }
        }
        return node;
    }

    private long estimatedRows(TableName table) {
        try {
            return db.with(c -> SnapshotReader.estimatedRows(c, table));
        } catch (SQLException e) {
            return -1; // only an estimate: a login that may not read sys.partitions still gets the rest
        }
    }

    private TableName tableOf(String row) {
        return tables().stream().filter(t -> t.toString().equals(row)).findFirst().orElseThrow();
    }

    /** The tables as the catalog spells them, in config order. */
    private List<TableName> tables() {
        return List.copyOf(startup.resolution().tables().keySet());
    }

    private List<CaptureInstance> instances(TableName table) {
        return startup.resolution().tables().get(table);
    }

    /** The tables' checkpoints (in config order; absent: none), in one statement; none without a checkpoint table. */
    private Map<TableName, Checkpoint> checkpoints() throws SQLException {
        if (!startup.checkpointTableExists()) {
            return Map.of();
        }
        return db.with(c -> store.loadAll(c, tables()));
    }

    private Double lagSeconds(CaptureInstance ci, Lsn from) throws SQLException {
        LocalDateTime commit = db.with(c -> oldestPendingCommit(c, ci, from));
        if (commit == null) {
            return null;
        }
        Instant at = commit.toInstant(startup.serverOffset());
        return Math.max(0, Duration.between(at, Instant.now()).toMillis() / 1000.0);
    }

    private static LocalDateTime oldestPendingCommit(Connection c, CaptureInstance ci, Lsn from) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(String.format(OLDEST_PENDING_COMMIT, ci.changeTable()))) {
            ps.setBytes(1, from.bytes());
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? rs.getObject(1, LocalDateTime.class) : null;
            }
        }
    }

    /** {@code none}, {@code free} or {@code held by <instance>}, as the locker reports it (without taking the lock). */
    private String lockState(TableName table) {
        try {
            return startup.locker().lockStatus(new LockKey(config.serverName(), config.database(), table.schema(), table.table()));
        } catch (LockerException e) {
            return "unknown (" + e.getMessage() + ")";
        }
    }
}
