package io.dstream.mssql.ingester.db;

import io.dstream.mssql.ingester.config.TableName;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Startup checks: CDC enabled for the database and every configured table, all problems reported at once. */
public final class TableResolver {

    private TableResolver() {
    }

    /**
     * The resolved tables, spelled as the catalog spells them (so that output, checkpoint rows and
     * lock names do not depend on how the config spelled them), in config order, with their capture
     * instances (oldest first); or every problem found.
     */
    public record Resolution(Map<TableName, List<CaptureInstance>> tables, List<String> problems) {
    }

    public static Resolution resolve(Connection c, String database, List<TableName> tables) throws SQLException {
        List<String> problems = new ArrayList<>();
        Map<TableName, List<CaptureInstance>> resolved = new LinkedHashMap<>();
        if (!Catalog.databaseCdcEnabled(c)) {
            problems.add("CDC is not enabled for database " + database + ": run EXEC sys.sp_cdc_enable_db in it (needs sysadmin)");
            return new Resolution(resolved, problems);
        }
        Map<String, List<CaptureInstance>> instances = Catalog.captureInstances(c);
        for (TableName table : tables) {
            Optional<Boolean> tracked = Catalog.tableTracked(c, table);
            List<CaptureInstance> found = instances.get(Catalog.key(table));
            if (tracked.isEmpty()) {
                problems.add("table " + table + " not found in database " + database
                        + " (check the name, schema.table, and that the login can see it)");
            } else if (found == null || found.isEmpty()) {
                problems.add("CDC is not enabled for table " + table + ": run EXEC sys.sp_cdc_enable_table @source_schema = N'"
                        + table.schema().replace("'", "''") + "', @source_name = N'" + table.table().replace("'", "''")
                        + "', @role_name = NULL");
            } else {
                resolved.put(found.get(0).source(), found);
            }
        }
        return new Resolution(resolved, problems);
    }
}
