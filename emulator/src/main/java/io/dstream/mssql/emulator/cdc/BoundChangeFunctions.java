package io.dstream.mssql.emulator.cdc;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;

/**
 * Template of the per-capture-instance functions. H2 binds an alias to a static method and passes
 * it no name, so {@link FunctionBinder} loads one copy of this class per capture instance, each with
 * its own {@link #captureInstance}. Keep it free of lambdas and nested classes: only this class is
 * copied.
 */
public final class BoundChangeFunctions {

    public static volatile String captureInstance;

    private BoundChangeFunctions() {
    }

    public static ResultSet allChanges(Connection connection, byte[] fromLsn, byte[] toLsn, String rowFilterOption)
            throws SQLException {
        return ChangeFunctions.allChanges(connection, captureInstance, fromLsn, toLsn, rowFilterOption);
    }

    public static ResultSet netChanges(Connection connection, byte[] fromLsn, byte[] toLsn, String rowFilterOption)
            throws SQLException {
        return ChangeFunctions.netChanges(connection, captureInstance, fromLsn, toLsn, rowFilterOption);
    }
}
