package io.dstream.mssql.emulator.engine;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One emulated SQL Server database: an H2 database (in memory, or a file in the data directory)
 * plus what H2 does not keep — the declared SQL Server types of columns, stable object ids,
 * schema name case, registered procedures, commit listeners and the CDC flags of the catalog
 * views. On disk, the types and ids are saved with the data ({@link DatabaseState}).
 */
final class H2Database implements DatabaseContext {

    private static final Map<Integer, H2Database> REGISTRY = new ConcurrentHashMap<>();
    private static final AtomicInteger NEXT_ID = new AtomicInteger();

    /**
     * Words H2 reserves but T-SQL does not: without this, common column names such as {@code value}
     * or {@code year} would be syntax errors.
     */
    private static final List<String> H2_ONLY_KEYWORDS = List.of("VALUE", "YEAR", "MONTH", "DAY", "HOUR", "MINUTE",
            "SECOND", "INTERVAL", "ROWNUM", "QUALIFY", "REGEXP", "ILIKE", "LIMIT", "MINUS", "UNKNOWN", "SYMMETRIC",
            "ASYMMETRIC", "LEADING", "TRAILING", "BOTH", "UESCAPE", "WINDOW", "GROUPS", "ARRAY");

    /**
     * Settings without which T-SQL names do not resolve (see test-doubles.md §4.1). IGNORECASE makes
     * text columns compare case-insensitively, as under SQL Server's default collation
     * (SQL_Latin1_General_CP1_CI_AS). DB_CLOSE_ON_EXIT=FALSE: the emulator closes its databases
     * itself, after capturing what was committed; H2's own shutdown hook would close them first.
     */
    private static final String URL_SETTINGS = ";MODE=MSSQLServer;DATABASE_TO_UPPER=FALSE;CASE_INSENSITIVE_IDENTIFIERS=TRUE"
            + ";IGNORECASE=TRUE;DB_CLOSE_DELAY=-1;DB_CLOSE_ON_EXIT=FALSE;NON_KEYWORDS=" + String.join(",", H2_ONLY_KEYWORDS);

    private static final String SCHEMAS = "SELECT SCHEMA_NAME FROM INFORMATION_SCHEMA.SCHEMATA";

    /** Tables and views of a schema/name, any case (H2 keeps table names case-insensitive, not schemas). */
    /** The third column is the object's sys.objects.type (U, V, IF/FN, PK, UQ, F, C). */
    private static final String TABLE_EXISTS = "SELECT TABLE_SCHEMA, TABLE_NAME, "
            + "CASE TABLE_TYPE WHEN 'VIEW' THEN 'V' ELSE 'U' END FROM INFORMATION_SCHEMA.TABLES "
            + "WHERE TABLE_SCHEMA = ? AND LOWER(TABLE_NAME) = LOWER(?)";
    private static final String ROUTINE_EXISTS = "SELECT ROUTINE_SCHEMA, ROUTINE_NAME, "
            + "CASE WHEN DATA_TYPE IS NULL OR DATA_TYPE = 'RESULT SET' THEN 'IF' ELSE 'FN' END "
            + "FROM INFORMATION_SCHEMA.ROUTINES WHERE ROUTINE_SCHEMA = ? AND LOWER(ROUTINE_NAME) = LOWER(?)";
    private static final String CONSTRAINT_EXISTS = "SELECT CONSTRAINT_SCHEMA, CONSTRAINT_NAME, "
            + "CASE CONSTRAINT_TYPE WHEN 'PRIMARY KEY' THEN 'PK' WHEN 'UNIQUE' THEN 'UQ' WHEN 'FOREIGN KEY' THEN 'F' "
            + "ELSE 'C' END FROM INFORMATION_SCHEMA.TABLE_CONSTRAINTS "
            + "WHERE CONSTRAINT_SCHEMA = ? AND LOWER(CONSTRAINT_NAME) = LOWER(?)";

    /** The four system schemas every SQL Server database has, with their fixed schema_ids. */
    private static final Map<String, Integer> SYSTEM_SCHEMA_IDS = Map.of("dbo", 1, "guest", 2, "INFORMATION_SCHEMA", 3, "sys", 4);

