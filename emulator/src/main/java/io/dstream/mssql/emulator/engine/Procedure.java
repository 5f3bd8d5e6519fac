package io.dstream.mssql.emulator.engine;

/**
 * A system stored procedure implemented in Java (for example {@code sys.sp_cdc_enable_table}).
 * Reached both from T-SQL ({@code EXEC sys.sp_x @a = N'v'}) and from RPC by name.
 */
@FunctionalInterface
public interface Procedure {

    /**
     * Runs the procedure. Result sets it returns go to {@code call.sink()}; it fails by throwing
     * {@link SqlError}. Returns the procedure's return status (0 on success).
     */
    int call(ProcedureCall call);
}
