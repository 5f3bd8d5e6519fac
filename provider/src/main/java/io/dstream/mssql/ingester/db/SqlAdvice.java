package io.dstream.mssql.ingester.db;

import io.dstream.mssql.ingester.config.JdbcTarget;
import java.sql.SQLException;

/** Known SQL Server error numbers turned into what the operator should do. */
public final class SqlAdvice {

    /** Deadlock victim: SQL Server chose this statement to roll back; running it again is the documented remedy. */
    public static final int DEADLOCK_VICTIM = 1205;
    public static final int LOGIN_FAILED = 18456;
    public static final int CANNOT_OPEN_DATABASE = 4060;
    public static final int PERMISSION_DENIED = 229;
    public static final int COLUMN_PERMISSION_DENIED = 230;
    public static final int INVALID_OBJECT = 208;
    public static final int CREATE_PERMISSION_DENIED = 262;
    public static final int INVALID_LSN_RANGE = 313;
    public static final int OBJECT_EXISTS = 2714;
    public static final int DUPLICATE_KEY = 2627;
    /** Column names in each table must be unique (an ALTER TABLE ADD of a column that exists). */
    public static final int COLUMN_EXISTS = 2705;

    /** mssql-jdbc's words when it asked for TLS and the server answered that it has none (ENCRYPT_NOT_SUP). */
    static final String SERVER_WITHOUT_TLS = "the server is not configured to support SSL";

    /** How Azure SQL names a login that came with an Entra token, in error 18456. */
    static final String ENTRA_PRINCIPAL = "<token-identified principal>";

    /** mssql-jdbc's words when the server's certificate chain is not trusted, and when its name does not match. */
    static final String UNTRUSTED_CERTIFICATE = "PKIX path building failed";
    static final String CERTIFICATE_NAME_MISMATCH = "Failed to validate the server name";

    private SqlAdvice() {
    }

    /** The driver's message plus advice; never the connection string. */
    public static String explain(SQLException e) {
        return explain(e, advice(e));
    }

    /**
     * As {@link #explain(SQLException)} for a failure to connect to {@code target}, whose way of signing in
     * changes what a failed login means.
     */
    public static String explain(SQLException e, JdbcTarget target) {
        // mssql-jdbc uses Entra only when the server asks for it in PRELOGIN (FEDAUTHREQUIRED); otherwise it signs
        // in with the user id and password as a SQL login, which such a server then refuses. A refusal naming the
        // token came from a server that did take the Entra sign-in.
        if (target.entraSignIn() && e.getErrorCode() == LOGIN_FAILED && !mentions(e, ENTRA_PRINCIPAL)
                && !mentions(e, "token")) {
            return explain(e, "the server did not ask for Microsoft Entra sign-in, so the driver tried the user id as a "
                    + "SQL login: it is a SQL Server without Microsoft Entra (on-premises, or the emulator without "
                    + "--entra-sign-in); use a SQL login there, or check that the server name is your Azure SQL server's");
        }
        return explain(e);
    }

    private static String explain(SQLException e, String advice) {
        String base = e.getErrorCode() == 0 ? firstLine(e.getMessage())
                : "SQL Server error " + e.getErrorCode() + ": " + firstLine(e.getMessage());
        return advice == null ? base : base + " (" + advice + ")";
    }

    /**
     * Marks {@code e} as raised by a statement on the checkpoint table, so that the advice names that
     * table rather than the source table. Error number, SQLState and message are kept.
     */
    public static SQLException onCheckpointTable(String checkpointTable, SQLException e) {
        return e instanceof CheckpointTableException ? e : new CheckpointTableException(checkpointTable, e);
    }

    /** An error of a statement on the checkpoint table ({@link #onCheckpointTable}). */
    static final class CheckpointTableException extends SQLException {

        private final String table;

        private CheckpointTableException(String table, SQLException cause) {
            super(cause.getMessage(), cause.getSQLState(), cause.getErrorCode(), cause);
            this.table = table;
        }
    }

