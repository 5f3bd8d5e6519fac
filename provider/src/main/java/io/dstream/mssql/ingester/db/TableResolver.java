package io.dstream.mssql.ingester.db;

import io.dstream.mssql.ingester.config.TableName;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

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

    /**
     * Resolves {@code tables} with a fixed number of catalog queries, whatever their number: whether CDC
     * is enabled, every capture instance with its columns, and only when a table has none, which of
     * those tables exist.
     */
    public static Resolution resolve(Connection c, String database, List<TableName> tables) throws SQLException {
        if (!Catalog.databaseCdcEnabled(c)) {
            return new Resolution(Map.of(), List.of("CDC is not enabled for database " + database
                    + ": run EXEC sys.sp_cdc_enable_db in it (needs sysadmin)"));
        }
        Catalog.CaptureInstances instances = Catalog.captureCatalog(c);
        List<TableName> withoutInstance = tables.stream().filter(t -> instances.of(t).isEmpty()).toList();
        Set<String> existing = withoutInstance.isEmpty() ? Set.of() : Catalog.existingTables(c, withoutInstance);
        return match(database, tables, instances, existing);
    }

    /**
     * Matches the configured tables with the catalog.
     *
     * @param instances every capture instance, per source table
     * @param existing  the keys ({@link Catalog#key}) of the tables without a capture instance that exist
     */
    static Resolution match(String database, List<TableName> tables, Catalog.CaptureInstances instances,
                            Set<String> existing) {
        List<String> problems = new ArrayList<>();
        Map<TableName, List<CaptureInstance>> resolved = new LinkedHashMap<>();
        for (TableName table : tables) {
            List<CaptureInstance> found = instances.of(table);
            if (!found.isEmpty()) {
                resolved.put(found.get(0).source(), found);
            } else if (!existing.contains(Catalog.key(table))) {
                problems.add("table " + table + " not found in database " + database
                        + " (check the name, schema.table, and that the login can see it)");
            } else {
                problems.add("CDC is not enabled for table " + table + ": run EXEC sys.sp_cdc_enable_table @source_schema = N'"
                        + table.schema().replace("'", "''") + "', @source_name = N'" + table.table().replace("'", "''")
                        + "', @role_name = NULL");
            }
        }
        return new Resolution(resolved, problems);
    }
}
