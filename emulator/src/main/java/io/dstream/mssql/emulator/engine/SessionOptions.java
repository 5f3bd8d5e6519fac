package io.dstream.mssql.emulator.engine;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** A session's {@code SET} options: the ones the emulator models, and the many it accepts as no-ops. */
final class SessionOptions {

    private static final Logger LOG = LoggerFactory.getLogger(SessionOptions.class);

    /** Options that change nothing the emulator models: results are the same under the values clients set. */
    private static final Set<String> ACCEPTED = Set.of("ANSI_NULLS", "ANSI_PADDING", "ANSI_WARNINGS",
            "ANSI_NULL_DFLT_ON", "ANSI_NULL_DFLT_OFF", "ANSI_DEFAULTS", "QUOTED_IDENTIFIER", "ARITHABORT", "ARITHIGNORE",
            "CONCAT_NULL_YIELDS_NULL", "NUMERIC_ROUNDABORT", "CURSOR_CLOSE_ON_COMMIT", "TEXTSIZE", "DATEFORMAT",
            "DATEFIRST", "LANGUAGE", "DEADLOCK_PRIORITY", "FMTONLY", "NOEXEC", "PARSEONLY", "STATISTICS",
            "SHOWPLAN_ALL", "SHOWPLAN_TEXT", "SHOWPLAN_XML", "NO_BROWSETABLE", "QUERY_GOVERNOR_COST_LIMIT",
            "CONTEXT_INFO", "FORCEPLAN", "REMOTE_PROC_TRANSACTIONS");

    private static final Set<String> ON_OFF = Set.of("NOCOUNT", "IMPLICIT_TRANSACTIONS", "XACT_ABORT");

    /** SET NOCOUNT ON: DONE tokens carry no row count. */
    boolean nocount;
    /** SET IMPLICIT_TRANSACTIONS ON (mssql-jdbc's setAutoCommit(false)): the first statement opens a transaction. */
    boolean implicitTransactions;
    /** SET XACT_ABORT ON: any error rolls back the whole transaction. */
    boolean xactAbort;
    /** SET LOCK_TIMEOUT in ms; -1 waits forever (SQL Server's default). */
    int lockTimeout = -1;

    /** Applies {@code SET <tokens>}; {@code connection} is the session's H2 connection. */
    void apply(List<Token> tokens, Connection connection) {
        if (tokens.isEmpty()) {
            throw SqlError.of(102, "Incorrect syntax near 'SET'.");
        }
        String option = tokens.get(0).upper();
        String value = tokens.get(tokens.size() - 1).upper();
        boolean on = value.equals("ON");
        if (!on && !value.equals("OFF") && ON_OFF.contains(option)) {
            throw Parser.syntaxError(tokens.get(tokens.size() - 1));
        }
        switch (option) {
            case "NOCOUNT" -> nocount = on;
            case "IMPLICIT_TRANSACTIONS" -> implicitTransactions = on;
            case "XACT_ABORT" -> xactAbort = on;
            case "TRANSACTION" -> isolation(tokens, connection);
            case "LOCK_TIMEOUT" -> lockTimeout(tokens, connection);
            case "ROWCOUNT" -> {
                if (!value.equals("0")) {
                    throw SqlError.of(40519, "SET ROWCOUNT other than 0 is not supported by the SQL Server emulator; use TOP.");
                }
            }
            default -> {
                if (!ACCEPTED.contains(option)) {
                    throw SqlError.of(195, "'" + tokens.get(0).text() + "' is not a recognized SET option.");
                }
            }
        }
    }

    /** {@code @@OPTIONS}: the bits of the options set (SQL Server's documented bit values). */
    int bits() {
        return (implicitTransactions ? 2 : 0) | (nocount ? 512 : 0) | (xactAbort ? 16384 : 0) | 5496;
    }

    private static void isolation(List<Token> tokens, Connection connection) {
        String level = String.join(" ", tokens.stream().skip(3).map(Token::upper).toList());
        int jdbc = switch (level) {
            case "READ UNCOMMITTED" -> Connection.TRANSACTION_READ_UNCOMMITTED;
            case "READ COMMITTED" -> Connection.TRANSACTION_READ_COMMITTED;
            // SNAPSHOT reads one consistent view for the transaction, as H2's REPEATABLE READ does
            case "REPEATABLE READ", "SNAPSHOT" -> Connection.TRANSACTION_REPEATABLE_READ;
            case "SERIALIZABLE" -> Connection.TRANSACTION_SERIALIZABLE;
            default -> throw SqlError.of(102, "Incorrect syntax near '" + level + "'.");
        };
        try {
            connection.setTransactionIsolation(jdbc);
        } catch (SQLException e) {
            LOG.debug("isolation level {} not applied inside a transaction: {}", level, e.getMessage());
        }
    }

    private void lockTimeout(List<Token> tokens, Connection connection) {
        String text = tokens.stream().skip(1).map(Token::text).reduce("", String::concat);
        try {
            lockTimeout = Integer.parseInt(text);
        } catch (NumberFormatException e) {
            throw SqlError.of(102, "Incorrect syntax near '" + text + "'.");
        }
        applyLockTimeout(connection);
    }

    /**
     * SQL Server's default (-1) waits for a lock forever; H2 gives up after 2 s by default. The
     * emulator waits up to this long, so a blocked writer behaves like SQL Server's without a
     * test hanging forever on a real deadlock-free wait.
     */
    static final int WAIT_FOREVER_MILLIS = 60_000;

    /** Applies the lock timeout to a connection (at connect, and again after USE switched connections). */
    void applyLockTimeout(Connection connection) {
        try (Statement s = connection.createStatement()) {
            s.execute("SET LOCK_TIMEOUT " + (lockTimeout < 0 ? WAIT_FOREVER_MILLIS : lockTimeout));
        } catch (SQLException e) {
            LOG.debug("lock timeout not applied: {}", e.getMessage());
        }
    }
}
