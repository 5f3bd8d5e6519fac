package io.dstream.mssql.ingester.locking;

/** {@code lock_config.type}: how instances share the tables. */
public enum LockType {
    /** A single instance owns every table ({@link NoLocker}). */
    NONE,
    /** One Azure Blob lease per table ({@link AzureBlobLocker}). */
    AZURE_BLOB
}
