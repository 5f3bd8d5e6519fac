package io.dstream.mssql.emulator.engine;

import io.dstream.mssql.emulator.engine.CatalogSnapshot.ColumnInfo;
import io.dstream.mssql.emulator.engine.CatalogSnapshot.TableRef;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * {@code sp_rename @objname, @newname [, @objtype]} for tables ({@code OBJECT}, the default) and columns
 * ({@code COLUMN}). A renamed table keeps its object id and declared types. With CDC: a captured column
 * is marked replicated, so SQL Server refuses its rename (4928); renaming a tracked table is allowed on
 * SQL Server (capture continues under the instance's old name) but not here (40517).
 */
final class RenameProcedure implements Procedure {

    private static final String RENAME_TABLE = "ALTER TABLE %s.%s RENAME TO %s";
    private static final String RENAME_COLUMN = "ALTER TABLE %s.%s ALTER COLUMN %s RENAME TO %s";

    private final H2Database db;

    RenameProcedure(H2Database db) {
        this.db = db;
    }

    @Override
    public int call(ProcedureCall call) {
        String objectName = argument(call, "objname", 0);
        String newName = argument(call, "newname", 1);
        String type = call.value("objtype", 2).map(v -> v.toString().trim().toUpperCase(Locale.ROOT)).orElse("OBJECT");
        List<String> parts = nameParts(objectName);
        try {
            switch (type) {
                case "OBJECT" -> renameTable(call.connection(), parts, objectName, newName);
                case "COLUMN" -> renameColumn(call.connection(), parts, objectName, newName);
                default -> throw SqlError.of(40517, "sp_rename of a " + type.toLowerCase(Locale.ROOT)
                        + " is not supported by the emulator; it renames tables and columns.");
            }
        } catch (SQLException e) {
            throw Errors.translate(e, db, List.of(), "EXEC");
        }
        // SQL Server's warning after every rename
        call.sink().info(15477, "Caution: Changing any part of an object name could break scripts and stored procedures.");
        return 0;
    }

    private void renameTable(Connection c, List<String> parts, String written, String newName) throws SQLException {
        if (parts.size() > 2) {
            throw notFound(written, "OBJECT");
        }
        TableRef table = table(c, parts.size() == 2 ? parts.get(0) : "dbo", parts.get(parts.size() - 1), written, "OBJECT");
        if (table(c, table.schema(), newName) != null) {
            throw inUse(newName, "object");
        }
        if (db.cdcFlags().tableTracked(table.schema(), table.name())) {
            throw SqlError.of(40517, "sp_rename of table '" + table.schema() + "." + table.name() + "', which Change Data "
                    + "Capture tracks, is not supported by the emulator (SQL Server renames it and capture goes on "
                    + "under the capture instance's old name).");
        }
        try (Statement s = c.createStatement()) {
            s.execute(String.format(RENAME_TABLE, Translator.quote(table.schema()), Translator.quote(table.name()),
                    Translator.quote(newName)));
        }
        db.renamed(table.schema(), table.name(), newName);
    }

    private void renameColumn(Connection c, List<String> parts, String written, String newName) throws SQLException {
        if (parts.size() < 2 || parts.size() > 3) {
            throw notFound(written, "COLUMN");
        }
        String schema = parts.size() == 3 ? parts.get(0) : "dbo";
        TableRef table = table(c, schema, parts.get(parts.size() - 2), written, "COLUMN");
        String column = parts.get(parts.size() - 1);
        List<ColumnInfo> columns = db.catalogSnapshot(c).columns(c, table);
        ColumnInfo found = columns.stream().filter(ci -> ci.column().name().equalsIgnoreCase(column)).findFirst()
                .orElseThrow(() -> notFound(written, "COLUMN"));
        if (columns.stream().anyMatch(ci -> ci.column().name().equalsIgnoreCase(newName))) {
            throw inUse(newName, "column");
        }
        if (db.cdcFlags().columnCaptured(table.schema(), table.name(), found.column().name())) {
            throw SqlError.of(4928, "Cannot alter column '" + found.column().name() + "' because it is 'REPLICATED'.");
        }
        try (Statement s = c.createStatement()) {
            s.execute(String.format(RENAME_COLUMN, Translator.quote(table.schema()), Translator.quote(table.name()),
                    Translator.quote(found.column().name()), Translator.quote(newName)));
        }
        db.renamed(table.schema(), table.name(), found.column().name(), newName);
    }

    private TableRef table(Connection c, String schema, String name, String written, String type) throws SQLException {
        TableRef t = table(c, schema, name);
        if (t == null) {
            throw notFound(written, type);
        }
        return t;
    }

    private TableRef table(Connection c, String schema, String name) throws SQLException {
        for (TableRef t : db.catalogSnapshot(c).tables(c)) {
            if (!t.view() && t.schema().equalsIgnoreCase(schema) && t.name().equalsIgnoreCase(name)) {
                return t;
            }
        }
        return null;
    }

    private static SqlError notFound(String written, String type) {
        return new SqlError(15248, 1, 11, "Either the parameter @objname is ambiguous or the claimed @objtype (" + type
                + ") is wrong.");
    }

    private static SqlError inUse(String newName, String kind) {
        return new SqlError(15335, 1, 11, "Error: The new name '" + newName + "' is already in use as a " + kind
                + " name and would cause a duplicate that is not permitted.");
    }

    private static String argument(ProcedureCall call, String name, int position) {
        return call.value(name, position).map(Object::toString).map(String::trim).orElseThrow(() -> new SqlError(201, 4, 16,
                "Procedure or function 'sp_rename' expects parameter '@" + name + "', which was not supplied."));
    }

    /** {@code a.b.c}, each part optionally in brackets or double quotes. */
    private static List<String> nameParts(String name) {
        List<String> parts = new ArrayList<>();
        for (Token t : Lexer.tokenize(name)) {
            if (t.isName()) {
                parts.add(t.value());
            }
        }
        return parts;
    }
}
