package io.dstream.mssql.emulator.tds;

import io.dstream.mssql.emulator.engine.Column;
import io.dstream.mssql.emulator.engine.Parameter;
import io.dstream.mssql.emulator.engine.ResultSink;
import io.dstream.mssql.emulator.engine.SqlError;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.List;
import java.util.Locale;
import java.util.TreeMap;
import java.util.function.BooleanSupplier;
import java.util.function.ToIntFunction;

/**
 * Turns the engine's results of one request into tokens. The last DONE-type token of a response
 * must be the only one without DONE_MORE, and whether more follows is only known later, so each
 * DONE is held back until the next token (then written with DONE_MORE) or the end (without).
 * Inside an RPC, statements end with DONEINPROC and the procedure with DONEPROC. After an
 * ATTENTION, everything the engine still produces is dropped.
 */
final class TokenSink implements ResultSink {

    private static final Logger log = LoggerFactory.getLogger(TokenSink.class);

    private final ResponseWriter w;
    private final BooleanSupplier cancelled;
    private final String serverName;
    private final int connectionId;
    private final ByteWriter.Scratch scratch = new ByteWriter.Scratch();

    private Command command = Command.OTHER;
    private String procName = "";
    private boolean inProc;
    private final TreeMap<Integer, Parameter> outputs = new TreeMap<>();
    private ToIntFunction<Parameter> ordinals = p -> 0;
    private boolean statementProc;
    private Integer procStatus;
    private List<Column> columns;
    private boolean resultSet;
    private boolean statementFailed;
    private boolean procFailed;
    private int errors;
    private int pendingToken = -1;
    private int pendingStatus;
    private int pendingCmd;
    private long pendingCount;

    TokenSink(ResponseWriter w, BooleanSupplier cancelled, String serverName, int connectionId) {
        this.w = w;
        this.cancelled = cancelled;
        this.serverName = serverName;
        this.connectionId = connectionId;
    }

    /** The statement text decides the DONE command code of statements without a result set. */
    void sql(String sql) {
        command = Command.of(sql);
    }

    /**
     * Starts an RPC: statements now end with DONEINPROC. A statement procedure (sp_executesql…)
     * reports errors without a procedure name, as SQL Server does for dynamic SQL, and a return
     * status the engine sends while running the statement belongs to a procedure the statement
     * called, so it is written where it happens.
     */
    void beginProc(String name, boolean isStatementProc) {
        inProc = true;
        statementProc = isStatementProc;
        procName = isStatementProc ? "" : name;
        ordinals = p -> 0;
        procFailed = false;
        procStatus = null;
        outputs.clear();
    }

    /** How OUTPUT parameters the engine returns map to RPC positions. */
    void outputOrdinals(ToIntFunction<Parameter> ordinalOf) {
        ordinals = ordinalOf;
    }

    /**
     * Ends an RPC as SQL Server does: RETURNSTATUS, then the OUTPUT parameters in parameter
     * order (mssql-jdbc only takes RETURNVALUE tokens as the call's outputs after its
     * RETURNSTATUS), then DONEPROC.
     */
    void endProc() {
        if (cancelled.getAsBoolean()) {
            return;
        }
        flushPending();
        Tokens.returnStatus(w, procStatus == null ? 0 : procStatus);
        outputs.forEach((ordinal, p) -> Tokens.returnValue(w, scratch, ordinal, p));
        outputs.clear();
        holdDone(Tds.TOKEN_DONEPROC, procFailed ? Tds.DONE_ERROR : 0, Tds.CMD_EXECUTE, 0);
        inProc = false;
        procName = "";
    }

    /** How many errors this response carries so far. */
    int errors() {
        return errors;
    }

    @Override
    public void columns(List<Column> cols) {
        if (cancelled.getAsBoolean()) {
            return;
        }
        flushPending();
        columns = List.copyOf(cols);
        resultSet = true;
        Tokens.columns(w, columns);
    }

    @Override
    public void row(Object[] values) {
        if (cancelled.getAsBoolean()) {
            return;
        }
        if (columns == null) {
            throw new IllegalStateException("row before columns");
        }
        Tokens.row(w, scratch, columns, values);
    }

