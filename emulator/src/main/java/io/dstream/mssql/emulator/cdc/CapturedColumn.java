package io.dstream.mssql.emulator.cdc;

import io.dstream.mssql.emulator.engine.SqlType;

/**
 * One captured column of a capture instance.
 *
 * @param name     the source column name
 * @param columnId the column's 1-based position in the source table ({@code cdc.captured_columns.column_id})
 * @param ordinal  the 1-based position among the captured columns = the update-mask bit
 * @param type     the declared SQL Server type
 * @param computed computed columns are captured with their type but always NULL
 */
record CapturedColumn(String name, int columnId, int ordinal, SqlType type, boolean computed) {

    /**
     * varchar(max), nvarchar(max) and varbinary(max) are stored NULL in an update's before-image (op 3)
     * unless the update changed them (the log does not carry the unchanged LOB).
     */
    boolean isLargeValue() {
        return type.isMax() && switch (type.kind()) {
            case VARCHAR, NVARCHAR, VARBINARY -> true;
            default -> false;
        };
    }
}