    private static final CdcFlags NO_CDC = new CdcFlags() {
        @Override
        public boolean databaseEnabled() {
            return false;
        }

        @Override
        public boolean tableTracked(String schema, String table) {
            return false;
        }

        @Override
        public boolean columnCaptured(String schema, String table, String column) {
            return false;
        }
    };

    /** Object ids look like SQL Server's (large, spread out); the step keeps them distinct per object. */

    private final H2Engine engine;
    private final String name;
    private final int id;
    private final int databaseId;
    private final String url;
    private final LocalDateTime createDate;
    /** {@code sys.database_recovery_status.database_guid}: new for every database created, kept on disk with it. */
    private final UUID databaseGuid;
    private final Connection meta;
    private final DatabaseState state;
    private volatile Map<String, String> schemas = Map.of();
    /**
     * Names known not to be schemas (table aliases like {@code ct} in {@code ct.col}), so that each
     * dotted name does not cost a catalog query. Cleared whenever a schema may have appeared.
     */
    private final Set<String> notSchemas = ConcurrentHashMap.newKeySet();
    private final Map<String, java.util.Optional<String>> identityColumns = new ConcurrentHashMap<>();
    private final Map<String, Integer> schemaIds = new ConcurrentHashMap<>(SYSTEM_SCHEMA_IDS);
    private final AtomicInteger nextSchemaId = new AtomicInteger(5);
    private final Map<String, Map<String, SqlType>> declaredTypes = new ConcurrentHashMap<>();
    private final Map<String, List<Column>> functionResults = new ConcurrentHashMap<>();
    private final Map<String, Integer> objectIds = new ConcurrentHashMap<>();
    private final Map<Integer, String[]> objectNames = new ConcurrentHashMap<>();
    private final Map<Integer, LocalDateTime> objectCreateDates = new ConcurrentHashMap<>();
    /**
     * Object ids look like SQL Server's (large, spread out): the n-th object gets
     * {@code (FIRST_OBJECT_ID + n * OBJECT_ID_STEP) mod Integer.MAX_VALUE}. The modulus is prime, so the
     * sequence visits every positive int once before repeating: ids never collide (an earlier scheme
     * wrapped around after ~77 objects and handed out the same ids again).
     */
    private static final long FIRST_OBJECT_ID = 901_578_250L;
    private static final long OBJECT_ID_STEP = 16_000_057L;
    private final AtomicLong objectsNamed = new AtomicLong();
    private final Map<String, Procedure> procedures = new ConcurrentHashMap<>();
    private final List<TransactionListener> listeners = new CopyOnWriteArrayList<>();
    private volatile CdcFlags cdcFlags = NO_CDC;
    /** Moves whenever declared types may have changed; part of a catalog snapshot's validity. */
    private final AtomicLong declaredVersion = new AtomicLong();
    private volatile CatalogSnapshot catalogSnapshot;

    /**
     * Opens the database: in memory when {@code file} is null, else the H2 file database at that
     * path (without H2's {@code .mv.db} suffix), created when missing. A database found on disk keeps
     * the name, database_id, types and ids it was saved with; {@code name} and {@code databaseId}
     * only name a new one.
     */
    H2Database(H2Engine engine, String name, int databaseId, java.nio.file.Path file) throws SQLException {
        this.engine = engine;
        this.id = NEXT_ID.incrementAndGet();
        this.url = (file == null ? "jdbc:h2:mem:mssql_" + id + "_" + name.replaceAll("[^A-Za-z0-9_]", "_")
                : "jdbc:h2:file:" + file.toAbsolutePath()) + URL_SETTINGS;
        this.meta = DriverManager.getConnection(url);
        this.state = file == null ? DatabaseState.NONE : DatabaseState.in(meta);
        DatabaseState.Identity saved = state.identity();
        if (saved == null) {
            saved = new DatabaseState.Identity(name, databaseId, LocalDateTime.now(), UUID.randomUUID());
            state.saveIdentity(saved);
        }
        this.name = saved.name();
        this.databaseId = saved.databaseId();
        this.createDate = saved.createDate();
        this.databaseGuid = saved.guid();
        REGISTRY.put(id, this);
        Catalog.install(meta, id);
        CatalogProcedures.register(this);
        loadState();
        reloadSchemas();
        meta.createStatement().execute("SET SCHEMA \"dbo\"");
    }

