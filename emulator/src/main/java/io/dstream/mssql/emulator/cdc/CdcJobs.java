package io.dstream.mssql.emulator.cdc;

import io.dstream.mssql.emulator.engine.Column;
import io.dstream.mssql.emulator.engine.SqlError;
import io.dstream.mssql.emulator.engine.SqlType;
import io.dstream.mssql.emulator.engine.SqlType.Kind;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.UUID;

/**
 * The capture and cleanup job configuration of a database ({@code msdb.dbo.cdc_jobs}): created with
 * the first tracked table, removed with the last. The emulator's capture latency is set through
 * {@link CdcFeature}, not through {@code pollinginterval}, which is configuration only here; the
 * capture process reads {@code maxtrans}, the transactions per scan.
 */
final class CdcJobs {

    static final List<Column> HELP_COLUMNS = List.of(
            new Column("job_id", SqlType.of(Kind.UNIQUEIDENTIFIER), true),
            new Column("job_type", SqlType.sized(Kind.NVARCHAR, 20), true),
            new Column("job_name", Metadata.SYSNAME, true), new Column("maxtrans", Metadata.INT, true),
            new Column("maxscans", Metadata.INT, true), new Column("continuous", Metadata.BIT, true),
            new Column("pollinginterval", SqlType.of(Kind.BIGINT), true),
            new Column("retention", SqlType.of(Kind.BIGINT), true),
            new Column("threshold", SqlType.of(Kind.BIGINT), true));

    static final int DEFAULT_MAXTRANS = 500;
    private static final long MAX_POLLING_INTERVAL = 86_399;
    private static final long MAX_RETENTION = 52_594_800;

    /** One job row; capture-only fields are null for cleanup and the reverse. */
    static final class Job {
        final UUID id = UUID.randomUUID();
        final String type;
        Integer maxtrans;
        Integer maxscans;
        Boolean continuous;
        Long pollingInterval;
        Long retention;
        Long threshold;

        Job(String type) {
            this.type = type;
        }
    }

    private final String database;
    private Job capture;
    private Job cleanup;

    CdcJobs(String database) {
        this.database = database;
    }

    /** {@code sp_cdc_add_job} defaults, as the first {@code sp_cdc_enable_table} creates them; true if created. */
    synchronized boolean createIfMissing() {
        boolean created = capture == null;
        if (capture == null) {
            capture = new Job("capture");
            capture.maxtrans = DEFAULT_MAXTRANS;
            capture.maxscans = 10;
            capture.continuous = true;
            capture.pollingInterval = 5L;
        }
        if (cleanup == null) {
            cleanup = new Job("cleanup");
            cleanup.retention = 4320L;
            cleanup.threshold = 5000L;
        }
        return created;
    }

    /** Transactions per capture scan: the capture job's {@code maxtrans}, its default while there is no job. */
    synchronized int maxTransactions() {
        return capture == null ? DEFAULT_MAXTRANS : capture.maxtrans;
    }

    String captureJobName() {
        return "cdc." + database + "_capture";
    }

    synchronized void drop() {
        capture = null;
        cleanup = null;
    }

    synchronized List<Object[]> rows() {
        List<Object[]> rows = new ArrayList<>();
        for (Job j : new Job[] {capture, cleanup}) {
            if (j != null) {
                rows.add(new Object[] {j.id, j.type, "cdc." + database + "_" + j.type, j.maxtrans, j.maxscans,
                        j.continuous, j.pollingInterval, j.retention, j.threshold});
            }
        }
        return rows;
    }

    /** The job type as the job procedures accept it (default capture), or error 22992. */
    static String jobType(String value) {
        String t = value == null ? "capture" : value.trim().toLowerCase(Locale.ROOT);
        if (!t.equals("capture") && !t.equals("cleanup")) {
            throw CdcErrors.badJobType(value);
        }
        return t;
    }

