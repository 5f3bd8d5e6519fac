package io.dstream.mssql.bench.workload;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Locale;
import java.util.UUID;

/**
 * Writes a backlog of changes: per table 60 % inserts, 30 % updates and 10 % deletes,
 * interleaved round by round (a round inserts a chunk of new rows, updates the next older rows,
 * deletes the next rows already updated), one transaction per statement. Multi-row INSERT
 * and range UPDATE/DELETE keep the population cheap: one statement produces hundreds of
 * changes, so the bench spends its time on the reading it measures.
 */
public final class BacklogLoader {

    /** Rows per INSERT statement (SQL Server allows at most 1000 rows in one VALUES list). */
    static final int INSERT_CHUNK = 500;

    private BacklogLoader() {
    }

    /** The per-table split of {@code changes} into inserts, updates and deletes. */
    public record Mix(int inserts, int updates, int deletes) {

        public static Mix of(int changes) {
            int updates = changes * 3 / 10;
            int deletes = changes / 10;
            return new Mix(changes - updates - deletes, updates, deletes);
        }

        public int total() {
            return inserts + updates + deletes;
        }

        /** Change rows in the change table: an update is captured as two rows (op 3 and op 4). */
        public int changeRows() {
            return inserts + 2 * updates + deletes;
        }
    }

    /** Called between rounds with the number of changes written so far. */
    @FunctionalInterface
    public interface Progress {
        void written(long changes) throws SQLException;
    }

    /** Writes {@code changesPerTable} changes into each table, tables taking turns round by round. */
    public static void load(Connection c, List<String> tables, int changesPerTable) throws SQLException {
        load(c, tables, changesPerTable, written -> { });
    }

    /** As above, telling {@code progress} after every round (one chunk per table). */
    public static void load(Connection c, List<String> tables, int changesPerTable, Progress progress) throws SQLException {
        Mix mix = Mix.of(changesPerTable);
        int rounds = (mix.inserts() + INSERT_CHUNK - 1) / INSERT_CHUNK;
        int updatesPerRound = (mix.updates() + rounds - 1) / rounds;
        int deletesPerRound = (mix.deletes() + rounds - 1) / rounds;
        TableProgress[] state = new TableProgress[tables.size()];
        for (int t = 0; t < state.length; t++) {
            state[t] = new TableProgress(mix);
        }
        c.setAutoCommit(true);
        try (Statement s = c.createStatement()) {
            boolean more = true;
            while (more) {
                more = false;
                long written = 0;
                for (int t = 0; t < state.length; t++) {
                    more |= state[t].round(s, tables.get(t), t + 1, updatesPerRound, deletesPerRound);
                    written += state[t].written();
                }
                progress.written(written);
            }
        }
    }

    /** Where one table stands: rows 1..inserted exist, 1..updated were updated, 1..deleted deleted. */
    private static final class TableProgress {
        private final Mix mix;
        private int inserted;
        private int updated;
        private int deleted;

        TableProgress(Mix mix) {
            this.mix = mix;
        }

        long written() {
            return (long) inserted + updated + deleted;
        }

        boolean round(Statement s, String table, int tableNo, int updatesPerRound, int deletesPerRound) throws SQLException {
            int insert = Math.min(INSERT_CHUNK, mix.inserts() - inserted);
            if (insert > 0) {
                s.executeUpdate(insertSql(table, tableNo, inserted + 1, inserted + insert));
                inserted += insert;
            }
            int update = Math.min(Math.min(updatesPerRound, mix.updates() - updated), inserted - updated);
            if (update > 0) {
                s.executeUpdate("UPDATE dbo." + table + " SET qty = qty + 1, price = price + 1.50, note = 'updated', "
                        + "active = 1 WHERE id BETWEEN " + (updated + 1) + " AND " + (updated + update));
                updated += update;
            }
            int delete = Math.min(Math.min(deletesPerRound, mix.deletes() - deleted), updated - deleted);
            if (delete > 0) {
                s.executeUpdate("DELETE FROM dbo." + table + " WHERE id BETWEEN " + (deleted + 1) + " AND " + (deleted + delete));
                deleted += delete;
            }
            return inserted < mix.inserts() || updated < mix.updates() || deleted < mix.deletes();
        }
    }

    /** Inserts rows 1..{@code rows} of the drain's shape into a dbo table, {@value #INSERT_CHUNK} per statement. */
    public static void insertRows(Connection c, String table, int rows) throws SQLException {
        try (java.sql.Statement s = c.createStatement()) {
            for (int first = 1; first <= rows; first += INSERT_CHUNK) {
                s.executeUpdate(insertSql(table, 1, first, Math.min(rows, first + INSERT_CHUNK - 1)));
            }
        }
    }

    static String insertSql(String table, int tableNo, int firstId, int lastId) {
        StringBuilder sql = new StringBuilder(160 * (lastId - firstId + 1));
        sql.append("INSERT INTO dbo.").append(table)
                .append(" (id, name, qty, price, ratio, created, active, code, note, total) VALUES ");
        for (int id = firstId; id <= lastId; id++) {
            if (id > firstId) {
                sql.append(',');
            }
            sql.append(String.format(Locale.ROOT,
                    "(%d, N'customer %d', %d, %d.%02d, %s, '2026-11-%02d %02d:%02d:%02d.%03d', %d, '%s', %s, %d)",
                    id, id, id % 100, id % 10000, id % 100, id % 7 == 0 ? "NULL" : Double.toString(id / 8.0),
                    1 + id % 28, id % 24, id % 60, (id / 60) % 60, id % 1000, id % 2,
                    new UUID(tableNo, id).toString().toUpperCase(Locale.ROOT),
                    id % 5 == 0 ? "NULL" : "'note for row " + id + "'", (long) id * 1_000_003L));
        }
        return sql.toString();
    }
}
