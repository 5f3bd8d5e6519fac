package io.dstream.mssql.emulator.tds;

import io.dstream.mssql.emulator.engine.Parameter;
import io.dstream.mssql.emulator.engine.Session;
import io.dstream.mssql.emulator.engine.SqlError;
import io.dstream.mssql.emulator.engine.SqlType;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Runs the procedure calls of RPC requests for one connection: the statement procedures
 * (sp_executesql, sp_prepare, sp_prepexec, sp_execute, sp_unprepare) here, with the connection's
 * prepared handles, and any other procedure in the engine.
 */
final class RpcExecutor {

    private static final org.slf4j.Logger log = org.slf4j.LoggerFactory.getLogger(RpcExecutor.class);

    /** SQL Server's error for an unknown procedure; cursors are not emulated. */
    private static final int ERR_PROC_NOT_FOUND = 2812;
    private static final int ERR_UNKNOWN_HANDLE = 8179;
    private static final SqlType HANDLE_TYPE = SqlType.of(SqlType.Kind.INT);

    private final Session session;
    private final Map<Integer, Prepared> prepared = new HashMap<>();
    private int nextHandle = 1;

    private record Prepared(String sql, ParamDefinitions definitions) {
    }

    RpcExecutor(Session session) {
        this.session = session;
    }

    void run(RpcCall call, TokenSink sink) {
        int id = call.effectiveProcId();
        boolean statementProc = id >= RpcCall.SP_EXECUTESQL && id <= RpcCall.SP_UNPREPARE;
        sink.beginProc(call.name(), statementProc);
        try {
            switch (id) {
                case RpcCall.SP_EXECUTESQL -> executeSql(call, sink);
                case RpcCall.SP_PREPEXEC -> prepExec(call, sink);
                case RpcCall.SP_PREPARE -> prepare(call, sink);
                case RpcCall.SP_EXECUTE -> execute(call, sink);
                case RpcCall.SP_UNPREPARE -> unprepare(call, sink);
                case -1 -> callProcedure(call, sink);
                default -> {
                    throw new SqlError(ERR_PROC_NOT_FOUND, 62, 16, "Could not find stored procedure '" + call.name()
                            + "'. The emulator has no server cursors: use forward-only, read-only result sets"
                            + " (selectMethod=direct).");
                }
            }
        } catch (SqlError e) {
            sink.fail(e);
        } catch (java.io.UncheckedIOException e) {
            throw e; // the client is gone
        } catch (RuntimeException e) {
            // still end the procedure properly, so the client can read the error and go on
            log.warn("RPC {} failed inside the emulator", call.name(), e);
            sink.fail(SqlError.of(50000, "The emulator failed while running " + call.name() + ": " + e));
        }
        sink.endProc();
    }

    /** sp_executesql(@stmt, [@params], values…). */
    private void executeSql(RpcCall call, TokenSink sink) {
        List<RpcCall.Param> p = call.params();
        String sql = text(p, 0, "@stmt");
        boolean hasDefinitions = p.size() > 1 && isDefinitions(p.get(1));
        ParamDefinitions defs = hasDefinitions ? ParamDefinitions.parse((String) p.get(1).value()) : ParamDefinitions.NONE;
        int offset = hasDefinitions ? 2 : 1;
        runStatement(call, sql, defs, offset, sink);
    }

    /** sp_prepexec(@handle OUTPUT, @params, @stmt, values…): prepares, runs, returns the handle. */
    private void prepExec(RpcCall call, TokenSink sink) {
        List<RpcCall.Param> p = call.params();
        ParamDefinitions defs = ParamDefinitions.parse(text(p, 1, "@params"));
        String sql = text(p, 2, "@stmt");
        int handle = register(sql, defs);
        sink.returnValueAt(0, new Parameter(p.get(0).name(), HANDLE_TYPE, handle, true));
        runStatement(call, sql, defs, 3, sink);
    }

    /** sp_prepare(@handle OUTPUT, @params, @stmt, @options): only remembers the statement. */
    private void prepare(RpcCall call, TokenSink sink) {
        List<RpcCall.Param> p = call.params();
        ParamDefinitions defs = ParamDefinitions.parse(text(p, 1, "@params"));
        String sql = text(p, 2, "@stmt");
        int handle = register(sql, defs);
        sink.returnValueAt(0, new Parameter(p.get(0).name(), HANDLE_TYPE, handle, true));
    }

    /** sp_execute(@handle, values…). */
    private void execute(RpcCall call, TokenSink sink) {
        Prepared stmt = lookup(call);
        runStatement(call, stmt.sql(), stmt.definitions(), 1, sink);
    }

    private void unprepare(RpcCall call, TokenSink sink) {
        Prepared removed = null;
        if (!call.params().isEmpty() && call.params().get(0).value() instanceof Number n) {
            removed = prepared.remove(n.intValue());
        }
        if (removed == null) {
            throw SqlError.of(ERR_UNKNOWN_HANDLE, "Could not find prepared statement with handle "
                    + (call.params().isEmpty() ? "(none)" : call.params().get(0).value()) + ".");
        }
    }

    private void callProcedure(RpcCall call, TokenSink sink) {
        List<Parameter> params = new ArrayList<>();
        List<String> names = new ArrayList<>();
        for (RpcCall.Param p : call.params()) {
            params.add(new Parameter(p.name(), p.type(), p.value(), p.output()));
            names.add(p.name());
        }
        sink.outputOrdinals(new OutputOrdinals(call.params(), names, 0));
        session.callProcedure(call.name(), params, sink);
    }

    private void runStatement(RpcCall call, String sql, ParamDefinitions defs, int offset, TokenSink sink) {
        List<RpcCall.Param> values = call.params().subList(Math.min(offset, call.params().size()), call.params().size());
        List<Parameter> params = new ArrayList<>();
        List<String> names = new ArrayList<>();
        for (int i = 0; i < values.size(); i++) {
            RpcCall.Param v = values.get(i);
            String name = v.name().isEmpty() ? defs.nameAt(i) : v.name();
            SqlType type = defs.typeAt(i).filter(d -> DeclaredType.sameJavaType(d, v.type())).orElse(v.type());
            params.add(new Parameter(name, type, v.value(), v.output() || defs.outputAt(i)));
            names.add(name);
        }
        sink.outputOrdinals(new OutputOrdinals(values, names, offset));
        sink.sql(sql);
        session.execute(sql, params, sink);
    }

    private Prepared lookup(RpcCall call) {
        Object h = call.params().isEmpty() ? null : call.params().get(0).value();
        Prepared stmt = h instanceof Number n ? prepared.get(n.intValue()) : null;
        if (stmt == null) {
            throw SqlError.of(ERR_UNKNOWN_HANDLE, "Could not find prepared statement with handle " + h + ".");
        }
        return stmt;
    }

    private int register(String sql, ParamDefinitions defs) {
        int handle = nextHandle++;
        prepared.put(handle, new Prepared(sql, defs));
        return handle;
    }

    private static boolean isDefinitions(RpcCall.Param p) {
        return (p.name().isEmpty() || p.name().equalsIgnoreCase("@params"))
                && (p.value() == null || p.value() instanceof String);
    }

    private static String text(List<RpcCall.Param> p, int index, String name) {
        if (index >= p.size() || !(p.get(index).value() == null || p.get(index).value() instanceof String)) {
            throw SqlError.of(214, "Procedure expects parameter '" + name + "' of type 'ntext/nchar/nvarchar'.");
        }
        Object v = p.get(index).value();
        return v == null ? "" : (String) v;
    }
}
