package io.dstream.mssql.emulator.cdc;

import static io.dstream.mssql.emulator.cdc.Names.CDC;
import static io.dstream.mssql.emulator.cdc.Names.q;

import io.dstream.mssql.emulator.engine.Column;
import io.dstream.mssql.emulator.engine.Procedure;
import io.dstream.mssql.emulator.engine.ProcedureCall;
import io.dstream.mssql.emulator.engine.ResultSink;
import io.dstream.mssql.emulator.engine.SqlError;
import io.dstream.mssql.emulator.engine.SqlType;
import io.dstream.mssql.emulator.engine.SqlType.Kind;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

/** The {@code sys.sp_cdc_*} procedures of one database. */
final class CdcProcedures {

    private static final SqlType NVARCHAR_MAX = SqlType.sized(Kind.NVARCHAR, SqlType.MAX);
    private static final List<Column> HELP_COLUMNS = List.of(
            new Column("source_schema", Metadata.SYSNAME, true), new Column("source_table", Metadata.SYSNAME, true),
            new Column("capture_instance", Metadata.SYSNAME, true), new Column("object_id", Metadata.INT, true),
            new Column("source_object_id", Metadata.INT, true), new Column("start_lsn", Metadata.BINARY10, true),
            new Column("end_lsn", Metadata.BINARY10, true), new Column("supports_net_changes", Metadata.BIT, true),
            new Column("has_drop_pending", Metadata.BIT, true), new Column("role_name", Metadata.SYSNAME, true),
            new Column("index_name", Metadata.SYSNAME, true), new Column("filegroup_name", Metadata.SYSNAME, true),
            new Column("create_date", Metadata.DATETIME, true), new Column("index_column_list", NVARCHAR_MAX, true),
            new Column("captured_column_list", NVARCHAR_MAX, true));
    private static final List<Column> CAPTURED_COLUMNS = List.of(
            new Column("source_schema", Metadata.SYSNAME, true), new Column("source_table", Metadata.SYSNAME, true),
            new Column("capture_instance", Metadata.SYSNAME, true), new Column("column_name", Metadata.SYSNAME, true),
            new Column("column_id", Metadata.INT, true), new Column("column_ordinal", Metadata.INT, true),
            new Column("data_type", Metadata.SYSNAME, true), new Column("character_maximum_length", Metadata.INT, true),
            new Column("numeric_precision", SqlType.of(Kind.TINYINT), true),
            new Column("numeric_precision_radix", SqlType.of(Kind.SMALLINT), true),
            new Column("numeric_scale", Metadata.INT, true),
            new Column("datetime_precision", SqlType.of(Kind.SMALLINT), true));
    private static final List<Column> DDL_HISTORY_COLUMNS = List.of(
            new Column("source_schema", Metadata.SYSNAME, true), new Column("source_table", Metadata.SYSNAME, true),
            new Column("capture_instance", Metadata.SYSNAME, true),
            new Column("required_column_update", Metadata.BIT, true), new Column("ddl_command", NVARCHAR_MAX, true),
            new Column("ddl_lsn", Metadata.BINARY10, true), new Column("ddl_time", Metadata.DATETIME, true));
    private static final java.util.Set<String> SYSTEM_DATABASES = java.util.Set.of("master", "model", "msdb", "tempdb");

    private final CdcDatabase db;

    CdcProcedures(CdcDatabase db) {
        this.db = db;
    }

    void register() {
        reg("sp_cdc_enable_db", this::enableDb);
        reg("sp_cdc_disable_db", this::disableDb);
        reg("sp_cdc_enable_table", new EnableTable(db)::call);
        reg("sp_cdc_disable_table", this::disableTable);
        reg("sp_cdc_help_change_data_capture", this::help);
        reg("sp_cdc_get_captured_columns", this::capturedColumns);
        reg("sp_cdc_get_ddl_history", this::ddlHistory);
        reg("sp_cdc_cleanup_change_table", this::cleanup);
        reg("sp_cdc_scan", this::scan);
        reg("sp_cdc_help_jobs", this::helpJobs);
        reg("sp_cdc_change_job", this::changeJob);
        reg("sp_cdc_start_job", c -> job(c, true));
        reg("sp_cdc_stop_job", c -> job(c, false));
    }

    private interface Body {
        int call(ProcedureCall call) throws Exception;
    }

    private void reg(String name, Body body) {
        Procedure p = call -> {
            try {
                return body.call(call);
            } catch (SqlError e) {
                throw e;
            } catch (Exception e) {
                throw new SqlError(50000, 1, 16, "sys." + name + " failed in the CDC emulator: " + e.getMessage());
            }
        };
        db.context.registerProcedure("sys." + name, p);
    }

    private int enableDb(ProcedureCall call) throws Exception {
        if (db.enabled()) {
            call.sink().info(22905, CdcErrors.alreadyEnabledMessage(db.name()));
            return 0;
        }
        if (SYSTEM_DATABASES.contains(db.name().toLowerCase(Locale.ROOT))) {
            throw SqlError.of(22989, "Could not enable Change Data Capture for database '" + db.name() + "'. Change "
                    + "data capture is not supported on system databases, or on a distribution database.");
        }
        Connection c = call.connection();
        if (schemaExists(c)) {
            throw CdcErrors.cdcSchemaExists(db.name());
        }
        Metadata.create(c, db.context);
        db.createSystemFunctions(c);
        db.setEnabled(true);
        return 0;
    }

