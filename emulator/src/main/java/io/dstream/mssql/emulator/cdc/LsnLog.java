package io.dstream.mssql.emulator.cdc;

/**
 * The emulated transaction log's LSN allocator for one database. SQL Server gives every log record an
 * increasing LSN as it is written: a transaction's begin record, one record per row change (its
 * {@code __$seqval}) and its commit record ({@code __$start_lsn}). Records of concurrent transactions
 * interleave, so a seqval is below its own commit LSN but may be below other transactions' seqvals
 * and commits too. A commit flushes the log block: the next record starts a new block, which makes
 * the values look like real ones ({@code 0000002d:00000588:0003}).
 */
final class LsnLog {

    private static final long FIRST_VLF = 0x21;
    private static final long FIRST_BLOCK = 0x100;
    /** Records per block before the next block starts (SQL Server blocks hold a few KB of records). */
    private static final int SLOTS_PER_BLOCK = 0x1000;

    private Lsn last = Lsn.of(FIRST_VLF, FIRST_BLOCK, 0);
    private boolean blockClosed;

    /** The next log record (a begin or a row change record). */
    synchronized Lsn record() {
        if (blockClosed || last.slot() >= SLOTS_PER_BLOCK) {
            long block = last.block() + 1;
            long vlf = last.vlf();
            if (block > 0xFFFFFFFFL) {
                vlf++;
                block = FIRST_BLOCK;
            }
            last = Lsn.of(vlf, block, 1);
            blockClosed = false;
        } else {
            last = last.increment();
        }
        return last;
    }

    /** A commit record (also DDL and the start of a capture instance): it ends the log block. */
    synchronized Lsn commit() {
        Lsn commit = record();
        blockClosed = true;
        return commit;
    }

    /**
     * After a restart from the data directory: the next record follows {@code lastUsed} (the highest
     * LSN saved), in a new log block, so every new LSN is above every old one.
     */
    synchronized void resumeAfter(Lsn lastUsed) {
        if (lastUsed.compareTo(last) > 0) {
            last = lastUsed;
            blockClosed = true;
        }
    }

    synchronized Lsn current() {
        return last;
    }
}