    static String advice(SQLException e) {
        if (e instanceof CheckpointTableException checkpoint) {
            String advice = checkpointAdvice(checkpoint.getErrorCode(), checkpoint.table);
            if (advice != null) {
                return advice;
            }
        }
        int n = e.getErrorCode();
        if (n == LOGIN_FAILED && e.getMessage() != null && e.getMessage().contains(ENTRA_PRINCIPAL)) {
            return "the Microsoft Entra identity signed in but is no user of this database: in the database run CREATE USER "
                    + "[<identity or app name>] FROM EXTERNAL PROVIDER, then grant it what the provider needs";
        }
        if (isEntraSignInFailure(e)) {
            return "Microsoft Entra sign-in failed before SQL Server was asked: check the client id and secret of a service "
                    + "principal, that the managed identity is assigned to this host (and its client id, for a user-assigned "
                    + "one), or for Active Directory Default the AZURE_CLIENT_ID/AZURE_TENANT_ID/AZURE_CLIENT_SECRET variables, "
                    + "workload identity or az login";
        }
        if (n == LOGIN_FAILED) {
            return "login failed: check the user and password in db_connection_string";
        }
        if (n == CANNOT_OPEN_DATABASE) {
            return "cannot open the database: check its name in db_connection_string and that the login has a user in it";
        }
        if (n == PERMISSION_DENIED || n == COLUMN_PERMISSION_DENIED) {
            return "permission denied: grant the login SELECT on the cdc schema and on the captured tables "
                    + "(or make it db_owner), and membership of the capture instance's gating role if it has one";
        }
        if (n == CREATE_PERMISSION_DENIED) {
            return "permission denied: grant CREATE TABLE (and ALTER on the schema) for the checkpoint table, "
                    + "or create it once with a privileged login (command init)";
        }
        if (n == INVALID_OBJECT) {
            return "an object is missing: the table was dropped, CDC was disabled for it or for the database, "
                    + "or the login cannot see it";
        }
        if (n == INVALID_LSN_RANGE) {
            return "invalid LSN range: the position is outside the capture instance's validity interval (CDC cleanup or a disabled instance)";
        }
        if (n >= 22000 && n < 23000) {
            return "a Change Data Capture error: check that CDC is enabled (sys.sp_cdc_enable_db, sys.sp_cdc_enable_table) and the capture job runs";
        }
        if (n == DEADLOCK_VICTIM) {
            return "deadlock victim: retried";
        }
        if (isConnectionProblem(e) && e.getMessage() != null && e.getMessage().contains(SERVER_WITHOUT_TLS)) {
            return "the server offers no encryption, which db_connection_string asks for (encrypt=true is the driver's default, "
                    + "and Microsoft Entra sign-in needs it): Azure SQL always offers it, so check the server name; only for a "
                    + "SQL Server without TLS signing in with a SQL login, set encrypt=false";
        }
        if (isConnectionProblem(e) && (mentions(e, UNTRUSTED_CERTIFICATE) || mentions(e, CERTIFICATE_NAME_MISMATCH))) {
            return "the server's TLS certificate is not trusted here: add it (or its issuing CA) to the Java trust store "
                    + "(trustStore=...;trustStorePassword=...), set hostNameInCertificate=<name in the certificate> if the "
                    + "server is reached by another name, or, only for a test server, trustservercertificate=true";
        }
        if (isConnectionProblem(e)) {
            return "cannot reach SQL Server: check host, port, firewall and that TCP/IP is enabled; use encrypt=false "
                    + "or trustservercertificate=true if the server has no trusted certificate";
        }
        return null;
    }

    private static boolean mentions(SQLException e, String words) {
        return e.getMessage() != null && e.getMessage().contains(words);
    }

    /** mssql-jdbc's and azure-identity's words when no Entra token could be had (error number 0). */
    private static boolean isEntraSignInFailure(SQLException e) {
        String m = e.getMessage();
        return e.getErrorCode() == 0 && m != null && (m.contains("in Active Directory (Authentication=")
                || m.contains("DefaultAzureCredential") || m.contains("managed identity token")
                || m.contains("ManagedIdentityCredential"));
    }

    private static String checkpointAdvice(int n, String table) {
        if (n == INVALID_OBJECT) {
            return "the checkpoint table " + table + " is missing or the login cannot see it: let the login create it "
                    + "(CREATE TABLE, ALTER on the schema; the provider re-creates it when saving) or create it with command init";
        }
        if (n == PERMISSION_DENIED || n == COLUMN_PERMISSION_DENIED) {
            return "permission denied on the checkpoint table " + table
                    + ": grant the login SELECT, INSERT, UPDATE and DELETE on it";
        }
        return null;
    }

    /** True when the connection itself is unusable (SQLState class 08), so it must not go back to the pool. */
    public static boolean isConnectionProblem(SQLException e) {
        String state = e.getSQLState();
        return state != null && state.startsWith("08");
    }

    private static String firstLine(String message) {
        if (message == null) {
            return "";
        }
        int nl = message.indexOf('\n');
        return nl < 0 ? message : message.substring(0, nl);
    }
}
