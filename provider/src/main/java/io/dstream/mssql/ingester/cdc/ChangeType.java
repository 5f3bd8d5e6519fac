package io.dstream.mssql.ingester.cdc;

/**
 * A change as written: an update's two change-table rows (op 3 + op 4) are one {@code UPDATE}; a
 * {@code SNAPSHOT} is a row the table held, read by a snapshot chunk (no SQL Server operation code: 0).
 */
public enum ChangeType {
    INSERT("insert", "Insert", 2),
    UPDATE("update", "Update", 4),
    DELETE("delete", "Delete", 1),
    SNAPSHOT("snapshot", "Snapshot", 0);

    private final String envelopeName;
    private final String dstreamName;
    private final int operationId;

    ChangeType(String envelopeName, String dstreamName, int operationId) {
        this.envelopeName = envelopeName;
        this.dstreamName = dstreamName;
        this.operationId = operationId;
    }

    /** {@code change_type} of the envelope format (and {@code type} of the dstream format). */
    public String envelopeName() {
        return envelopeName;
    }

    /** {@code metadata.OperationType} of the dstream format, as the Go provider spelled it. */
    public String dstreamName() {
        return dstreamName;
    }

    /** {@code metadata.OperationID}: the {@code __$operation} code SQL Server reports for it (update = its after image). */
    public int operationId() {
        return operationId;
    }
}