    @Override
    public void done(long rowCount) {
        if (cancelled.getAsBoolean()) {
            return;
        }
        int status = statementFailed ? Tds.DONE_ERROR : 0;
        int cmd;
        if (resultSet) {
            cmd = Tds.CMD_SELECT;
        } else if (rowCount >= 0) {
            cmd = Tds.CMD_UPDATE; // not CMD_INSERT: mssql-jdbc swallows INSERT counts inside procedures
        } else {
            cmd = command == Command.DDL ? Tds.CMD_TABCREATE : Tds.CMD_NONE;
        }
        if (rowCount >= 0 && !statementFailed) {
            status |= Tds.DONE_COUNT;
        }
        holdDone(inProc ? Tds.TOKEN_DONEINPROC : Tds.TOKEN_DONE, status, cmd, Math.max(rowCount, 0));
        resultSet = false;
        columns = null;
        statementFailed = false;
    }

    @Override
    public void error(SqlError error) {
        errors++;
        log.warn("connection {}: error {} (severity {}, state {}): {}", connectionId, error.number(),
                error.severity(), error.state(), error.getMessage());
        statementFailed = true;
        procFailed = true;
        if (cancelled.getAsBoolean()) {
            return;
        }
        flushPending();
        Tokens.message(w, Tds.TOKEN_ERROR, error.number(), error.state(), error.severity(), error.getMessage(),
                serverName, procName, 1);
    }

    /** An error the engine threw instead of reporting: the ERROR token and the failed statement's DONE. */
    void fail(SqlError error) {
        error(error);
        done(-1);
    }

    @Override
    public void info(int number, String message) {
        if (cancelled.getAsBoolean()) {
            return;
        }
        flushPending();
        Tokens.message(w, Tds.TOKEN_INFO, number, 1, 0, message, serverName, procName, 1);
    }

    @Override
    public void returnValue(Parameter parameter) {
        if (!inProc) { // an OUTPUT of EXEC inside a SQL batch has no RPC parameter to return to
            return;
        }
        outputs.put(ordinals.applyAsInt(parameter), parameter);
    }

    /** An OUTPUT value at a known RPC position (the handle of sp_prepare/sp_prepexec). */
    void returnValueAt(int ordinal, Parameter parameter) {
        outputs.put(ordinal, parameter);
    }

    @Override
    public void returnStatus(int status) {
        if (inProc && !statementProc) {
            procStatus = status;
            return;
        }
        if (cancelled.getAsBoolean()) {
            return;
        }
        flushPending();
        Tokens.returnStatus(w, status);
    }

    @Override
    public void databaseChanged(String oldDatabase, String newDatabase) {
        if (cancelled.getAsBoolean()) {
            return;
        }
        flushPending();
        Tokens.envChange(w, Tds.ENV_DATABASE, newDatabase, oldDatabase);
    }

    /** Writes other tokens (ENVCHANGE of a transaction) in order with the held DONE. */
    ResponseWriter writer() {
        flushPending();
        return w;
    }

    /**
     * Ends the response message. After an ATTENTION the response ends with DONE(ERROR); the
     * attention acknowledgement follows as its own message (see {@link TdsConnection}).
     */
    void finish() {
        if (cancelled.getAsBoolean()) {
            flushPending();
            Tokens.done(w, Tds.TOKEN_DONE, Tds.DONE_ERROR, Tds.CMD_NONE, 0);
        } else if (pendingToken < 0) {
            Tokens.done(w, Tds.TOKEN_DONE, errors > 0 ? Tds.DONE_ERROR : Tds.DONE_FINAL, Tds.CMD_NONE, 0);
        } else {
            Tokens.done(w, pendingToken, pendingStatus, pendingCmd, pendingCount);
            pendingToken = -1;
        }
        w.endMessage();
    }

    private void holdDone(int token, int status, int cmd, long count) {
        flushPending();
        pendingToken = token;
        pendingStatus = status;
        pendingCmd = cmd;
        pendingCount = count;
    }

    private void flushPending() {
        if (pendingToken >= 0) {
            Tokens.done(w, pendingToken, pendingStatus | Tds.DONE_MORE, pendingCmd, pendingCount);
            pendingToken = -1;
        }
    }

    /** What kind of statement a request's text starts with, enough to pick DONE's command code. */
    enum Command {
        DDL, OTHER;

        static Command of(String sql) {
            String s = sql == null ? "" : sql.stripLeading().toUpperCase(Locale.ROOT);
            for (String ddl : new String[] {"CREATE", "ALTER", "DROP", "TRUNCATE"}) {
                if (s.startsWith(ddl)) {
                    return DDL;
                }
            }
            return OTHER;
        }
    }
}