    /** What a database on disk saved: declared types, object and schema ids (nothing for one in memory). */
    private void loadState() {
        state.declaredTypes().forEach((table, types) -> declaredTypes.put(table, new ConcurrentHashMap<>(types)));
        for (DatabaseState.ObjectId saved : state.objectIds()) {
            objectIds.put(saved.key(), saved.objectId());
            objectNames.put(saved.objectId(), new String[] {saved.schema(), saved.object()});
            objectCreateDates.put(saved.objectId(), saved.createDate());
            objectsNamed.incrementAndGet();
        }
        Map<String, Integer> schemas = state.schemaIds();
        schemaIds.putAll(schemas);
        nextSchemaId.set(Math.max(nextSchemaId.get(), schemas.values().stream().mapToInt(Integer::intValue).max().orElse(0) + 1));
    }

    @Override
    public boolean persistent() {
        return state != DatabaseState.NONE;
    }

    static H2Database byId(int id) {
        H2Database db = REGISTRY.get(id);
        if (db == null) {
            throw new IllegalStateException("database #" + id + " is closed");
        }
        return db;
    }

    H2Engine engine() {
        return engine;
    }

    int id() {
        return id;
    }

    int databaseId() {
        return databaseId;
    }

    UUID databaseGuid() {
        return databaseGuid;
    }

