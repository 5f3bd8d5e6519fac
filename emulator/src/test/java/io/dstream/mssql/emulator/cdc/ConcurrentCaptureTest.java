package io.dstream.mssql.emulator.cdc;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/** Several sessions committing while the capture process runs with a small latency. */
class ConcurrentCaptureTest extends CdcTestSupport {

    private static final int SESSIONS = 4;
    private static final int TRANSACTIONS = 40;

    @Test
    void everyCommittedTransactionGetsItsOwnIncreasingCommitLsn() throws Exception {
        transaction("CREATE TABLE dbo.events (session_no INT, tx_no INT, row_no INT, PRIMARY KEY (session_no, tx_no, row_no))");
        enableDb();
        enableTable("dbo", "events");
        cdc.setCaptureLatency(Duration.ofMillis(5));
        ExecutorService pool = Executors.newFixedThreadPool(SESSIONS);
        try {
            List<Future<?>> done = new ArrayList<>();
            for (int s = 0; s < SESSIONS; s++) {
                int session = s;
                done.add(pool.submit(() -> {
                    try (Connection c = db.session();
                         PreparedStatement ps = c.prepareStatement("INSERT INTO dbo.events VALUES (?, ?, ?)")) {
                        for (int t = 0; t < TRANSACTIONS; t++) {
                            for (int r = 0; r < 2; r++) {
                                ps.setInt(1, session);
                                ps.setInt(2, t);
                                ps.setInt(3, r);
                                ps.executeUpdate();
                            }
                            if (t % 5 == 4) {
                                db.rollback(c);
                            } else {
                                db.commit(c);
                            }
                        }
                    }
                    return null;
                }));
            }
            for (Future<?> f : done) {
                f.get();
            }
        } finally {
            pool.shutdown();
        }
        captured();
        List<Object[]> rows = query("SELECT \"__$start_lsn\", \"__$seqval\", session_no, tx_no, row_no "
                + "FROM cdc.\"dbo_events_CT\" ORDER BY \"__$start_lsn\", \"__$seqval\"");
        int committed = SESSIONS * TRANSACTIONS * 4 / 5;
        assertThat(rows).hasSize(committed * 2);
        Map<Lsn, Set<String>> transactions = new HashMap<>();
        Map<Integer, Integer> lastTxPerSession = new HashMap<>();
        Lsn previousCommit = null;
        Lsn previousSeq = null;
        for (Object[] r : rows) {
            Lsn commit = Lsn.fromBytes((byte[]) r[0]);
            Lsn seq = Lsn.fromBytes((byte[]) r[1]);
            assertThat(seq).isLessThan(commit);
            if (commit.equals(previousCommit)) {
                assertThat(seq).isGreaterThan(previousSeq); // seqvals order changes within a transaction
            }
            previousCommit = commit;
            previousSeq = seq;
            transactions.computeIfAbsent(commit, k -> new HashSet<>()).add(r[2] + "/" + r[3]);
            int session = (Integer) r[2];
            int tx = (Integer) r[3];
            assertThat(tx).isNotEqualTo(-1).matches(x -> x % 5 != 4, "not a rolled-back transaction");
            assertThat(tx).isGreaterThanOrEqualTo(lastTxPerSession.getOrDefault(session, 0));
            lastTxPerSession.put(session, tx);
        }
        assertThat(transactions).hasSize(committed);
        assertThat(transactions.values()).allSatisfy(set -> assertThat(set).hasSize(1));
        assertThat(query("SELECT COUNT(*) FROM cdc.\"lsn_time_mapping\"").get(0)[0]).isEqualTo((long) committed);
    }

    /**
     * SQL Server's seqval is the change's own log record: a transaction that changed a row first but
     * committed last has a smaller seqval than one that committed before it (never order by seqval alone).
     */
    @Test
    void seqvalsOfConcurrentTransactionsInterleave() throws Exception {
        transaction("CREATE TABLE dbo.t (id INT PRIMARY KEY)");
        enableDb();
        enableTable("dbo", "t");
        try (Connection first = db.session(); Connection second = db.session();
             java.sql.Statement a = first.createStatement(); java.sql.Statement b = second.createStatement()) {
            a.execute("INSERT INTO dbo.t VALUES (1)");
            b.execute("INSERT INTO dbo.t VALUES (2)");
            db.commit(second);
            db.commit(first);
        }
        captured();
        List<Object[]> rows = query("SELECT \"__$start_lsn\", \"__$seqval\", id FROM cdc.\"dbo_t_CT\" "
                + "ORDER BY \"__$start_lsn\"");
        assertThat(rows).extracting(r -> r[2]).containsExactly(2, 1);
        Lsn secondCommit = Lsn.fromBytes((byte[]) rows.get(0)[0]);
        Lsn firstSeq = Lsn.fromBytes((byte[]) rows.get(1)[1]);
        Lsn secondSeq = Lsn.fromBytes((byte[]) rows.get(0)[1]);
        assertThat(firstSeq).isLessThan(secondSeq).isLessThan(secondCommit);
        List<Object[]> mapping = query("SELECT \"tran_begin_lsn\", \"start_lsn\" FROM cdc.\"lsn_time_mapping\" "
                + "ORDER BY \"start_lsn\"");
        assertThat(Lsn.fromBytes((byte[]) mapping.get(1)[0])).isLessThan(Lsn.fromBytes((byte[]) mapping.get(0)[0]));
    }
}
