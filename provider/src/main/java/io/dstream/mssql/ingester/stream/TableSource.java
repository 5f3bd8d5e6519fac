package io.dstream.mssql.ingester.stream;

import io.dstream.mssql.ingester.cdc.ChangeReader;
import io.dstream.mssql.ingester.cdc.Checkpoint;
import io.dstream.mssql.ingester.cdc.CheckpointStore;
import io.dstream.mssql.ingester.cdc.Page;
import io.dstream.mssql.ingester.cdc.Position;
import io.dstream.mssql.ingester.cdc.SnapshotProgress;
import io.dstream.mssql.ingester.cdc.SnapshotReader;
import io.dstream.mssql.ingester.cdc.TableKey;
import io.dstream.mssql.ingester.cdc.Watermark;
import io.dstream.mssql.ingester.config.TableName;
import io.dstream.mssql.ingester.db.CaptureInstance;
import io.dstream.mssql.ingester.db.CapturedColumn;
import io.dstream.mssql.ingester.db.Catalog;
import io.dstream.mssql.ingester.db.Database;
import io.dstream.mssql.ingester.db.Lsn;

import java.sql.SQLException;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Everything a table's stream reads from and saves to the database: pages of a change table, the columns
 * a capture instance captures, and the table's checkpoint row. {@link #of} is the database; unit tests
 * put a fake behind it, so that scheduling, backoff, read-ahead, settling and positions are tested
 * without a server. Calls may come from the read-ahead thread: implementations are thread-safe.
 */
public interface TableSource {

    /** At most {@code limit} change rows strictly after {@code after}, up to commit LSN {@code upTo}. */
    Page read(CaptureInstance ci, Position after, Lsn upTo, int limit) throws SQLException;

    /** The columns the capture instance captures, in ordinal order. */
    List<CapturedColumn> capturedColumns(CaptureInstance ci) throws SQLException;

    /** The table's checkpoint row, if it has one: the one {@link #prefetchCheckpoints} read, else read now. */
    Optional<Checkpoint> checkpoint(TableName table) throws SQLException;

    /** Reads the checkpoint rows of many tables in one statement; each is handed out once by {@link #checkpoint}. */
    void prefetchCheckpoints(Collection<TableName> tables) throws SQLException;

    /** Drops prefetched rows no table took: they are only current for the cycle that read them. */
    void forgetPrefetched();

    /** Saves the table's checkpoint: everything up to {@code position} was written, and its snapshot got this far. */
    void save(TableName table, Position position, String captureInstance, Lsn upperBound, SnapshotProgress snapshot)
            throws SQLException;

    /** Deletes the table's checkpoint row (a missing row or table is no error). */
    void deleteCheckpoint(TableName table) throws SQLException;

    /** The {@code snapshot} command's requests not taken yet among these tables, with when each was made. */
    Map<TableName, Instant> snapshotRequests(Collection<TableName> tables) throws SQLException;

    /** Takes the request made at {@code at} (a newer one stays). */
    void takeSnapshotRequest(TableName table, Instant at) throws SQLException;

    /** The key a snapshot reads the table by; empty when it has no primary key or usable unique index. */
    Optional<TableKey> key(TableName table) throws SQLException;

    /** The largest key the table holds now (where a snapshot starting now ends); null when it is empty. */
    TableKey.Value lastKey(TableName table, CaptureInstance ci, TableKey key) throws SQLException;

    /**
     * The snapshot chunk after {@code after} (from the start when null) up to {@code upTo}: at most {@code limit}
     * rows in key order.
     */
    SnapshotReader.Chunk chunk(TableName table, CaptureInstance ci, TableKey key, TableKey.Value after, TableKey.Value upTo,
                               int limit) throws SQLException;

    /** A key {@link TableKey#encode} wrote, typed as the table's key columns are now. */
    TableKey.Value decodeKey(TableName table, CaptureInstance ci, TableKey key, String encoded) throws SQLException;

    /** The table's rows as SQL Server estimates them, or -1. */
    long estimatedRows(TableName table) throws SQLException;

    /** Writes a high watermark for the table's snapshot; returns its token. */
    String writeWatermark(TableName table) throws SQLException;

    /** Where the token's watermark was captured (after {@code after}); empty until the capture job got to it. */
    Optional<Watermark.Mark> findWatermark(String token, Lsn after) throws SQLException;

    /** The database behind a pool of connections, one borrowed per call. */
    static TableSource of(Database db, ChangeReader reader, CheckpointStore checkpoints, Watermark watermark) {
        return new TableSource() {
            @Override
            public Page read(CaptureInstance ci, Position after, Lsn upTo, int limit) throws SQLException {
                return db.with(c -> reader.read(c, ci, after, upTo, limit));
            }

            @Override
            public List<CapturedColumn> capturedColumns(CaptureInstance ci) throws SQLException {
                return db.with(c -> Catalog.capturedColumns(c, ci.objectId()));
            }

            @Override
            public Optional<Checkpoint> checkpoint(TableName table) throws SQLException {
                return db.with(c -> checkpoints.load(c, table));
            }

            @Override
            public void prefetchCheckpoints(Collection<TableName> tables) throws SQLException {
                db.with(c -> {
                    checkpoints.prefetch(c, tables);
                    return null;
                });
            }

            @Override
            public void forgetPrefetched() {
                checkpoints.forgetPrefetched();
            }

            @Override
            public void save(TableName table, Position position, String captureInstance, Lsn upperBound,
                             SnapshotProgress snapshot) throws SQLException {
                db.with(c -> checkpoints.save(c, table, position, captureInstance, upperBound, snapshot));
            }

            @Override
            public Map<TableName, Instant> snapshotRequests(Collection<TableName> tables) throws SQLException {
                return db.with(c -> checkpoints.snapshotRequests(c, tables));
            }

            @Override
            public void takeSnapshotRequest(TableName table, Instant at) throws SQLException {
                db.with(c -> {
                    checkpoints.takeSnapshotRequest(c, table, at);
                    return null;
                });
            }

            @Override
            public Optional<TableKey> key(TableName table) throws SQLException {
                return db.with(c -> TableKey.of(c, table));
            }

            @Override
            public TableKey.Value lastKey(TableName table, CaptureInstance ci, TableKey key) throws SQLException {
                return db.with(c -> SnapshotReader.lastKey(c, table, ci, key));
            }

            @Override
            public SnapshotReader.Chunk chunk(TableName table, CaptureInstance ci, TableKey key, TableKey.Value after,
                                              TableKey.Value upTo, int limit) throws SQLException {
                return db.with(c -> SnapshotReader.read(c, table, ci, key, after, upTo, limit));
            }

            @Override
            public TableKey.Value decodeKey(TableName table, CaptureInstance ci, TableKey key, String encoded) throws SQLException {
                return key.decode(encoded, db.with(c -> SnapshotReader.columns(c, table, ci, key)));
            }

            @Override
            public long estimatedRows(TableName table) throws SQLException {
                return db.with(c -> SnapshotReader.estimatedRows(c, table));
            }

            @Override
            public String writeWatermark(TableName table) throws SQLException {
                return db.with(c -> watermark.write(c, table));
            }

            @Override
            public Optional<Watermark.Mark> findWatermark(String token, Lsn after) throws SQLException {
                return db.with(c -> watermark.find(c, token, after));
            }

            @Override
            public void deleteCheckpoint(TableName table) throws SQLException {
                db.with(c -> checkpoints.delete(c, table));
            }
        };
    }
}