    private int disableDb(ProcedureCall call) throws Exception {
        if (!db.enabled()) {
            return 0;
        }
        Connection c = call.connection();
        db.capture.exclusive(() -> {
            for (CaptureInstance ci : db.instances()) {
                db.dropInstance(c, ci);
            }
            Metadata.drop(c, db.context);
            db.jobs.drop();
            db.setEnabled(false);
            return null;
        });
        return 0;
    }

    private int disableTable(ProcedureCall call) throws Exception {
        Args a = new Args(call, "sp_cdc_disable_table");
        String schema = a.required("source_schema", 0);
        String table = a.required("source_name", 1);
        String instance = Names.rtrim(a.required("capture_instance", 2));
        requireEnabled();
        if (instance == null || instance.isEmpty()) {
            throw CdcErrors.parameterNullOrEmpty("@capture_instance");
        }
        Connection c = call.connection();
        SourceTable source = SourceTable.find(c, db.context, nz(schema), nz(table))
                .orElseThrow(() -> CdcErrors.sourceTableMissing(schema, table));
        List<CaptureInstance> own = db.instancesOf(source.schema(), source.name());
        if (own.isEmpty()) {
            throw CdcErrors.tableNotEnabled(source.schema(), source.name());
        }
        List<CaptureInstance> targets = Names.same(instance, "all") ? own
                : own.stream().filter(ci -> Names.same(ci.name(), instance)).toList();
        if (targets.isEmpty()) {
            throw CdcErrors.instanceNotEnabled(instance, source.schema(), source.name());
        }
        db.capture.exclusive(() -> {
            for (CaptureInstance ci : targets) {
                db.dropInstance(c, ci);
            }
            if (db.instances().isEmpty()) {
                db.clearMapping(c);
                db.jobs.drop();
            }
            return null;
        });
        return 0;
    }

    private int help(ProcedureCall call) throws SQLException {
        Args a = new Args(call, "sp_cdc_help_change_data_capture");
        String schema = blankToNull(a.string("source_schema", 0));
        String table = blankToNull(a.string("source_name", 1));
        if ((schema == null) != (table == null)) {
            throw CdcErrors.helpNeedsBothNames();
        }
        requireEnabled();
        List<CaptureInstance> rows = db.instances().stream()
                .filter(ci -> schema == null || Names.same(ci.sourceSchema(), schema) && Names.same(ci.sourceTable(), table))
                .sorted(Comparator.comparing(CaptureInstance::sourceSchema).thenComparing(CaptureInstance::sourceTable)
                        .thenComparing(CaptureInstance::name))
                .toList();
        ResultSink sink = call.sink();
        sink.columns(HELP_COLUMNS);
        for (CaptureInstance ci : rows) {
            sink.row(new Object[] {ci.sourceSchema(), ci.sourceTable(), ci.name(), ci.objectId(), ci.sourceObjectId(),
                    startLsn(call.connection(), ci), null, ci.supportsNetChanges(), null, ci.roleName(),
                    ci.indexName(), ci.filegroupName(), ci.createDate(),
                    ci.indexColumns().isEmpty() ? null
                            : ci.indexColumns().stream().map(Names::bracket).collect(Collectors.joining(", ")),
                    ci.columns().stream().map(c -> Names.bracket(c.name())).collect(Collectors.joining(", "))});
        }
        sink.done(rows.size());
        return 0;
    }

    private int capturedColumns(ProcedureCall call) throws SQLException {
        Args a = new Args(call, "sp_cdc_get_captured_columns");
        String instance = a.required("capture_instance", 0);
        requireEnabled();
        CaptureInstance ci = db.instance(Names.rtrim(nz(instance))).orElseThrow(CdcErrors::noAccess);
        ResultSink sink = call.sink();
        sink.columns(CAPTURED_COLUMNS);
        for (CapturedColumn c : ci.columns()) {
            SqlType t = c.type();
            sink.row(new Object[] {ci.sourceSchema(), ci.sourceTable(), ci.name(), c.name(), c.columnId(),
                    c.ordinal(), t.kind().name().toLowerCase(Locale.ROOT), TypeFacts.characterLength(t),
                    TypeFacts.precision(t), TypeFacts.radix(t), TypeFacts.scale(t), TypeFacts.datetimePrecision(t)});
        }
        sink.done(ci.columns().size());
        return 0;
    }

