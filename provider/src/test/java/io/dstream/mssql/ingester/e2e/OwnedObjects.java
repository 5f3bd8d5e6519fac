package io.dstream.mssql.ingester.e2e;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What the tests created on an external server, listed in a table of the database itself ({@value #TABLE}), so that
 * a run that died is cleaned up by the next one: every {@code CREATE TABLE}/{@code CREATE SCHEMA} the tests send
 * through {@link Db}, and the checkpoint tables their providers were configured with. A table created again first
 * has its leftover dropped. Nothing else on the server is touched.
 */
final class OwnedObjects {

    static final String TABLE = "dbo.e2e_objects";
    private static final String EXISTS = "SELECT COUNT(*) FROM sys.tables t JOIN sys.schemas s ON s.schema_id = t.schema_id "
            + "WHERE s.name = N'dbo' AND t.name = N'e2e_objects'";
    private static final String CREATE = "CREATE TABLE " + TABLE
            + " (name NVARCHAR(400) NOT NULL PRIMARY KEY, kind NVARCHAR(10) NOT NULL)";
    private static final String FORGET = "DELETE FROM " + TABLE + " WHERE name = %s";
    private static final String RECORD = "INSERT INTO " + TABLE + " (name, kind) VALUES (%s, %s)";
    private static final String LIST = "SELECT name, kind FROM " + TABLE;
    private static final String FORGET_ALL = "DELETE FROM " + TABLE;
    private static final String DROP_TABLE = "DROP TABLE IF EXISTS %s";
    private static final String DROP_SCHEMA = "DROP SCHEMA IF EXISTS %s";

    private static final String NAME = "(?:\\[(?:[^\\]]|\\]\\])*\\]|[\\w@#$]+)";
    private static final Pattern CREATE_TABLE = Pattern.compile("(?is)^\\s*CREATE\\s+TABLE\\s+(" + NAME + "(?:\\." + NAME + ")?)\\s*\\(.*");
    private static final Pattern CREATE_SCHEMA = Pattern.compile("(?is)^\\s*CREATE\\s+SCHEMA\\s+(" + NAME + ")\\s*;?\\s*");

    private static final String KIND_TABLE = "table";
    private static final String KIND_SCHEMA = "schema";

    /** Creates the list table if this database has none yet, through the harness's client (it is not listed). */
    OwnedObjects(Db harness) {
        if (((Number) harness.value(EXISTS)).intValue() == 0) {
            harness.exec(CREATE);
        }
    }

    /** Before a statement of the tests: a table or schema it creates is listed, a leftover table dropped. */
    void beforeStatement(Statement s, String sql) throws SQLException {
        Optional<String> table = createdTable(sql);
        if (table.isPresent()) {
            record(s, table.get(), KIND_TABLE);
            s.execute(String.format(DROP_TABLE, table.get()));
            return;
        }
        Optional<String> schema = createdSchema(sql);
        if (schema.isPresent()) {
            record(s, schema.get(), KIND_SCHEMA);
        }
    }

    /** The table a {@code CREATE TABLE name (...)} statement creates, as written ({@code dbo.t}, {@code [dbo].[a]]b]}). */
    static Optional<String> createdTable(String sql) {
        Matcher m = CREATE_TABLE.matcher(sql);
        return m.matches() ? Optional.of(m.group(1)) : Optional.empty();
    }

    /** The schema a {@code CREATE SCHEMA name} statement creates. */
    static Optional<String> createdSchema(String sql) {
        Matcher m = CREATE_SCHEMA.matcher(sql);
        return m.matches() ? Optional.of(m.group(1)) : Optional.empty();
    }

    /** A table the provider creates (a checkpoint table), by its {@code schema.table} name. */
    void recordTable(Db db, String name) {
        try (Connection c = db.connect(); Statement s = c.createStatement()) {
            record(s, name, KIND_TABLE);
        } catch (SQLException e) {
            throw new IllegalStateException("cannot list " + name + " in " + TABLE + ": " + e.getMessage(), e);
        }
    }

    /** Drops every listed table, then every listed schema, and empties the list. */
    void dropAll(Db db) {
        try (Connection c = db.connect(); Statement s = c.createStatement()) {
            List<String> tables = new ArrayList<>();
            List<String> schemas = new ArrayList<>();
            try (ResultSet rs = s.executeQuery(LIST)) {
                while (rs.next()) {
                    (KIND_SCHEMA.equals(rs.getString(2)) ? schemas : tables).add(rs.getString(1));
                }
            }
            for (String table : tables) {
                s.execute(String.format(DROP_TABLE, table));
            }
            for (String schema : schemas) {
                s.execute(String.format(DROP_SCHEMA, schema));
            }
            s.execute(FORGET_ALL);
        } catch (SQLException e) {
            throw new IllegalStateException("cannot drop the tables the tests created (listed in " + TABLE + "): "
                    + e.getMessage(), e);
        }
    }

    private static void record(Statement s, String name, String kind) throws SQLException {
        s.execute(String.format(FORGET, Db.nstring(name)));
        s.execute(String.format(RECORD, Db.nstring(name), Db.nstring(kind)));
    }
}
