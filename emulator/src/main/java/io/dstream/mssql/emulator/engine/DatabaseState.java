package io.dstream.mssql.emulator.engine;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * What the engine knows of a database beyond H2's own catalog — its name and database_id, the
 * declared SQL Server types of columns, object and schema ids — kept where the database's data is.
 * An in-memory database keeps it nowhere ({@link #NONE}); a database on disk keeps it in tables
 * of schema {@code PUBLIC}, which the catalog views do not show, written as it changes, so that
 * a restarted emulator finds each table with the types and ids it had.
 */
abstract class DatabaseState {

    /** The state of an in-memory database: nothing is saved, nothing is found. */
    static final DatabaseState NONE = new DatabaseState() {
    };

    /** The database's identity as saved when it was created. */
    record Identity(String name, int databaseId, LocalDateTime createDate, UUID guid) {
    }

    /** A saved object id (sys.objects.object_id) with its names and creation time. */
    record ObjectId(String key, int objectId, String schema, String object, LocalDateTime createDate) {
    }

    /** The state of a database on disk, in tables of its own (created when missing). */
    static DatabaseState in(Connection connection) throws SQLException {
        return new Saved(connection);
    }

    Identity identity() {
        return null;
    }

    void saveIdentity(Identity identity) {
    }

    /** Declared column types by table key ("schema.table", lower case), each by lower-case column name. */
    Map<String, Map<String, SqlType>> declaredTypes() {
        return Map.of();
    }

    /** Replaces the declared types of one table. */
    void saveDeclaredTypes(String tableKey, Map<String, SqlType> types) {
    }

    void deleteDeclaredTypes(String tableKey) {
    }

    List<ObjectId> objectIds() {
        return List.of();
    }

    void saveObjectId(ObjectId id) {
    }

    void deleteObjectId(String key) {
    }

    Map<String, Integer> schemaIds() {
        return Map.of();
    }

    void saveSchemaId(String schema, int schemaId) {
    }

    /** Tables in schema PUBLIC: H2 keeps it, SQL Server has no such schema, the catalog views hide it. */
    private static final class Saved extends DatabaseState {

        private static final String IDENTITY = "PUBLIC.\"emulator_database\"";
        private static final String TYPES = "PUBLIC.\"emulator_declared_types\"";
        private static final String OBJECTS = "PUBLIC.\"emulator_object_ids\"";
        private static final String SCHEMAS = "PUBLIC.\"emulator_schema_ids\"";

        private static final List<String> CREATE = List.of(
                "CREATE TABLE IF NOT EXISTS " + IDENTITY + " (\"name\" VARCHAR NOT NULL, \"database_id\" INT NOT NULL, "
                        + "\"create_date\" TIMESTAMP NOT NULL, \"database_guid\" UUID NOT NULL)",
                "CREATE TABLE IF NOT EXISTS " + TYPES + " (\"table_key\" VARCHAR NOT NULL, \"column_key\" VARCHAR NOT NULL, "
                        + "\"kind\" VARCHAR NOT NULL, \"length\" INT NOT NULL, \"precision\" INT NOT NULL, "
                        + "\"scale\" INT NOT NULL, PRIMARY KEY (\"table_key\", \"column_key\"))",
                "CREATE TABLE IF NOT EXISTS " + OBJECTS + " (\"object_key\" VARCHAR PRIMARY KEY, \"object_id\" INT NOT NULL, "
                        + "\"schema_name\" VARCHAR NOT NULL, \"object_name\" VARCHAR NOT NULL, "
                        + "\"create_date\" TIMESTAMP NOT NULL)",
                "CREATE TABLE IF NOT EXISTS " + SCHEMAS + " (\"schema_name\" VARCHAR PRIMARY KEY, \"schema_id\" INT NOT NULL)");

        private static final String SELECT_IDENTITY = "SELECT \"name\", \"database_id\", \"create_date\", \"database_guid\" FROM " + IDENTITY;
        private static final String INSERT_IDENTITY = "INSERT INTO " + IDENTITY + " VALUES (?, ?, ?, ?)";
        private static final String SELECT_TYPES = "SELECT \"table_key\", \"column_key\", \"kind\", \"length\", \"precision\", "
                + "\"scale\" FROM " + TYPES;
        private static final String DELETE_TYPES = "DELETE FROM " + TYPES + " WHERE \"table_key\" = ?";
        private static final String INSERT_TYPE = "INSERT INTO " + TYPES + " VALUES (?, ?, ?, ?, ?, ?)";
        private static final String SELECT_OBJECTS = "SELECT \"object_key\", \"object_id\", \"schema_name\", \"object_name\", "
                + "\"create_date\" FROM " + OBJECTS;
        private static final String MERGE_OBJECT = "MERGE INTO " + OBJECTS + " KEY (\"object_key\") VALUES (?, ?, ?, ?, ?)";
        private static final String DELETE_OBJECT = "DELETE FROM " + OBJECTS + " WHERE \"object_key\" = ?";
        private static final String SELECT_SCHEMAS = "SELECT \"schema_name\", \"schema_id\" FROM " + SCHEMAS;
        private static final String MERGE_SCHEMA = "MERGE INTO " + SCHEMAS + " KEY (\"schema_name\") VALUES (?, ?)";

        private final Connection connection;

        Saved(Connection connection) throws SQLException {
            this.connection = connection;
            try (Statement s = connection.createStatement()) {
                for (String sql : CREATE) {
                    s.execute(sql);
                }
            }
        }

        @Override
        synchronized Identity identity() {
            try (Statement s = connection.createStatement(); ResultSet rs = s.executeQuery(SELECT_IDENTITY)) {
                return rs.next() ? new Identity(rs.getString(1), rs.getInt(2), rs.getTimestamp(3).toLocalDateTime(),
                        rs.getObject(4, UUID.class)) : null;
            } catch (SQLException e) {
                throw failed("read the identity", e);
            }
        }

        @Override
        synchronized void saveIdentity(Identity identity) {
            update(INSERT_IDENTITY, "save the identity", identity.name(), identity.databaseId(),
                    Timestamp.valueOf(identity.createDate()), identity.guid());
        }

        @Override
        synchronized Map<String, Map<String, SqlType>> declaredTypes() {
            Map<String, Map<String, SqlType>> all = new HashMap<>();
            try (Statement s = connection.createStatement(); ResultSet rs = s.executeQuery(SELECT_TYPES)) {
                while (rs.next()) {
                    SqlType type = new SqlType(SqlType.Kind.valueOf(rs.getString(3)), rs.getInt(4), rs.getInt(5), rs.getInt(6));
                    all.computeIfAbsent(rs.getString(1), k -> new HashMap<>()).put(rs.getString(2), type);
                }
            } catch (SQLException e) {
                throw failed("read the declared column types", e);
            }
            return all;
        }

        @Override
        synchronized void saveDeclaredTypes(String tableKey, Map<String, SqlType> types) {
            deleteDeclaredTypes(tableKey);
            try (PreparedStatement ps = connection.prepareStatement(INSERT_TYPE)) {
                for (Map.Entry<String, SqlType> e : types.entrySet()) {
                    SqlType t = e.getValue();
                    bind(ps, tableKey, e.getKey(), t.kind().name(), t.length(), t.precision(), t.scale());
                    ps.addBatch();
                }
                ps.executeBatch();
            } catch (SQLException e) {
                throw failed("save the declared column types of " + tableKey, e);
            }
        }

        @Override
        synchronized void deleteDeclaredTypes(String tableKey) {
            update(DELETE_TYPES, "delete the declared column types of " + tableKey, tableKey);
        }

        @Override
        synchronized List<ObjectId> objectIds() {
            List<ObjectId> ids = new ArrayList<>();
            try (Statement s = connection.createStatement(); ResultSet rs = s.executeQuery(SELECT_OBJECTS)) {
                while (rs.next()) {
                    ids.add(new ObjectId(rs.getString(1), rs.getInt(2), rs.getString(3), rs.getString(4),
                            rs.getTimestamp(5).toLocalDateTime()));
                }
            } catch (SQLException e) {
                throw failed("read the object ids", e);
            }
            return ids;
        }

        @Override
        synchronized void saveObjectId(ObjectId id) {
            update(MERGE_OBJECT, "save the object id of " + id.key(), id.key(), id.objectId(), id.schema(), id.object(),
                    Timestamp.valueOf(id.createDate()));
        }

        @Override
        synchronized void deleteObjectId(String key) {
            update(DELETE_OBJECT, "delete the object id of " + key, key);
        }

        @Override
        synchronized Map<String, Integer> schemaIds() {
            Map<String, Integer> ids = new HashMap<>();
            try (Statement s = connection.createStatement(); ResultSet rs = s.executeQuery(SELECT_SCHEMAS)) {
                while (rs.next()) {
                    ids.put(rs.getString(1), rs.getInt(2));
                }
            } catch (SQLException e) {
                throw failed("read the schema ids", e);
            }
            return ids;
        }

        @Override
        synchronized void saveSchemaId(String schema, int schemaId) {
            update(MERGE_SCHEMA, "save the schema id of " + schema, schema, schemaId);
        }

        private void update(String sql, String what, Object... values) {
            try (PreparedStatement ps = connection.prepareStatement(sql)) {
                bind(ps, values);
                ps.executeUpdate();
            } catch (SQLException e) {
                throw failed(what, e);
            }
        }

        private static void bind(PreparedStatement ps, Object... values) throws SQLException {
            for (int i = 0; i < values.length; i++) {
                ps.setObject(i + 1, values[i]);
            }
        }

        private static IllegalStateException failed(String what, SQLException e) {
            return new IllegalStateException("cannot " + what + " in the emulator's data directory: " + e.getMessage(), e);
        }
    }
}