    /** {@code sys.sp_cdc_change_job}: NULL leaves a value unchanged. */
    synchronized void change(String type, Long maxtrans, Long maxscans, Long continuous, Long pollingInterval,
                             Long retention, Long threshold) {
        Job job = type.equals("capture") ? capture : cleanup;
        if (job == null) {
            throw SqlError.of(22997, "The Change Data Capture '" + type + "' job does not exist in the system table "
                    + "'msdb.dbo.cdc_jobs'. Use the stored procedure 'sys.sp_cdc_add_job' to add the Change Data "
                    + "Capture job.");
        }
        if (type.equals("capture")) {
            if (retention != null) {
                throw SqlError.of(22995, "A value for the parameter @retention cannot be specified when the job type "
                        + "is 'capture'. Specify NULL for the parameter, or omit the parameter from the statement.");
            }
            checkScanParameters(maxtrans, maxscans, continuous, pollingInterval);
            if (maxtrans != null) {
                job.maxtrans = maxtrans.intValue();
            }
            if (maxscans != null) {
                job.maxscans = maxscans.intValue();
            }
            if (continuous != null) {
                job.continuous = continuous == 1;
                if (continuous == 0) {
                    job.pollingInterval = 0L; // a non-continuous job does not wait between scans
                }
            }
            if (pollingInterval != null) {
                job.pollingInterval = pollingInterval;
                if (continuous == null && pollingInterval > 0) {
                    job.continuous = true;
                }
            }
        } else {
            if (maxtrans != null || maxscans != null || continuous != null || pollingInterval != null) {
                throw SqlError.of(22996, "When adding or modifying the CDC cleanup job, @pollinginterval, @maxtrans, "
                        + "@maxscans, and @continuous may not be assigned non-null values.");
            }
            if (retention != null && (retention <= 0 || retention > MAX_RETENTION)) {
                throw SqlError.of(22994, "The retention value specified for the Change Data Capture cleanup process "
                        + "must be greater than 0 and less than or equal to 52594800. When creating or modifying the "
                        + "cleanup job, specify a retention value (in minutes) that is within that range. If this "
                        + "error is encountered when executing the sys.sp_cdc_cleanup_change_table stored procedure, "
                        + "reset the retention value associated with the job to a non-negative value less than "
                        + "52594800 by using the sp_cdc_change_job stored procedure.");
            }
            if (threshold != null && threshold <= 0) {
                throw CdcErrors.thresholdNotPositive();
            }
            if (retention != null) {
                job.retention = retention;
            }
            if (threshold != null) {
                job.threshold = threshold;
            }
        }
    }

    /** The checks {@code sp_cdc_scan} and the capture job share. */
    static void checkScanParameters(Long maxtrans, Long maxscans, Long continuous, Long pollingInterval) {
        if (maxtrans != null && maxtrans <= 0) {
            throw SqlError.of(22991, "The value specified for the parameter @maxtrans must be greater than 0.");
        }
        if (maxscans != null && maxscans <= 0) {
            throw SqlError.of(22970, "The value for parameter @maxscans specified for the Change Data Capture job "
                    + "must be greater than 0.");
        }
        if (continuous != null && continuous != 0 && continuous != 1) {
            throw SqlError.of(22998, "The value specified for the parameter @continuous must be 0 or 1.");
        }
        if (pollingInterval != null && (pollingInterval < 0 || pollingInterval > MAX_POLLING_INTERVAL)) {
            throw SqlError.of(22990, "The value specified for the parameter @pollinginterval must be greater than or "
                    + "equal to 0 and less than 24 hours(Max: 86399 seconds). Specify a polling interval (in "
                    + "seconds) that is less than 24 hours (86,400 seconds).");
        }
    }

    static void checkScanOnly(Long continuous, Long pollingInterval) {
        if ((continuous == null || continuous == 0) && pollingInterval != null && pollingInterval != 0) {
            throw SqlError.of(22999, "The value specified for the parameter @pollinginterval must be null or 0 when "
                    + "the stored procedure 'sys.sp_cdc_scan' is not being run in continuous mode.");
        }
    }
}
