package io.dstream.mssql.emulator.engine;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The engine: one H2 database per SQL Server database (created on first use, so any database
 * name given at login works), sessions that run T-SQL on them, and the test hooks. Databases live
 * in memory, or with a data directory in H2 files there, opened again when the engine starts.
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

    private static final Set<Path> DIRECTORIES_IN_USE = ConcurrentHashMap.newKeySet();
    /** H2 adds this to the name of a file database. */
    private static final String H2_FILE_SUFFIX = ".mv.db";
    /** SQL Server re-creates tempdb at every start: it stays in memory, data directory or not. */
    private static final String TEMPDB = "tempdb";

    /**
     * Engine options.
     *
     * @param user            the only login accepted, or null to accept any login
     * @param password        its password
     * @param defaultDatabase the database a login without a database name gets
     * @param dataDir         where databases are kept across restarts, or null to keep them in memory
     */
    public record Options(String user, String password, String defaultDatabase, Path dataDir) {
        public Options {
            Objects.requireNonNull(defaultDatabase, "defaultDatabase");
            if (user != null && password == null) {
                throw new IllegalArgumentException("a user needs a password");
            }
        }

        /** In-memory databases. */
        public Options(String user, String password, String defaultDatabase) {
            this(user, password, defaultDatabase, null);
        }

        public static Options defaults() {
            return new Options(null, null, "testdb");
        }
    }

    private record Injection(int number, int remaining) {
    }

    /**
     * With a data directory, opens every database saved there (extensions install on each, so CDC
     * picks up where it stopped). Fails with {@link IllegalStateException} when the directory cannot
     * be used, e.g. another emulator has it open.
     */
    public H2Engine(Options options, List<DatabaseExtension> extensions) {
        this.options = options;
        this.extensions = List.copyOf(extensions);
        if (options.dataDir() != null) {
            claim(options.dataDir());
            try {
                openSaved(options.dataDir());
            } catch (RuntimeException e) {
                close();
                throw e;
            }
        }
    }

    /**
     * H2 shares a file database between the connections of one process, so a second engine on the
     * same directory in this process would silently share (and at close, shut down) the first one's
     * databases; H2's file lock only stops another process.
     */
    private static void claim(Path dir) {
        if (!DIRECTORIES_IN_USE.add(dir.toAbsolutePath().normalize())) {
            throw new IllegalStateException("data directory " + dir + " is in use by another emulator in this process");
        }
    }

    private void openSaved(Path dir) {
        List<Path> files;
        try {
            Files.createDirectories(dir);
            try (Stream<Path> list = Files.list(dir)) {
                files = list.filter(f -> f.getFileName().toString().endsWith(H2_FILE_SUFFIX)).sorted().toList();
            }
        } catch (IOException e) {
            throw new IllegalStateException("cannot use data directory " + dir + ": " + e, e);
        }
        for (Path file : files) {
            String stem = file.getFileName().toString();
            stem = stem.substring(0, stem.length() - H2_FILE_SUFFIX.length());
            H2Database db = open(stem, nextDatabaseId.getAndIncrement(), file.resolveSibling(stem));
            nextDatabaseId.set(Math.max(nextDatabaseId.get(), db.databaseId() + 1));
            LOG.info("opened database {} (database_id {}) from {}", db.name(), db.databaseId(), file);
        }
    }

    public H2Engine() {
        this(Options.defaults(), List.of());
    }

    @Override
    public Session openSession(String database, String user, String password) {
        if (options.user() != null && (!options.user().equals(user) || !options.password().equals(password))) {
            throw new SqlError(18456, 1, 14, "Login failed for user '" + (user == null ? "" : user) + "'.");
        }
        return session(database, user == null ? "sa" : user);
    }

    @Override
    public Session openEntraSession(String database, String principal) {
        return session(database, principal);
    }

    private Session session(String database, String user) {
        String name = database == null || database.isBlank() ? options.defaultDatabase() : database;
        return new H2Session(this, databaseInternal(name), user, nextSpid.getAndIncrement());
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
            Path file = options.dataDir() == null || key.equals(TEMPDB) ? null : options.dataDir().resolve(fileName(key));
            H2Database db = open(name, id > 0 ? id : nextDatabaseId.getAndIncrement(), file);
            LOG.debug("created database {}", name);
            return db;
        }
    }

    /** Opens (or creates) a database and installs the extensions on it. */
    private H2Database open(String name, int databaseId, Path file) {
        H2Database db;
        try {
            db = new H2Database(this, name, databaseId, file);
        } catch (SQLException e) {
            throw new IllegalStateException("cannot " + (file == null ? "create H2 database for " + name
                    : "open " + file + H2_FILE_SUFFIX + " (is another emulator using that data directory?)")
                    + ": " + e.getMessage(), e);
        }
        databases.put(db.name().toLowerCase(Locale.ROOT), db);
        for (DatabaseExtension extension : extensions) {
            extension.install(db);
        }
        return db;
    }

    /**
     * The file of a database in the data directory: its lower-case name, with characters other than
     * ASCII letters, digits and {@code _} written as {@code -} and their hex code, so that every name
     * has its own file on every file system.
     */
    static String fileName(String lowerCaseName) {
        StringBuilder file = new StringBuilder();
        for (char c : lowerCaseName.toCharArray()) {
            if (c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '_') {
                file.append(c);
            } else {
                file.append('-').append(String.format("%04x", (int) c));
            }
        }
        return file.toString();
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
        if (options.dataDir() != null) {
            DIRECTORIES_IN_USE.remove(options.dataDir().toAbsolutePath().normalize());
        }
    }
}
