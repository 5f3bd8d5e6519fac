package io.dstream.mssql.emulator.cdc;

import java.time.LocalDateTime;

/**
 * A committed transaction that staged row images and awaits capture.
 *
 * @param ordinal     position in commit order (1-based, per database)
 * @param sessionId   the H2 session that committed it
 * @param firstSeq    its staged rows are that session's rows with a sequence from this ...
 * @param lastSeq     ... up to this: the range is exact, so that reading and deleting them never
 *                    passes rows of the session's earlier transactions (still present, deleted but
 *                    uncommitted, while one scan captures many transactions)
 * @param beginLsn    its begin record ({@code tran_begin_lsn})
 * @param commitLsn   its commit record ({@code __$start_lsn}); each change's seqval was staged with it
 * @param beginTime   when it first changed a tracked table ({@code tran_begin_time})
 * @param endTime     when it committed ({@code tran_end_time})
 * @param committedAt {@link System#nanoTime()} at commit, for the capture latency
 */
record CommittedTransaction(long ordinal, int sessionId, long firstSeq, long lastSeq, Lsn beginLsn, Lsn commitLsn,
                            LocalDateTime beginTime, LocalDateTime endTime, long committedAt) {
}
