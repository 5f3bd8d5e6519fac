package io.dstream.mssql.emulator.cdc;

import static io.dstream.mssql.emulator.cdc.Names.CDC;
import static io.dstream.mssql.emulator.cdc.Names.q;

import io.dstream.mssql.emulator.engine.ProcedureCall;
import io.dstream.mssql.emulator.engine.ResultSink;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** {@code sys.sp_cdc_enable_table}: validations in SQL Server's order, then the change table, functions and trigger. */
final class EnableTable {

    static final String PROCEDURE = "sp_cdc_enable_table";
    /** Change-table column names a source column may not have (error 22975). */
    static final Set<String> RESERVED = Set.of("__$start_lsn", "__$end_lsn", "__$seqval", "__$operation",
            "__$update_mask");

    private static final String INSERT_CHANGE_TABLE = "INSERT INTO " + q(CDC, Metadata.CHANGE_TABLES)
            + " (\"object_id\", \"version\", \"source_object_id\", \"capture_instance\", \"start_lsn\", \"end_lsn\", "
            + "\"supports_net_changes\", \"has_drop_pending\", \"role_name\", \"index_name\", \"filegroup_name\", "
            + "\"create_date\", \"partition_switch\") VALUES (?, 0, ?, ?, ?, NULL, ?, NULL, ?, ?, ?, ?, ?)";
    private static final String INSERT_CAPTURED = "INSERT INTO " + q(CDC, Metadata.CAPTURED_COLUMNS)
            + " (\"object_id\", \"column_name\", \"column_id\", \"column_type\", \"column_ordinal\", \"is_computed\") "
            + "VALUES (?, ?, ?, ?, ?, ?)";
    /**
     * DDL that predates a new instance is back-filled onto it (observed on SQL Server 2025: one row per
     * DDL and capture instance, older DDL included).
     */
    private static final String BACKFILL_DDL = "INSERT INTO " + q(CDC, Metadata.DDL_HISTORY)
            + " (\"source_object_id\", \"object_id\", \"required_column_update\", \"ddl_command\", \"ddl_lsn\", "
            + "\"ddl_time\") SELECT DISTINCT \"source_object_id\", ?, \"required_column_update\", \"ddl_command\", "
            + "\"ddl_lsn\", \"ddl_time\" FROM " + q(CDC, Metadata.DDL_HISTORY) + " WHERE \"source_object_id\" = ?";
    private static final String INSERT_INDEX = "INSERT INTO " + q(CDC, Metadata.INDEX_COLUMNS)
            + " (\"object_id\", \"column_name\", \"index_ordinal\", \"column_id\") VALUES (?, ?, ?, ?)";

    /**
     * SQL Server's clustered key of a change table, unique [OBS]. H2 cannot cluster on it, but with this
     * index a reader's keyset page ({@code TOP (n)} after a position, {@code ORDER BY} this key, the
     * position's LSN as lower bound) is a seek on {@code __$start_lsn} that reads rows in key order and
     * stops after n, as on SQL Server, instead of a scan and a sort whose cost grows with the table.
     * {@code __$command_id} stays nullable as in SQL Server, so this is a unique index and not a
     * primary key.
     */
    private static final String CLUSTERED_KEY = "CREATE UNIQUE INDEX %s ON %s "
            + "(\"__$start_lsn\", \"__$command_id\", \"__$seqval\", \"__$operation\")";

    private static final Logger LOG = LoggerFactory.getLogger(EnableTable.class);

    private final CdcDatabase db;

    EnableTable(CdcDatabase db) {
        this.db = db;
    }

