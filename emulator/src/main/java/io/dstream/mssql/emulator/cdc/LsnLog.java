package io.dstream.mssql.emulator.cdc;

/**
 * The emulated transaction log's LSN allocator for one database. SQL Server gives every log record
 * an increasing LSN; a transaction's records are its begin record, one record per row change
 * ({@code __$seqval}) and its commit record ({@code __$start_lsn}), so all seqvals of a transaction
 * lie between its begin and commit LSNs. Each transaction starts a new log block, which makes the
 * values look like real ones ({@code 0000002d:00000588:0003}).
 */
final class LsnLog {

    /** Records of one committed transaction: begin, {@code records} change LSNs from {@code firstRecord}, commit. */
    record TransactionLsns(Lsn begin, Lsn firstRecord, int records, Lsn commit) {
        /** The LSN of the transaction's {@code index}-th change record (0-based). */
        Lsn record(int index) {
            if (index < 0 || index >= records) {
                throw new IndexOutOfBoundsException("record " + index + " of " + records);
            }
            return firstRecord.plus(index);
        }
    }

    private static final long FIRST_VLF = 0x21;
    private static final long FIRST_BLOCK = 0x100;

    private Lsn last = Lsn.of(FIRST_VLF, FIRST_BLOCK, 0);

    /** Allocates the LSNs of a transaction with {@code records} change records. */
    synchronized TransactionLsns transaction(int records) {
        Lsn begin = nextBlock();
        Lsn first = begin.increment();
        Lsn commit = begin.plus(records + 1L);
        last = commit;
        return new TransactionLsns(begin, first, records, commit);
    }

    /** A single log record in a block of its own (e.g. the log position at which a capture instance starts). */
    synchronized Lsn record() {
        last = nextBlock();
        return last;
    }

    synchronized Lsn current() {
        return last;
    }

    private Lsn nextBlock() {
        long block = last.block() + 1;
        long vlf = last.vlf();
        if (block > 0xFFFFFFFFL) {
            vlf++;
            block = FIRST_BLOCK;
        }
        return Lsn.of(vlf, block, 1);
    }
}
