package io.dstream.mssql.emulator.cdc;

import io.dstream.mssql.emulator.engine.ProcedureCall;
import io.dstream.mssql.emulator.engine.ProcedureCall.Argument;
import io.dstream.mssql.emulator.engine.SqlError;
import java.util.Locale;

/** Typed access to a procedure's arguments by the names and positions of its documented signature. */
final class Args {

    private final ProcedureCall call;
    private final String procedure;

    Args(ProcedureCall call, String procedure) {
        this.call = call;
        this.procedure = procedure;
    }

    /** Whether the caller passed the parameter at all (a NULL counts; DEFAULT and omission do not). */
    boolean supplied(String name, int position) {
        for (Argument a : call.arguments()) {
            if (a.name() != null && a.name().replaceFirst("^@", "").equalsIgnoreCase(name)) {
                return !a.isDefault();
            }
        }
        return position < call.arguments().size() && call.arguments().get(position).name() == null
                && !call.arguments().get(position).isDefault();
    }

    String string(String name, int position) {
        return call.value(name, position).map(Object::toString).orElse(null);
    }

    String required(String name, int position) {
        if (!supplied(name, position)) {
            throw CdcErrors.missingParameter(procedure, name);
        }
        return string(name, position);
    }

    Boolean bit(String name, int position) {
        Object v = call.value(name, position).orElse(null);
        if (v == null) {
            return null;
        }
        if (v instanceof Boolean b) {
            return b;
        }
        if (v instanceof Number n) {
            return n.longValue() != 0;
        }
        String s = v.toString().trim().toLowerCase(Locale.ROOT);
        if (s.equals("1") || s.equals("true")) {
            return true;
        }
        if (s.equals("0") || s.equals("false")) {
            return false;
        }
        throw SqlError.of(8114, "Error converting data type nvarchar to bit.");
    }

    Long number(String name, int position) {
        Object v = call.value(name, position).orElse(null);
        if (v == null) {
            return null;
        }
        if (v instanceof Number n) {
            return n.longValue();
        }
        try {
            return Long.parseLong(v.toString().trim());
        } catch (NumberFormatException e) {
            throw SqlError.of(8114, "Error converting data type nvarchar to bigint.");
        }
    }

    byte[] binary(String name, int position) {
        return BinaryArgument.of(call.value(name, position).orElse(null), "binary");
    }
}