    int call(ProcedureCall call) throws Exception {
        Args a = new Args(call, PROCEDURE);
        String schemaArg = a.required("source_schema", 0);
        String tableArg = a.required("source_name", 1);
        String role = Names.rtrim(a.required("role_name", 4));
        if (!db.enabled()) {
            throw CdcErrors.databaseNotEnabled(db.name());
        }
        if (schemaArg == null || schemaArg.isBlank()) {
            throw CdcErrors.parameterNullOrEmpty("@source_schema");
        }
        if (tableArg == null || tableArg.isBlank()) {
            throw CdcErrors.parameterNullOrEmpty("@source_name");
        }
        Connection connection = call.connection();
        SourceTable source = SourceTable.find(connection, db.context, schemaArg, tableArg)
                .orElseThrow(() -> CdcErrors.sourceTableMissing(schemaArg, tableArg));
        if (Names.same(source.schema(), CDC)) {
            throw CdcErrors.cdcSchemaTable();
        }
        if (role != null && role.isEmpty()) {
            throw CdcErrors.emptyRoleName();
        }
        String instanceArg = Names.rtrim(a.string("capture_instance", 2));
        String instance = instanceArg == null ? source.schema() + "_" + source.name() : instanceArg;
        if (instance.isEmpty()) {
            throw CdcErrors.invalidInstanceName(instance);
        }
        if (instance.length() > 100) {
            throw CdcErrors.instanceNameTooLong(instance);
        }
        if (db.instance(instance).isPresent()) {
            throw CdcErrors.instanceExists(instance);
        }
        if (db.instancesOf(source.schema(), source.name()).size() >= 2) {
            throw CdcErrors.twoInstancesExist(source.schema(), source.name());
        }
        Optional<SourceTable.UniqueIndex> index = rowIdentifier(source, a.string("index_name", 5));
        Boolean netArg = a.bit("supports_net_changes", 3);
        if (Boolean.TRUE.equals(netArg) && index.isEmpty()) {
            throw CdcErrors.netChangesWithoutKey();
        }
        // Default: net changes when the table has a row identifier (PK or @index_name).
        boolean net = netArg != null ? netArg : index.isPresent();
        if (net && index.get().columns().size() > 14) {
            throw CdcErrors.tooManyNetKeyColumns(index.get().name(), source.schema(), source.name());
        }
        List<SourceTable.SourceColumn> captured = capturedColumns(source, a.string("captured_column_list", 6));
        if (index.isPresent()) {
            for (String k : index.get().columns()) {
                if (captured.stream().noneMatch(c -> Names.same(c.name(), k))) {
                    throw CdcErrors.keyColumnsNotCaptured();
                }
            }
        }
        String filegroup = Names.rtrim(a.string("filegroup_name", 7));
        if (filegroup != null && !filegroup.isEmpty() && !Names.same(filegroup, "PRIMARY")) {
            throw CdcErrors.invalidFilegroup(filegroup, db.name());
        }
        if (Boolean.TRUE.equals(a.bit("enable_extended_ddl_handling", 9))) {
            throw CdcErrors.extendedDdlHandlingDisabled();
        }
        if (Boolean.FALSE.equals(a.bit("allow_partition_switch", 8))) {
            // Non-partitioned tables always allow SWITCH; SQL Server warns (22857) and keeps 1.
            call.sink().info(22857, "Warning: The @allow_partition_switch parameter must be 1 for tables that are not "
                    + "partitioned. The explicit setting of the parameter to 0 was ignored. Refer to books online for "
                    + "more information about partition switching behavior when using Change Data Capture.");
        }
        db.capture.exclusive(() -> {
            create(connection, call.sink(), source, instance, captured, index, role, filegroup, net);
            return null;
        });
        return 0;
    }

    private static Optional<SourceTable.UniqueIndex> rowIdentifier(SourceTable source, String indexName) {
        if (indexName == null) {
            return source.primaryKey();
        }
        String name = Names.rtrim(indexName);
        if (source.primaryKey().filter(pk -> Names.same(pk.name(), name)).isPresent()) {
            return source.primaryKey();
        }
        Optional<SourceTable.UniqueIndex> unique = source.uniqueIndexes().stream()
                .filter(u -> Names.same(u.name(), name)).findFirst();
        if (unique.isPresent()) {
            for (String k : unique.get().columns()) {
                if (source.column(k).map(SourceTable.SourceColumn::nullable).orElse(true)) {
                    throw CdcErrors.nullableIndexColumn(unique.get().name(), source.schema(), source.name());
                }
            }
            return unique;
        }
        if (source.otherIndexes().stream().anyMatch(n -> Names.same(n, name))) {
            throw CdcErrors.notUniqueIndex(name, source.schema(), source.name());
        }
        throw CdcErrors.notAnIndex(name, source.schema(), source.name());
    }

    private static List<SourceTable.SourceColumn> capturedColumns(SourceTable source, String list) {
        if (list == null) {
            for (SourceTable.SourceColumn c : source.columns()) {
                if (RESERVED.stream().anyMatch(r -> Names.same(r, c.name()))) {
                    throw CdcErrors.reservedColumnName(source.name());
                }
            }
            return source.columns();
        }
        List<SourceTable.SourceColumn> chosen = new ArrayList<>();
        for (String name : ColumnList.parse(list)) {
            SourceTable.SourceColumn c = source.column(name)
                    .orElseThrow(() -> CdcErrors.columnNotFound(name, source.schema(), source.name()));
            if (!chosen.contains(c)) {
                chosen.add(c);
            }
        }
        // Captured columns keep the source table's order, whatever the order of the list.
        chosen.sort((x, y) -> Integer.compare(x.columnId(), y.columnId()));
        return chosen;
    }

