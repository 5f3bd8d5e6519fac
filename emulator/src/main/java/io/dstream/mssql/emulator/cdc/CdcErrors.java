package io.dstream.mssql.emulator.cdc;

import io.dstream.mssql.emulator.engine.SqlError;

/** SQL Server's CDC error numbers and texts (message catalog 22xxx, and 201/208/313). */
final class CdcErrors {

    private CdcErrors() {
    }

    /**
     * The text SQL Server raises for every invalid change-function call (stale or future bound, NULL,
     * inverted range, bad option): the {@code " ... "} is literal, it is the name of a placeholder
     * function the generated TVF calls on purpose to force error 313, so it never names the instance.
     */
    static SqlError invalidRange(boolean net) {
        String fn = net ? "cdc.fn_cdc_get_net_changes_ ... " : "cdc.fn_cdc_get_all_changes_ ... ";
        return new SqlError(313, 3, 16,
                "An insufficient number of arguments were supplied for the procedure or function " + fn + ".");
    }

    static SqlError invalidObject(String name) {
        return SqlError.of(208, "Invalid object name '" + name + "'.");
    }

    static SqlError missingParameter(String procedure, String parameter) {
        return new SqlError(201, 4, 16, "Procedure or function '" + procedure + "' expects parameter '@"
                + parameter + "', which was not supplied.");
    }

    static SqlError databaseNotEnabled(String database) {
        return SqlError.of(22901, "The database '" + database + "' is not enabled for Change Data Capture. "
                + "Ensure that the correct database context is set and retry the operation. To report on the "
                + "databases enabled for Change Data Capture, query the is_cdc_enabled column in the "
                + "sys.databases catalog view.");
    }

    static String alreadyEnabledMessage(String database) {
        return "Database '" + database + "' is already enabled for Change Data Capture. Ensure that the correct "
                + "database context is set, and retry the operation. To report on the databases enabled for "
                + "Change Data Capture, query the is_cdc_enabled column in the sys.databases catalog view.";
    }

    static SqlError cdcSchemaExists(String database) {
        return SqlError.of(22906, "The database '" + database + "' cannot be enabled for Change Data Capture "
                + "because a database user named 'cdc' or a schema named 'cdc' already exists in the current "
                + "database. These objects are required exclusively by Change Data Capture. Drop or rename the "
                + "user or schema and retry the operation.");
    }

    static SqlError emptyRoleName() {
        return SqlError.of(22907, "Parameter @role_name cannot be empty. Specify a value for @role_name and retry "
                + "the operation. Supply null as the value if no role is to be used to gate access to captured "
                + "change data.");
    }

    static SqlError instanceExists(String instance) {
        return SqlError.of(22926, "Could not create a capture instance because the capture instance name '"
                + instance + "' already exists in the current database. Specify an explicit unique name for the "
                + "parameter @capture_instance.");
    }

    static SqlError instanceNameTooLong(String instance) {
        return SqlError.of(22927, "Capture instance name '" + instance + "' exceeds the length limit of 100 "
                + "characters. Specify a name that satisfies the length constraint.");
    }

    static SqlError notAnIndex(String index, String schema, String table) {
        return SqlError.of(22928, "Index name '" + index + "' is not an index for table '" + schema + "." + table
                + "'. Specify a valid index name for the table.");
    }

    static SqlError notUniqueIndex(String index, String schema, String table) {
        return SqlError.of(22929, "Index '" + index + "' must be either a primary key or a unique index for table '"
                + schema + "." + table + "'. Specify an index that meets at least one of these requirements.");
    }

    static SqlError nullableIndexColumn(String index, String schema, String table) {
        return SqlError.of(22838, "All columns of a CDC unique index must be defined as NOT NULL. Index '" + index
                + "' selected as the CDC unique index for source table '" + schema + "." + table + "' does not meet "
                + "this requirement. Define all columns of the selected index as NOT NULL or select another unique "
                + "index as the CDC index and resubmit the request.");
    }

    static SqlError tooManyNetKeyColumns(String index, String schema, String table) {
        return SqlError.of(22865, "The number of columns in the index '" + index + "', used as the unique row "
                + "identifier to support net changes for table '" + schema + "'.'" + table + "', exceeds the limit of "
                + "14 columns. Set the parameter @supports_net_changes to 0 or use the @index_name parameter to "
                + "identify a unique index with fewer than 15 columns as the unique row identifier and resubmit the "
                + "request.");
    }

    /** SQL Server 2022+ gates extended DDL handling behind a feature switch that is off. */
    static SqlError extendedDdlHandlingDisabled() {
        return SqlError.of(22874, "Cannot set @enable_extended_ddl_handling parameter to 1 as this feature is not "
                + "enabled.");
    }

    static SqlError columnNotFound(String column, String schema, String table) {
        return SqlError.of(22930, "Could not locate '" + column + "' as a column of source table '" + schema + "."
                + table + "'. Specify a valid column name.");
    }

    static SqlError sourceTableMissing(String schema, String table) {
        return SqlError.of(22931, "Source table '" + schema + "." + table + "' does not exist in the current "
                + "database. Ensure that the correct database context is set. Specify a valid schema and table "
                + "name for the database.");
    }

