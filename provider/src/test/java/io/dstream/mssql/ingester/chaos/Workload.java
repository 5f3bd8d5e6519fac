package io.dstream.mssql.ingester.chaos;

import static org.awaitility.Awaitility.await;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * Random transactions on the chaos tables, run by one thread, recording exactly what was committed.
 *
 * <p>Every table is {@code (id INT PRIMARY KEY, v BIGINT, note NVARCHAR(100))}. Each statement gets a fresh
 * version base {@code b} (a multiple of {@value #VERSION_STEP}) and sets {@code v = b + id} on every row it inserts
 * or updates, so a row change is named by its table, its type and a {@code v} nobody else wrote: {@code insert:v} and
 * {@code update:v} for the new value, {@code delete:v} for the last one. With one writer the commit order is the
 * order of the commits here; within a transaction, the order of its statements.
 *
 * <p>Every transaction also inserts its number into {@value #LEDGER}, a table CDC does not track: when a statement or
 * the commit fails (an injected error, a dropped connection), the ledger says whether the transaction committed.
 */
final class Workload {

    static final String LEDGER = "dbo.chaos_ledger";
    static final String CREATE_LEDGER = "CREATE TABLE " + LEDGER + " (tx BIGINT PRIMARY KEY)";
    static final String COLUMNS = "id INT PRIMARY KEY, v BIGINT NOT NULL, note NVARCHAR(100)";
    private static final String LEDGER_INSERT = "INSERT INTO " + LEDGER + " (tx) VALUES (%d)";
    private static final String LEDGER_HAS = "SELECT COUNT(*) FROM " + LEDGER + " WHERE tx = ?";
    private static final long VERSION_STEP = 1_000_000L;
    private static final int ROLLBACK_PERCENT = 8;
    private static final int MAX_ROWS_PER_TABLE = 120;

    /**
     * One committed row change: its name ({@code table|type:v}), its place in commit order, and when the commit
     * returned ({@link System#nanoTime()}).
     */
    record Change(String table, String key, long tx, int statement, long committedAt) {
    }

    private final String jdbcUrl;
    private final List<String> tables;
    private final Random random;
    /** The rows each table holds after the last commit: id → v. */
    private final Map<String, TreeMap<Integer, Long>> rows = new HashMap<>();
    private final List<Change> committed = new ArrayList<>();
    private final Set<String> notCommitted = new HashSet<>();
    private final List<String> problems = new ArrayList<>();
    private int nextId = 1;
    private long nextBase = 1;
    private long nextTx = 1;
    private int commits;
    private int rollbacks;
    private int failures;
    private Connection connection;

    Workload(String jdbcUrl, List<String> tables, long seed) {
        this.jdbcUrl = jdbcUrl;
        this.tables = List.copyOf(tables);
        this.random = new Random(seed);
        tables.forEach(t -> rows.put(t, new TreeMap<>()));
    }

    /** One transaction; never throws (a scheduled task that throws is never run again). */
    synchronized void step() {
        try {
            transaction();
        } catch (RuntimeException e) {
            problems.add("transaction " + (nextTx - 1) + ": " + e);
        }
    }

    private void transaction() {
        long tx = nextTx++;
        Map<String, TreeMap<Integer, Long>> after = copyOfRows();
        List<Planned> statements = plan(after);
        boolean rollback = random.nextInt(100) < ROLLBACK_PERCENT;
        try {
            Connection c = connection();
            try (Statement s = c.createStatement()) {
                s.executeUpdate(String.format(LEDGER_INSERT, tx));
                for (Planned p : statements) {
                    int count = s.executeUpdate(p.sql());
                    if (count != p.changes().size()) {
                        c.rollback();
                        throw new IllegalStateException("the workload's model of " + p.table() + " is wrong: " + p.sql()
                                + " changed " + count + " rows, expected " + p.changes().size());
                    }
                }
            }
            if (rollback) {
                c.rollback();
                record(tx, statements, after, false);
            } else {
                c.commit();
                record(tx, statements, after, true);
            }
        } catch (SQLException e) {
            failures++;
            closeConnection();
            record(tx, statements, after, ledgerHas(tx));
        }
    }

    /** A statement, the table it changes and the names of its row changes. */
    private record Planned(String table, String sql, List<String> changes) {
    }

    /** One to three statements, a third of the time on more than one table; {@code after} is changed as they would. */
    private List<Planned> plan(Map<String, TreeMap<Integer, Long>> after) {
        int count = 1 + random.nextInt(3);
        String single = pick(tables);
        boolean multiTable = random.nextInt(3) == 0;
        List<Planned> statements = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            String table = multiTable ? pick(tables) : single;
            statements.add(statement(table, after.get(table)));
        }
        return statements;
    }

    private Planned statement(String table, TreeMap<Integer, Long> live) {
        long base = nextBase++ * VERSION_STEP;
        int kind = random.nextInt(10);
        if (live.size() >= MAX_ROWS_PER_TABLE || (kind >= 8 && live.size() >= 2)) {
            return delete(table, live, 1 + random.nextInt(2));
        }
        if (kind >= 5 && live.size() >= 5) {
            return update(table, live, base, kind >= 7 ? 2 + random.nextInt(4) : 1);
        }
        return insert(table, live, base, 1 + random.nextInt(3));
    }

    private Planned insert(String table, TreeMap<Integer, Long> live, long base, int n) {
        List<String> values = new ArrayList<>();
        List<String> changes = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            int id = nextId++;
            live.put(id, base + id);
            values.add("(" + id + ", " + (base + id) + ", N'row " + id + "')");
            changes.add(key(table, "insert", base + id));
        }
        return new Planned(table, "INSERT INTO " + table + " (id, v, note) VALUES " + String.join(", ", values), changes);
    }

    /** {@code n} rows in one statement: a multi-row update shares its commit LSN and differs by seqval only. */
    private Planned update(String table, TreeMap<Integer, Long> live, long base, int n) {
        List<Integer> ids = pickIds(live, n);
        List<String> changes = new ArrayList<>();
        for (int id : ids) {
            live.put(id, base + id);
            changes.add(key(table, "update", base + id));
        }
        return new Planned(table, "UPDATE " + table + " SET v = " + base + " + id, note = N'update " + base + "' WHERE id IN ("
                + join(ids) + ")", changes);
    }

    private Planned delete(String table, TreeMap<Integer, Long> live, int n) {
        List<Integer> ids = pickIds(live, n);
        List<String> changes = new ArrayList<>();
        for (int id : ids) {
            changes.add(key(table, "delete", live.remove(id)));
        }
        return new Planned(table, "DELETE FROM " + table + " WHERE id IN (" + join(ids) + ")", changes);
    }

    private void record(long tx, List<Planned> statements, Map<String, TreeMap<Integer, Long>> after, boolean wasCommitted) {
        if (!wasCommitted) {
            rollbacks++;
            statements.forEach(p -> notCommitted.addAll(p.changes()));
            return;
        }
        commits++;
        rows.putAll(after);
        long now = System.nanoTime();
        for (int i = 0; i < statements.size(); i++) {
            for (String key : statements.get(i).changes()) {
                committed.add(new Change(statements.get(i).table(), key, tx, i, now));
            }
        }
    }

    /** Whether the transaction committed, asked again (on new connections) until the database answers. */
    private boolean ledgerHas(long tx) {
        return await("the ledger row of transaction " + tx).atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200))
                .ignoreExceptions().until(() -> {
                    try (Connection c = DriverManager.getConnection(jdbcUrl); PreparedStatement s = c.prepareStatement(LEDGER_HAS)) {
                        s.setLong(1, tx);
                        try (ResultSet rs = s.executeQuery()) {
                            rs.next();
                            return rs.getInt(1) == 1;
                        }
                    }
                }, answer -> true);
    }

    private Connection connection() throws SQLException {
        if (connection == null) {
            connection = DriverManager.getConnection(jdbcUrl);
            connection.setAutoCommit(false);
        }
        return connection;
    }

    private void closeConnection() {
        if (connection != null) {
            try {
                connection.close();
            } catch (SQLException e) {
                // already broken: the server rolls back what was not committed
            }
            connection = null;
        }
    }

    synchronized void close() {
        closeConnection();
    }

    /**
     * The differences between what each table holds and what the committed transactions left in it (none when the
     * ledger told the truth and the database kept every commit).
     */
    synchronized List<String> differencesFromDatabase() {
        List<String> differences = new ArrayList<>();
        for (String table : tables) {
            Map<Integer, Long> actual = await("the rows of " + table).atMost(Duration.ofSeconds(60))
                    .pollInterval(Duration.ofMillis(200)).ignoreExceptions().until(() -> read(table), r -> true);
            if (!actual.equals(rows.get(table))) {
                Set<Integer> ids = new HashSet<>(actual.keySet());
                ids.addAll(rows.get(table).keySet());
                ids.stream().sorted().filter(id -> !java.util.Objects.equals(actual.get(id), rows.get(table).get(id))).limit(5)
                        .forEach(id -> differences.add(table + " id " + id + ": database v=" + actual.get(id)
                                + ", committed v=" + rows.get(table).get(id)));
            }
        }
        return differences;
    }

    private TreeMap<Integer, Long> read(String table) throws SQLException {
        TreeMap<Integer, Long> actual = new TreeMap<>();
        try (Connection c = DriverManager.getConnection(jdbcUrl); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT id, v FROM " + table)) {
            while (rs.next()) {
                actual.put(rs.getInt(1), rs.getLong(2));
            }
        }
        return actual;
    }

    synchronized List<Change> committed() {
        return List.copyOf(committed);
    }

    synchronized Set<String> notCommitted() {
        return Set.copyOf(notCommitted);
    }

    synchronized List<String> problems() {
        return List.copyOf(problems);
    }

    synchronized String summary() {
        return commits + " transactions committed (" + committed.size() + " row changes), " + rollbacks
                + " rolled back or failed, " + failures + " met an error";
    }

    static String key(String table, String type, long v) {
        return table + "|" + type + ":" + v;
    }

    private Map<String, TreeMap<Integer, Long>> copyOfRows() {
        Map<String, TreeMap<Integer, Long>> copy = new HashMap<>();
        rows.forEach((table, live) -> copy.put(table, new TreeMap<>(live)));
        return copy;
    }

    private List<Integer> pickIds(TreeMap<Integer, Long> live, int n) {
        List<Integer> all = new ArrayList<>(live.keySet());
        java.util.Collections.shuffle(all, random);
        return all.subList(0, Math.min(n, all.size())).stream().sorted().toList();
    }

    private <T> T pick(List<T> from) {
        return from.get(random.nextInt(from.size()));
    }

    private static String join(List<Integer> ids) {
        return ids.stream().map(String::valueOf).collect(Collectors.joining(", "));
    }
}