    private void create(Connection connection, ResultSink sink, SourceTable source, String instance,
                        List<SourceTable.SourceColumn> sourceColumns, Optional<SourceTable.UniqueIndex> index,
                        String role, String filegroup, boolean net) throws SQLException {
        String ct = Names.changeTable(instance);
        createChangeTable(connection, source, ct, sourceColumns);
        int objectId = db.objectId(CDC, ct);
        int sourceObjectId = db.objectId(source.schema(), source.name());
        List<CapturedColumn> columns = new ArrayList<>();
        for (SourceTable.SourceColumn c : sourceColumns) {
            columns.add(new CapturedColumn(c.name(), c.columnId(), columns.size() + 1, c.type(),
                    c.computed()));
        }
        Lsn startLsn = db.log.commit();
        LocalDateTime created = SqlDateTime.round(LocalDateTime.now());
        CaptureInstance ci = new CaptureInstance(instance, source.schema(), source.name(), objectId, sourceObjectId,
                columns, index.map(SourceTable.UniqueIndex::columns).orElse(List.of()),
                index.map(SourceTable.UniqueIndex::name).orElse(null), role,
                filegroup == null || filegroup.isEmpty() ? null : filegroup, net, startLsn, created);
        insertMetadata(connection, ci, source);
        db.declare(ci);
        db.createInstanceFunctions(connection, ci);
        db.added(ci);
        if (db.jobs.createIfMissing()) {
            // The first tracked table creates the jobs and starts the capture job (msdb message 14243).
            sink.info(14243, "Job '" + db.jobs.captureJobName() + "' started successfully.");
        }
        LOG.info("CDC capture instance {} enabled for {}.{} in database {} ({} columns, net changes {})",
                instance, source.schema(), source.name(), db.name(), columns.size(), net);
        db.ensureTrigger(connection, source.schema(), source.name());
        createRole(connection, role); // DDL above committed the caller's transaction, as in H2 any DDL does
    }

    /**
     * {@code cdc.<ci>_CT}: the metadata columns of §2.1 around the captured columns, which keep the source
     * types but are all nullable and lose identity/default/computation.
     */
    private static void createChangeTable(Connection connection, SourceTable source, String ct,
                                          List<SourceTable.SourceColumn> columns) throws SQLException {
        StringBuilder select = new StringBuilder("SELECT CAST(NULL AS BINARY(10)) AS \"__$start_lsn\", "
                + "CAST(NULL AS BINARY(10)) AS \"__$end_lsn\", CAST(NULL AS BINARY(10)) AS \"__$seqval\", "
                + "CAST(NULL AS INT) AS \"__$operation\", CAST(NULL AS VARBINARY(128)) AS \"__$update_mask\"");
        for (SourceTable.SourceColumn c : columns) {
            select.append(", s.").append(q(c.name()));
        }
        select.append(", CAST(NULL AS INT) AS \"__$command_id\" FROM ").append(q(source.schema(), source.name()))
                .append(" s");
        try (Statement s = connection.createStatement()) {
            s.execute("CREATE TABLE " + q(CDC, ct) + " AS " + select + " WITH NO DATA");
            for (SourceTable.SourceColumn c : columns) {
                s.execute("ALTER TABLE " + q(CDC, ct) + " ALTER COLUMN " + q(c.name()) + " SET NULL");
            }
            for (String notNull : List.of("__$start_lsn", "__$seqval", "__$operation")) {
                s.execute("ALTER TABLE " + q(CDC, ct) + " ALTER COLUMN " + q(notNull) + " SET NOT NULL");
            }
            s.execute(String.format(CLUSTERED_KEY, q(CDC, ct + "_clustered_idx"), q(CDC, ct)));
        }
    }

    private static void insertMetadata(Connection connection, CaptureInstance ci, SourceTable source)
            throws SQLException {
        try (PreparedStatement ps = connection.prepareStatement(INSERT_CHANGE_TABLE)) {
            ps.setInt(1, ci.objectId());
            ps.setInt(2, ci.sourceObjectId());
            ps.setString(3, ci.name());
            ps.setBytes(4, ci.createdAt().toBytes());
            ps.setBoolean(5, ci.supportsNetChanges());
            ps.setString(6, ci.roleName());
            ps.setString(7, ci.indexName());
            ps.setString(8, ci.filegroupName());
            ps.setTimestamp(9, Timestamp.valueOf(ci.createDate()));
            ps.setBoolean(10, true);
            ps.executeUpdate();
        }
        try (PreparedStatement ps = connection.prepareStatement(INSERT_CAPTURED)) {
            for (CapturedColumn c : ci.columns()) {
                ps.setInt(1, ci.objectId());
                ps.setString(2, c.name());
                ps.setInt(3, c.columnId());
                ps.setString(4, c.type().kind().name().toLowerCase(java.util.Locale.ROOT));
                ps.setInt(5, c.ordinal());
                ps.setBoolean(6, c.computed());
                ps.executeUpdate();
            }
        }
        try (PreparedStatement ps = connection.prepareStatement(BACKFILL_DDL)) {
            ps.setInt(1, ci.objectId());
            ps.setInt(2, ci.sourceObjectId());
            ps.executeUpdate();
        }
        try (PreparedStatement ps = connection.prepareStatement(INSERT_INDEX)) {
            int ordinal = 1;
            for (String k : ci.indexColumns()) {
                ps.setInt(1, ci.objectId());
                ps.setString(2, k);
                ps.setInt(3, ordinal++);
                ps.setInt(4, source.column(k).map(SourceTable.SourceColumn::columnId).orElse(0));
                ps.executeUpdate();
            }
        }
    }

    /** The gating role is created if missing (SQL Server makes {@code cdc} its owner); H2 roles are enough here. */
    private static void createRole(Connection connection, String role) {
        if (role == null) {
            return;
        }
        try (Statement s = connection.createStatement()) {
            s.execute("CREATE ROLE IF NOT EXISTS " + q(role));
        } catch (SQLException e) {
            LOG.debug("gating role {} not created in H2: {}", role, e.toString());
        }
    }
}