    private int ddlHistory(ProcedureCall call) throws SQLException {
        Args a = new Args(call, "sp_cdc_get_ddl_history");
        String instance = a.required("capture_instance", 0);
        requireEnabled();
        CaptureInstance ci = db.instance(Names.rtrim(nz(instance))).orElseThrow(CdcErrors::noAccess);
        ResultSink sink = call.sink();
        sink.columns(DDL_HISTORY_COLUMNS);
        int n = 0;
        try (PreparedStatement ps = call.connection().prepareStatement("SELECT \"required_column_update\", "
                + "\"ddl_command\", \"ddl_lsn\", \"ddl_time\" FROM " + q(CDC, Metadata.DDL_HISTORY)
                + " WHERE \"object_id\" = ? ORDER BY \"ddl_lsn\"")) {
            ps.setInt(1, ci.objectId());
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    sink.row(new Object[] {ci.sourceSchema(), ci.sourceTable(), ci.name(), rs.getBoolean(1),
                            rs.getString(2), rs.getBytes(3), rs.getTimestamp(4).toLocalDateTime()});
                    n++;
                }
            }
        }
        sink.done(n);
        return 0;
    }

    private int cleanup(ProcedureCall call) throws Exception {
        Args a = new Args(call, "sp_cdc_cleanup_change_table");
        String instance = a.required("capture_instance", 0);
        a.required("low_water_mark", 1);
        byte[] markArg = a.binary("low_water_mark", 1);
        Long threshold = a.number("threshold", 2);
        if (!db.enabled()) {
            throw CdcErrors.cleanupNotEnabled(db.name());
        }
        if (threshold != null && threshold <= 0) {
            throw CdcErrors.thresholdNotPositive();
        }
        CaptureInstance ci = db.instance(Names.rtrim(nz(instance))).orElseThrow(CdcErrors::noAccess);
        Connection c = call.connection();
        db.capture.exclusive(() -> {
            Lsn mark = null;
            if (markArg != null) {
                Lsn requested = Lsn.fromBytes(markArg);
                mark = Cleanup.resolveMark(c, requested);
                Lsn max = Cleanup.maxLsn(c);
                Lsn low = Lsn.fromBytes(startLsn(c, ci));
                if (max == null || mark.compareTo(max) > 0) {
                    throw CdcErrors.lowWaterMarkOutsideTimeline(requested, ci.name(), low, max == null ? low : max);
                }
            }
            Cleanup.apply(c, ci, mark);
            return null;
        });
        return 0;
    }

    /** One synchronous scan of everything committed so far ({@code @continuous = 1} too: it returns here). */
    private int scan(ProcedureCall call) throws Exception {
        Args a = new Args(call, "sp_cdc_scan");
        Long continuous = a.number("continuous", 2);
        Long pollingInterval = a.number("pollinginterval", 3);
        CdcJobs.checkScanParameters(a.number("maxtrans", 0), a.number("maxscans", 1), continuous, pollingInterval);
        CdcJobs.checkScanOnly(continuous, pollingInterval);
        requireEnabled();
        db.capture.scanNow();
        return 0;
    }

    /** The capture job's start/stop is the capture process's resume/pause; the cleanup job is not emulated. */
    private int job(ProcedureCall call, boolean start) {
        Args a = new Args(call, start ? "sp_cdc_start_job" : "sp_cdc_stop_job");
        String jobType = CdcJobs.jobType(a.string("job_type", 0));
        requireEnabled();
        if (db.jobs.rows().isEmpty()) {
            throw SqlError.of(22997, "The Change Data Capture '" + jobType + "' job does not exist in the system "
                    + "table 'msdb.dbo.cdc_jobs'. Use the stored procedure 'sys.sp_cdc_add_job' to add the Change "
                    + "Data Capture job.");
        }
        if (jobType.equals("capture")) {
            if (start) {
                db.capture.resume();
            } else {
                db.capture.pause();
            }
        }
        return 0;
    }

    private int helpJobs(ProcedureCall call) {
        requireEnabled();
        List<Object[]> rows = db.jobs.rows();
        call.sink().columns(CdcJobs.HELP_COLUMNS);
        rows.forEach(call.sink()::row);
        call.sink().done(rows.size());
        return 0;
    }

    private int changeJob(ProcedureCall call) {
        Args a = new Args(call, "sp_cdc_change_job");
        String jobType = CdcJobs.jobType(a.string("job_type", 0));
        requireEnabled();
        db.jobs.change(jobType, a.number("maxtrans", 1), a.number("maxscans", 2), a.number("continuous", 3),
                a.number("pollinginterval", 4), a.number("retention", 5), a.number("threshold", 6));
        return 0;
    }

    private void requireEnabled() {
        if (!db.enabled()) {
            throw CdcErrors.databaseNotEnabled(db.name());
        }
    }

    private static byte[] startLsn(Connection c, CaptureInstance ci) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT \"start_lsn\" FROM " + q(CDC, Metadata.CHANGE_TABLES)
                + " WHERE \"capture_instance\" = ?")) {
            ps.setString(1, ci.name());
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? rs.getBytes(1) : null;
            }
        }
    }

    private static boolean schemaExists(Connection c) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(
                "SELECT 1 FROM INFORMATION_SCHEMA.SCHEMATA WHERE LOWER(SCHEMA_NAME) = 'cdc'");
             ResultSet rs = ps.executeQuery()) {
            return rs.next();
        }
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s;
    }

    private static String nz(String s) {
        return s == null ? "" : s;
    }
}
