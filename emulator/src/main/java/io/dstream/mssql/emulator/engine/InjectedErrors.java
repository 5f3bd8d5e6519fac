package io.dstream.mssql.emulator.engine;

/** The text and severity SQL Server gives the error numbers tests inject most. */
final class InjectedErrors {

    private InjectedErrors() {
    }

    static SqlError of(int number) {
        return switch (number) {
            case 1205 -> new SqlError(1205, 51, 13, "Transaction (Process ID 51) was deadlocked on lock resources with "
                    + "another process and has been chosen as the deadlock victim. Rerun the transaction.");
            case 1222 -> SqlError.of(1222, "Lock request time out period exceeded.");
            case 208 -> SqlError.of(208, "Invalid object name 'injected'.");
            case 229 -> new SqlError(229, 5, 14, "The SELECT permission was denied on the object 'injected', "
                    + "database 'testdb', schema 'dbo'.");
            case 313 -> SqlError.of(313, "An insufficient number of arguments were supplied for the procedure or "
                    + "function cdc.fn_cdc_get_all_changes_ ... .");
            case 4060 -> new SqlError(4060, 1, 11, "Cannot open database requested by the login. The login failed.");
            case 40197 -> new SqlError(40197, 1, 20, "The service has encountered an error processing your request. "
                    + "Please try again.");
            case 40501 -> new SqlError(40501, 1, 20, "The service is currently busy. Retry the request after 10 seconds.");
            case 40613 -> new SqlError(40613, 1, 17, "Database is not currently available. Please retry the connection later.");
            case 8134 -> SqlError.of(8134, "Divide by zero error encountered.");
            default -> SqlError.of(number, "Injected error " + number + " (mssql-cdc-emulator test hook).");
        };
    }
}
