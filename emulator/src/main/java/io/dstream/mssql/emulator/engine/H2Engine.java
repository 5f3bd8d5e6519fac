package io.dstream.mssql.emulator.engine;

import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The engine: one H2 in-memory database per SQL Server database (created on first use, so any
 * database name given at login works), sessions that run T-SQL on them, and the test hooks.
 */
public final class H2Engine implements Engine {

    private static final Logger LOG = LoggerFactory.getLogger(H2Engine.class);

    /** The SQL Server version the engine reports (SERVERPROPERTY('ProductVersion')). */
    public static final String PRODUCT_VERSION = ServerInfo.PRODUCT_VERSION;

    /** System databases every SQL Server has, with their fixed database_ids; user databases start at 5. */
    private static final Map<String, Integer> SYSTEM_DATABASES = Map.of("master", 1, "tempdb", 2, "model", 3, "msdb", 4);

    private final Options options;
    private final List<DatabaseExtension> extensions;
    private final Map<String, H2Database> databases = new ConcurrentHashMap<>();
    private final AtomicInteger nextDatabaseId = new AtomicInteger(5);
    private final AtomicInteger nextSpid = new AtomicInteger(51);
    private final AtomicLong requests = new AtomicLong();
    private final AtomicReference<Injection> injection = new AtomicReference<>();

    /**
     * Engine options.
     *
     * @param user            the only login accepted, or null to accept any login
     * @param password        its password
     * @param defaultDatabase the database a login without a database name gets
     */
    public record Options(String user, String password, String defaultDatabase) {
        public Options {
            Objects.requireNonNull(defaultDatabase, "defaultDatabase");
            if (user != null && password == null) {
                throw new IllegalArgumentException("a user needs a password");
            }
        }

        public static Options defaults() {
            return new Options(null, null, "testdb");
        }
    }

    private record Injection(int number, int remaining) {
    }

    public H2Engine(Options options, List<DatabaseExtension> extensions) {
        this.options = options;
        this.extensions = List.copyOf(extensions);
    }

    public H2Engine() {
        this(Options.defaults(), List.of());
    }

    @Override
    public Session openSession(String database, String user, String password) {
        if (options.user() != null && (!options.user().equals(user) || !options.password().equals(password))) {
            throw new SqlError(18456, 1, 14, "Login failed for user '" + (user == null ? "" : user) + "'.");
        }
        String name = database == null || database.isBlank() ? options.defaultDatabase() : database;
        return new H2Session(this, databaseInternal(name), user == null ? "sa" : user, nextSpid.getAndIncrement());
    }

    /** The database of that name, created (with every extension installed) when it does not exist yet. */
    public DatabaseContext database(String name) {
        return databaseInternal(name);
    }

    H2Database databaseInternal(String name) {
        String key = name.toLowerCase(Locale.ROOT);
        H2Database existing = databases.get(key);
        if (existing != null) {
            return existing;
        }
        synchronized (databases) {
            existing = databases.get(key);
            if (existing != null) {
                return existing;
            }
            int id = SYSTEM_DATABASES.getOrDefault(key, -1);
            H2Database db;
            try {
                db = new H2Database(this, name, id > 0 ? id : nextDatabaseId.getAndIncrement());
            } catch (SQLException e) {
                throw new IllegalStateException("cannot create H2 database for " + name, e);
            }
            databases.put(key, db);
            for (DatabaseExtension extension : extensions) {
                extension.install(db);
            }
            LOG.debug("created database {}", name);
            return db;
        }
    }

    /** The database if it exists; system databases (master, tempdb, model, msdb) always do. */
    H2Database existingDatabase(String name) {
        H2Database db = databases.get(name.toLowerCase(Locale.ROOT));
        if (db == null && SYSTEM_DATABASES.containsKey(name.toLowerCase(Locale.ROOT))) {
            db = databaseInternal(name.toLowerCase(Locale.ROOT));
        }
        return db;
    }

    boolean hasDatabase(String name) {
        return databases.containsKey(name.toLowerCase(Locale.ROOT)) || SYSTEM_DATABASES.containsKey(name.toLowerCase(Locale.ROOT));
    }

    /** Looks a database up by name (test hook); null when it was never created. */
    public DatabaseContext findDatabase(String name) {
        return databases.get(name.toLowerCase(Locale.ROOT));
    }

    Collection<H2Database> databases() {
        return databases.values();
    }

    /** This engine's databases in database_id order (sys.databases). */
    List<H2Database> sortedDatabases() {
        List<H2Database> all = new ArrayList<>(databases.values());
        all.sort(java.util.Comparator.comparingInt(H2Database::databaseId));
        return all;
    }

    String databaseName(int databaseId) {
        return databases.values().stream().filter(d -> d.databaseId() == databaseId).map(H2Database::name)
                .findFirst().orElseGet(() -> SYSTEM_DATABASES.entrySet().stream()
                        .filter(e -> e.getValue() == databaseId).map(Map.Entry::getKey).findFirst().orElse(null));
    }

    Integer databaseId(String name) {
        H2Database db = databases.get(name.toLowerCase(Locale.ROOT));
        return db != null ? Integer.valueOf(db.databaseId()) : SYSTEM_DATABASES.get(name.toLowerCase(Locale.ROOT));
    }

    // ---------------------------------------------------------------- test hooks

    /**
     * The statement after the next {@code afterStatements} statements (of any session) fails with
     * SQL Server error {@code number} instead of running; 0 makes the very next statement fail.
     */
    public void injectError(int number, int afterStatements) {
        if (afterStatements < 0) {
            throw new IllegalArgumentException("afterStatements must be >= 0, was " + afterStatements);
        }
        injection.set(new Injection(number, afterStatements));
    }

    /** Requests received so far: each {@code execute} (batch or sp_executesql/prepared) and each RPC procedure call. */
    public long requestCount() {
        return requests.get();
    }

    void countRequest() {
        requests.incrementAndGet();
    }

    /** Consumes one statement of a pending injection; returns the error when this statement must fail. */
    SqlError nextInjectedError() {
        while (true) {
            Injection current = injection.get();
            if (current == null) {
                return null;
            }
            Injection next = current.remaining() == 0 ? null : new Injection(current.number(), current.remaining() - 1);
            if (injection.compareAndSet(current, next)) {
                return next == null ? InjectedErrors.of(current.number()) : null;
            }
        }
    }

    @Override
    public void close() {
        for (H2Database db : databases.values()) {
            db.close();
        }
        databases.clear();
    }
}
