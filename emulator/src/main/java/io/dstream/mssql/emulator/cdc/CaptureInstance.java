package io.dstream.mssql.emulator.cdc;

import java.time.LocalDateTime;
import java.util.List;

/**
 * A capture instance as {@code sys.sp_cdc_enable_table} created it.
 *
 * @param name               the capture instance name
 * @param sourceSchema       the source table's schema as stored in H2
 * @param sourceTable        the source table's name as stored in H2
 * @param objectId           the change table's object id
 * @param sourceObjectId     the source table's object id
 * @param columns            the captured columns in ordinal order
 * @param indexColumns       the row identifier columns (PK or {@code @index_name}), empty if none
 * @param indexName          the PK / unique index name, or null
 * @param roleName           the gating role, or null
 * @param filegroupName      the filegroup, or null
 * @param supportsNetChanges whether {@code fn_cdc_get_net_changes_<ci>} exists
 * @param createdAt          the log position at enable: only transactions committed after it are captured
 * @param createDate         {@code create_date}
 */
record CaptureInstance(String name, String sourceSchema, String sourceTable, int objectId, int sourceObjectId,
                       List<CapturedColumn> columns, List<String> indexColumns, String indexName, String roleName,
                       String filegroupName, boolean supportsNetChanges, Lsn createdAt, LocalDateTime createDate) {

    CaptureInstance {
        columns = List.copyOf(columns);
        indexColumns = List.copyOf(indexColumns);
    }

    boolean tracks(String schema, String table) {
        return sourceSchema.equals(schema) && sourceTable.equals(table);
    }
}