    static SqlError invalidInstanceName(String instance) {
        return SqlError.of(22932, "Capture instance name '" + instance + "' is invalid. Specify a valid name. See "
                + "the topic 'Identifiers' in SQL Server Books Online for object name rules.");
    }

    static SqlError netChangesWithoutKey() {
        return SqlError.of(22939, "The parameter @supports_net_changes is set to 1, but the source table does not "
                + "have a primary key defined and no alternate unique index has been specified.");
    }

    static SqlError keyColumnsNotCaptured() {
        return SqlError.of(22943, "Columns used to uniquely identify a row for net change tracking must be included "
                + "in the list of captured columns. Add either the primary key columns of the source table, or the "
                + "columns defined for the index specified in the parameter @index_name to the list of captured "
                + "columns and retry the operation.");
    }

    static SqlError lowWaterMarkOutsideTimeline(Lsn lsn, String instance, Lsn low, Lsn high) {
        return SqlError.of(22957, "LSN " + lsn.toHexLiteral() + ", specified as the new low end point for the change "
                + "table associated with capture instance '" + instance + "', is not within the Change Data Capture "
                + "timeline [" + low.toHexLiteral() + ", " + high.toHexLiteral() + "].");
    }

    static SqlError instanceNotEnabled(String instance, String schema, String table) {
        return SqlError.of(22960, "Change data capture instance '" + instance + "' has not been enabled for the "
                + "source table '" + schema + "." + table + "'. Use sys.sp_cdc_help_change_data_capture to verify "
                + "the capture instance name and retry the operation.");
    }

    static SqlError twoInstancesExist(String schema, String table) {
        return SqlError.of(22962, "Two capture instances already exist for source table '" + schema + "." + table
                + "'. A table can have at most two capture instances. If the current tracking options are not "
                + "appropriate, disable change tracking for the obsolete instance by using sys.sp_cdc_disable_table "
                + "and retry the operation.");
    }

    static SqlError parameterNullOrEmpty(String parameter) {
        return SqlError.of(22963, "Parameter '" + parameter + "' cannot be null or empty. Specify a value for the "
                + "named parameter and retry the operation.");
    }

    static SqlError lowWaterMarkNotInMapping(Lsn lsn) {
        return SqlError.of(22964, "LSN " + lsn.toHexLiteral() + ", specified as the new low end point for change "
                + "table cleanup must represent the start_lsn value of a current entry in the cdc.lsn_time_mapping "
                + "table. Choose an LSN value that satisfies this requirement.");
    }

    static SqlError unterminatedQuote() {
        return SqlError.of(22965, "A quoted column in the column list is not properly terminated. Verify that "
                + "columns are correctly delimited and retry the operation. For more information, see 'Delimited "
                + "Identifiers' in Books Online.");
    }

    static SqlError helpNeedsBothNames() {
        return SqlError.of(22972, "When calling stored procedure [sys].sp_cdc_help_change_data capture, if either "
                + "@source_schema or @source_name is non-null and non-empty, the other parameter must also be "
                + "non-null and non-empty.");
    }

    static SqlError invalidFilegroup(String filegroup, String database) {
        return SqlError.of(22973, "The specified filegroup '" + filegroup + "' is not a valid filegroup for database '"
                + database + "'. Specify a valid existing filegroup or create the named filegroup, and retry the "
                + "operation.");
    }

    static SqlError cdcSchemaTable() {
        return SqlError.of(22974, "Tables contained in the cdc schema cannot be enabled for Change Data Capture.");
    }

    static SqlError reservedColumnName(String table) {
        return SqlError.of(22975, "Source table '" + table + "' contains one of the following reserved column names: "
                + "__$start_lsn, __$end_lsn, __$seqval, __$operation, and __$update_mask. To enable Change Data "
                + "Capture for this table, specify a captured column list and ensure that these columns are excluded "
                + "from the list.");
    }

    static SqlError noAccess() {
        return SqlError.of(22981, "Object does not exist or access is denied.");
    }

    static SqlError tableNotEnabled(String schema, String table) {
        return SqlError.of(22985, "Change data capture has not been enabled for source table '" + schema + "." + table
                + "'. Specify the name of a table enabled for Change Data Capture. To report on the tables enabled "
                + "for Change Data Capture, query the is_tracked_by_cdc column in the sys.tables catalog view.");
    }

    static SqlError cleanupNotEnabled(String database) {
        return SqlError.of(22910, "The cleanup request for database '" + database + "' failed. The database is not "
                + "enabled for Change Data Capture.");
    }

    static SqlError thresholdNotPositive() {
        return SqlError.of(22850, "The threshold value specified for the Change Data Capture cleanup process must be "
                + "greater than 0. When creating or modifying the cleanup job, specify a positive threshold value. If "
                + "this error is encountered when executing the sys.sp_cdc_cleanup_change_table stored procedure, "
                + "reset the threshold value associated with the job to a non-negative value by using the "
                + "sp_cdc_change_job stored procedure.");
    }

    static SqlError badJobType(String jobType) {
        return SqlError.of(22992, "The specified @job_type, " + jobType + ", is not supported. The value specified "
                + "for the parameter @job_type must be N'capture' to indicate a capture job, or N'cleanup' to "
                + "indicate a cleanup job.");
    }
}
