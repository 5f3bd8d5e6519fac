package io.dstream.mssql.emulator.tds;

import io.dstream.mssql.emulator.engine.SqlType;

import java.util.ArrayList;
import java.util.List;

/**
 * One procedure call of an RPC request, which may carry several separated by a batch flag.
 *
 * @param procId the well-known procedure id (10 = sp_executesql, …), or -1 when called by name
 * @param name   the procedure name as sent, or the well-known name for a procedure id
 */
record RpcCall(int procId, String name, List<Param> params) {

    static final int SP_CURSOR_LAST = 9;
    static final int SP_EXECUTESQL = 10;
    static final int SP_PREPARE = 11;
    static final int SP_EXECUTE = 12;
    static final int SP_PREPEXEC = 13;
    static final int SP_PREPEXECRPC = 14;
    static final int SP_UNPREPARE = 15;

    private static final String[] PROC_NAMES = {"", "sp_cursor", "sp_cursoropen", "sp_cursorprepare",
            "sp_cursorexecute", "sp_cursorprepexec", "sp_cursorunprepare", "sp_cursorfetch", "sp_cursoroption",
            "sp_cursorclose", "sp_executesql", "sp_prepare", "sp_execute", "sp_prepexec", "sp_prepexecrpc",
            "sp_unprepare"};

    // Between calls: 0x80 (BatchFlag), 0xFF (NoExecFlag in TDS 7.2+), 0xFE (7.1 and earlier).
    private static final int BATCH_FLAG = 0x80;
    private static final int NO_EXEC_FLAG = 0xFF;
    private static final int OLD_BATCH_FLAG = 0xFE;
    private static final int STATUS_BY_REF = 0x01;
    private static final int STATUS_DEFAULT = 0x02;

    /**
     * One parameter.
     *
     * @param name      with its {@code @}, or "" for a positional value
     * @param output    the caller wants the value back (fByRefValue)
     * @param isDefault the caller asked for the parameter's default (fDefaultValue)
     */
    record Param(String name, SqlType type, Object value, boolean output, boolean isDefault) {
    }

    /** Parses an RPC request payload; a malformed one is SQL Server's error 8016. */
    static List<RpcCall> parse(byte[] payload) {
        try {
            return parseCalls(payload);
        } catch (java.nio.BufferUnderflowException | IllegalStateException | IllegalArgumentException
                 | IndexOutOfBoundsException e) {
            throw io.dstream.mssql.emulator.engine.SqlError.of(8016, "The incoming tabular data stream (TDS) remote"
                    + " procedure call (RPC) protocol stream is incorrect: " + e);
        }
    }

    private static List<RpcCall> parseCalls(byte[] payload) {
        PayloadReader r = new PayloadReader(payload);
        r.skipAllHeaders();
        List<RpcCall> calls = new ArrayList<>();
        while (r.hasRemaining()) {
            calls.add(parseOne(r));
            if (r.hasRemaining()) {
                int flag = r.u8();
                if (flag != BATCH_FLAG && flag != NO_EXEC_FLAG && flag != OLD_BATCH_FLAG) {
                    throw new IllegalStateException("RPC batch separator 0x" + Integer.toHexString(flag) + " unknown");
                }
            }
        }
        return calls;
    }

    private static RpcCall parseOne(PayloadReader r) {
        int nameLength = r.u16();
        int procId = -1;
        String name;
        if (nameLength == Tds.USHORT_MAX) {
            procId = r.u16();
            name = procId < PROC_NAMES.length ? PROC_NAMES[procId] : "procid:" + procId;
        } else {
            name = r.utf16(nameLength);
        }
        r.u16(); // option flags: WithRecomp, NoMetaData, ReuseMetaData — nothing to do for them
        List<Param> params = new ArrayList<>();
        while (r.hasRemaining() && !isSeparator(r.peekU8())) {
            String pname = r.bVarchar();
            int status = r.u8();
            TypeInfo type = TypeInfo.read(r);
            Object value = ValueDecoder.read(type, r);
            params.add(new Param(pname, type.sqlType(), value,
                    (status & STATUS_BY_REF) != 0, (status & STATUS_DEFAULT) != 0));
        }
        return new RpcCall(procId, name, params);
    }

    private static boolean isSeparator(int b) {
        return b == BATCH_FLAG || b == NO_EXEC_FLAG || b == OLD_BATCH_FLAG;
    }

    /** The procedure this call means, with well-known names recognised however they are qualified. */
    int effectiveProcId() {
        if (procId >= 0) {
            return procId;
        }
        String n = name.replace("[", "").replace("]", "").trim().toLowerCase(java.util.Locale.ROOT);
        int dot = n.lastIndexOf('.');
        String schemaPart = dot < 0 ? "" : n.substring(0, dot);
        String base = n.substring(dot + 1);
        boolean system = schemaPart.isEmpty() || schemaPart.equals("sys") || schemaPart.equals("dbo")
                || schemaPart.endsWith("..") || schemaPart.endsWith(".sys") || schemaPart.endsWith(".dbo")
                || schemaPart.equals("master.");
        if (!system) {
            return -1;
        }
        for (int i = 1; i < PROC_NAMES.length; i++) {
            if (PROC_NAMES[i].equals(base)) {
                return i;
            }
        }
        return -1;
    }

    private boolean isStatementProc() {
        int id = effectiveProcId();
        return id == SP_EXECUTESQL || id == SP_PREPARE || id == SP_PREPEXEC;
    }

    /** Logged form: the procedure and, for statements, the first 200 characters of the SQL. */
    String describe() {
        StringBuilder sb = new StringBuilder(name);
        for (Param p : params) {
            if (p.value() instanceof String s && s.length() > 0 && p.type().kind() == SqlType.Kind.NVARCHAR
                    && isStatementProc() && !s.startsWith("@")) {
                sb.append(' ').append(s, 0, Math.min(200, s.length()));
                break;
            }
        }
        return sb.toString();
    }
}