    LocalDateTime createDate() {
        return createDate;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public Connection newConnection() throws SQLException {
        Connection c = DriverManager.getConnection(url);
        try (Statement s = c.createStatement()) {
            s.execute("SET SCHEMA \"dbo\"");
        }
        return c;
    }

    void close() {
        REGISTRY.remove(id);
        try (Statement s = meta.createStatement()) {
            s.execute("SHUTDOWN");
        } catch (SQLException e) {
            // already closed
        }
    }

    // ---------------------------------------------------------------- schemas

    /** The schema's name as H2 stores it, for any spelling; null when it does not exist. */
    String canonicalSchema(String schema) {
        String key = schema.toLowerCase(Locale.ROOT);
        String found = schemas.get(key);
        if (found == null && !notSchemas.contains(key)) {
            reloadSchemas();
            found = schemas.get(key);
            if (found == null) {
                notSchemas.add(key);
            }
        }
        return found;
    }

    /** Schemas may have been created outside the engine's view (a procedure, an extension's connection). */
    void schemasMayHaveChanged() {
        notSchemas.clear();
        identityColumns.clear();
        declaredVersion.incrementAndGet();
    }

    /**
     * H2's metadata for the catalog views, read again only after DDL (H2's own counter, so DDL run on
     * an extension's connection counts too) or a change of declared types.
     */
    CatalogSnapshot catalogSnapshot(Connection c) throws SQLException {
        long h2Meta = CatalogSnapshot.h2MetaVersion(c);
        long declared = declaredVersion.get();
        CatalogSnapshot current = catalogSnapshot;
        if (current == null || !current.isCurrent(h2Meta, declared)) {
            current = new CatalogSnapshot(this, h2Meta, declared);
            catalogSnapshot = current;
        }
        return current;
    }

    /**
     * The identity column of a table, or null (none, or no such table). Cached: INSERT checks it
     * whenever a column list is given; DDL and procedure calls clear the cache.
     */
    String identityColumn(String schema, String table) {
        return identityColumns.computeIfAbsent(key(schema, table), k -> {
            synchronized (this) {
                try {
                    return Catalog.columns(meta, this, schema, table).stream().filter(CatalogSnapshot.ColumnInfo::identity)
                            .map(c -> c.column().name()).findFirst();
                } catch (SQLException e) {
                    throw new IllegalStateException("cannot read the columns of " + schema + "." + table, e);
                }
            }
        }).orElse(null);
    }

    synchronized void reloadSchemas() {
        Map<String, String> names = new ConcurrentHashMap<>();
        try (Statement s = meta.createStatement(); ResultSet rs = s.executeQuery(SCHEMAS)) {
            while (rs.next()) {
                String schema = rs.getString(1);
                if (!schema.equals("PUBLIC")) {
                    names.put(schema.toLowerCase(Locale.ROOT), schema);
                    if (!schemaIds.containsKey(schema)) {
                        int schemaId = nextSchemaId.getAndIncrement();
                        schemaIds.put(schema, schemaId);
                        state.saveSchemaId(schema, schemaId);
                    }
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException("cannot read the schemas of database " + name, e);
        }
        schemas = names;
    }

    List<String> schemaNames() {
        reloadSchemas();
        return new ArrayList<>(schemas.values());
    }

    int schemaIdOf(String schema) {
        String canonical = canonicalSchema(schema);
        return canonical == null ? -1 : schemaIds.get(canonical);
    }

    Integer schemaIdOrNull(String schema) {
        String canonical = canonicalSchema(schema);
        return canonical == null ? null : schemaIds.get(canonical);
    }

    String schemaNameOf(int schemaId) {
        reloadSchemas();
        return schemaIds.entrySet().stream().filter(e -> e.getValue() == schemaId).map(Map.Entry::getKey)
                .findFirst().orElse(null);
    }

    // ---------------------------------------------------------------- object ids

    @Override
    public Integer objectId(String schema, String table) {
        return objectId(schema, table, null);
    }

    /** As {@link #objectId(String, String)}, only for objects of this sys.objects type (null: any). */
    private Integer objectId(String schema, String object, String type) {
        String canonical = canonicalSchema(schema);
        if (canonical == null) {
            return null;
        }
        String[] found = find(canonical, object);
        if (found == null || type != null && !sameType(found[2], type)) {
            return null;
        }
        return idFor(found[0], found[1]);
    }

    /** The emulator does not tell inline from multi-statement table functions: any function type matches. */
    private static boolean sameType(String actual, String wanted) {
        String w = wanted.trim().toUpperCase(Locale.ROOT);
        boolean function = Set.of("FN", "IF", "TF").contains(w);
        return function ? Set.of("FN", "IF", "TF").contains(actual) : actual.equals(w);
    }

    /** {@code OBJECT_ID(N'[db].[schema].[name]' [, N'type'])}: parses the T-SQL name. */
    Integer objectIdOf(String qualifiedName, String type) {
        List<Token> tokens;
        try {
            tokens = Lexer.tokenize(qualifiedName);
        } catch (SqlError e) {
            return null;
        }
        // "db..t" leaves the schema part empty: the default schema dbo
        List<String> parts = new ArrayList<>();
        String current = null;
        for (Token t : tokens) {
            if (t.isName()) {
                current = t.value();
            } else if (t.isSymbol(".")) {
                parts.add(current == null ? "dbo" : current);
                current = null;
            } else {
                return null;
            }
        }
        if (current == null) {
            return null;
        }
        parts.add(current);
        if (parts.isEmpty() || parts.size() > 3) {
            return null;
        }
        if (parts.size() == 3) {
            if (!parts.get(0).equalsIgnoreCase(name)) {
                return null;
            }
            parts.remove(0);
        }
        if (parts.size() == 2) {
            return objectId(parts.get(0), parts.get(1), type);
        }
        Integer id = objectId("dbo", parts.get(0), type);
        return id != null || !parts.get(0).toLowerCase(Locale.ROOT).startsWith("sp_") ? id
                : objectId("sys", parts.get(0), type);
    }

    /** [schema, name] of an existing table, view, function, constraint or registered procedure. */
    private String[] find(String schema, String object) {
        synchronized (this) {
            for (String sql : new String[] {TABLE_EXISTS, ROUTINE_EXISTS, CONSTRAINT_EXISTS}) {
                try (PreparedStatement ps = meta.prepareStatement(sql)) {
                    ps.setString(1, schema);
                    ps.setString(2, object);
                    try (ResultSet rs = ps.executeQuery()) {
                        if (rs.next()) {
                            return new String[] {rs.getString(1), rs.getString(2), rs.getString(3)};
                        }
                    }
                } catch (SQLException e) {
                    throw new IllegalStateException("cannot read the catalog of database " + name, e);
                }
            }
        }
        String proc = schema + "." + object;
        Procedure p = procedures.get(proc.toLowerCase(Locale.ROOT));
        return p == null ? null : new String[] {schema, object, "P"};
    }

    int idFor(String schema, String object) {
        String key = key(schema, object);
        return objectIds.computeIfAbsent(key, k -> {
            int newId;
            do {
                newId = (int) ((FIRST_OBJECT_ID + objectsNamed.getAndIncrement() * OBJECT_ID_STEP) % Integer.MAX_VALUE);
            } while (newId == 0 || objectNames.containsKey(newId)); // after a restart, ids saved on disk are taken
            LocalDateTime created = LocalDateTime.now();
            objectNames.put(newId, new String[] {schema, object});
            objectCreateDates.put(newId, created);
            state.saveObjectId(new DatabaseState.ObjectId(k, newId, schema, object, created));
            return newId;
        });
    }

    @Override
    public String[] objectName(int objectId) {
        return objectNames.get(objectId);
    }

    LocalDateTime objectCreateDate(int objectId) {
        return objectCreateDates.getOrDefault(objectId, createDate);
    }

    private void forgetId(String schema, String object) {
        Integer old = objectIds.remove(key(schema, object));
        if (old != null) {
            objectNames.remove(old);
            objectCreateDates.remove(old);
            state.deleteObjectId(key(schema, object));
        }
    }

    /** A table renamed in H2: it keeps its object id and its declared types under the new name. */
    void renamed(String schema, String oldName, String newName) {
        schemasMayHaveChanged();
        Map<String, SqlType> types = declaredTypes.get(key(schema, oldName));
        deleteTypes(key(schema, oldName));
        if (types != null) {
            saveTypes(key(schema, newName), types);
        }
        Integer id = objectIds.remove(key(schema, oldName));
        if (id != null) {
            state.deleteObjectId(key(schema, oldName));
            LocalDateTime created = objectCreateDates.getOrDefault(id, createDate);
            objectIds.put(key(schema, newName), id);
            objectNames.put(id, new String[] {schema, newName});
            state.saveObjectId(new DatabaseState.ObjectId(key(schema, newName), id, schema, newName, created));
        }
    }

    /** A column renamed in H2: its declared type follows it. */
    void renamed(String schema, String table, String oldColumn, String newColumn) {
        schemasMayHaveChanged();
        Map<String, SqlType> types = declaredTypes.get(key(schema, table));
        if (types != null && types.containsKey(oldColumn.toLowerCase(Locale.ROOT))) {
            Map<String, SqlType> moved = new ConcurrentHashMap<>(types);
            moved.put(newColumn.toLowerCase(Locale.ROOT), moved.remove(oldColumn.toLowerCase(Locale.ROOT)));
            saveTypes(key(schema, table), moved);
        }
    }

    private static String key(String schema, String object) {
        return schema.toLowerCase(Locale.ROOT) + "." + object.toLowerCase(Locale.ROOT);
    }

    // ---------------------------------------------------------------- declared types

    @Override
    public List<Column> declaredColumns(String schema, String table) {
        String canonical = canonicalSchema(schema);
        if (canonical == null) {
            return List.of();
        }
        synchronized (this) {
            try {
                return Catalog.columns(meta, this, canonical, table).stream().map(CatalogSnapshot.ColumnInfo::column).toList();
            } catch (SQLException e) {
                throw new IllegalStateException("cannot read the columns of " + schema + "." + table, e);
            }
        }
    }

    @Override
    public void declareTable(String schema, String table, List<Column> columns) {
        schemasMayHaveChanged();
        Map<String, SqlType> types = new ConcurrentHashMap<>();
        for (Column c : columns) {
            types.put(c.name().toLowerCase(Locale.ROOT), c.type());
        }
        saveTypes(key(canonicalOrSame(schema), table), types);
    }

    private void saveTypes(String tableKey, Map<String, SqlType> types) {
        declaredTypes.put(tableKey, types);
        state.saveDeclaredTypes(tableKey, types);
    }

    private void deleteTypes(String tableKey) {
        declaredTypes.remove(tableKey);
        state.deleteDeclaredTypes(tableKey);
    }

    @Override
    public void declareFunctionResult(String schema, String function, List<Column> columns) {
        schemasMayHaveChanged();
        functionResults.put(key(canonicalOrSame(schema), function), List.copyOf(columns));
    }

    @Override
    public void forget(String schema, String objectName) {
        schemasMayHaveChanged();
        String canonical = canonicalOrSame(schema);
        deleteTypes(key(canonical, objectName));
        functionResults.remove(key(canonical, objectName));
        forgetId(canonical, objectName);
    }

    private String canonicalOrSame(String schema) {
        return Objects.requireNonNullElse(canonicalSchema(schema), schema);
    }

    /** The declared type of a column, or null when only H2's type is known. */
    SqlType declaredType(String schema, String table, String column) {
        if (schema == null || table == null || column == null) {
            return null;
        }
        Map<String, SqlType> types = declaredTypes.get(key(schema, table));
        if (types != null) {
            return types.get(column.toLowerCase(Locale.ROOT));
        }
        List<Column> result = functionResults.get(key(schema, table));
        if (result != null) {
            return result.stream().filter(c -> c.name().equalsIgnoreCase(column)).map(Column::type).findFirst().orElse(null);
        }
        return null;
    }

    /** The declared result columns of a table-valued function whose H2 name is {@code function}, any schema. */
    SqlType functionColumnType(String function, String column) {
        for (Map.Entry<String, List<Column>> e : functionResults.entrySet()) {
            if (e.getKey().endsWith("." + function.toLowerCase(Locale.ROOT))) {
                for (Column c : e.getValue()) {
                    if (c.name().equalsIgnoreCase(column)) {
                        return c.type();
                    }
                }
            }
        }
        return null;
    }

    /** Applies what a DDL statement changed, after H2 ran it. */
    void apply(Translator.DdlEffect effect) {
        schemasMayHaveChanged();
        switch (effect.kind()) {
            case SCHEMA -> reloadSchemas();
            case CREATE_TABLE -> {
                forgetId(effect.schema(), effect.table());
                Map<String, SqlType> types = new ConcurrentHashMap<>();
                effect.columns().forEach((c, t) -> types.put(c.toLowerCase(Locale.ROOT), t));
                saveTypes(key(effect.schema(), effect.table()), types);
                idFor(effect.schema(), resolvedTableName(effect.schema(), effect.table()));
            }
            case ALTER_TABLE -> {
                Map<String, SqlType> types = declaredTypes.computeIfAbsent(key(effect.schema(), effect.table()),
                        k -> new ConcurrentHashMap<>());
                effect.columns().forEach((c, t) -> types.put(c.toLowerCase(Locale.ROOT), t));
                effect.dropped().forEach(c -> types.remove(c.toLowerCase(Locale.ROOT)));
                state.saveDeclaredTypes(key(effect.schema(), effect.table()), types);
            }
            case DROP_TABLE -> {
                deleteTypes(key(effect.schema(), effect.table()));
                forgetId(effect.schema(), effect.table());
            }
        }
    }

    private String resolvedTableName(String schema, String table) {
        String[] found = find(schema, table);
        return found == null ? table : found[1];
    }

    // ---------------------------------------------------------------- procedures, listeners, flags

    @Override
    public void registerProcedure(String qualifiedName, Procedure procedure) {
        procedures.put(qualifiedName.toLowerCase(Locale.ROOT), procedure);
    }

    /** A registered procedure by T-SQL name: {@code sys.sp_x}, {@code sp_x} (→ sys), {@code dbo.p}, {@code db.sys.sp_x}. */
    Procedure procedure(List<String> nameParts) {
        List<String> parts = new ArrayList<>(nameParts);
        if (parts.size() == 3) {
            parts.remove(0);
        }
        String lower = String.join(".", parts).toLowerCase(Locale.ROOT);
        Procedure p = procedures.get(lower);
        if (p == null && parts.size() == 1) {
            p = procedures.get("dbo." + lower);
            if (p == null) {
                p = procedures.get("sys." + lower);
            }
        }
        return p;
    }

    @Override
    public void addTransactionListener(TransactionListener listener) {
        listeners.add(listener);
    }

    void afterCommit(int h2SessionId) {
        for (TransactionListener l : listeners) {
            l.afterCommit(h2SessionId);
        }
    }

    void afterRollback(int h2SessionId) {
        for (TransactionListener l : listeners) {
            l.afterRollback(h2SessionId);
        }
    }

    @Override
    public void setCdcFlags(CdcFlags flags) {
        this.cdcFlags = flags == null ? NO_CDC : flags;
    }

    CdcFlags cdcFlags() {
        return cdcFlags;
    }
}
