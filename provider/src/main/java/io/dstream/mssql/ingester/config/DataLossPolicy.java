package io.dstream.mssql.ingester.config;

/** {@code on_data_loss}: what a table does when CDC cleanup purged changes it had not read yet. */
public enum DataLossPolicy {
    /** The table stops with an ERROR; the others go on. */
    FAIL,
    /** ERROR, then the table goes on from its oldest retained change (the purged changes are gone). */
    RESUME
}
