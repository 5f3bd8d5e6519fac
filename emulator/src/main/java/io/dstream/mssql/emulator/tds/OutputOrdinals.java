package io.dstream.mssql.emulator.tds;

import io.dstream.mssql.emulator.engine.Parameter;

import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.function.ToIntFunction;

/**
 * Finds the RPC position of an OUTPUT parameter the engine returns. mssql-jdbc matches a
 * RETURNVALUE to its parameter by that ordinal (the position among all RPC parameters), not by
 * name: by name when the names match, otherwise the next output parameter not yet returned.
 */
final class OutputOrdinals implements ToIntFunction<Parameter> {

    private final List<RpcCall.Param> params;
    private final List<String> names;
    private final int offset;
    private final Set<Integer> returned = new HashSet<>();

    /**
     * @param params the RPC parameters the engine saw (the values)
     * @param names  the names the engine saw them under, same order
     * @param offset how many RPC parameters precede them (statement, definitions, handle)
     */
    OutputOrdinals(List<RpcCall.Param> params, List<String> names, int offset) {
        this.params = params;
        this.names = names;
        this.offset = offset;
    }

    @Override
    public int applyAsInt(Parameter p) {
        String wanted = normalise(p.name());
        for (int i = 0; i < names.size(); i++) {
            if (!wanted.isEmpty() && normalise(names.get(i)).equals(wanted) && returned.add(i)) {
                return offset + i;
            }
        }
        for (int i = 0; i < params.size(); i++) {
            if (params.get(i).output() && returned.add(i)) {
                return offset + i;
            }
        }
        return offset;
    }

    private static String normalise(String name) {
        if (name == null) {
            return "";
        }
        String n = name.startsWith("@") ? name.substring(1) : name;
        return n.toLowerCase(Locale.ROOT);
    }
}
