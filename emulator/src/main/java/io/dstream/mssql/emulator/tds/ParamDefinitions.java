package io.dstream.mssql.emulator.tds;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The parameter definition string of sp_executesql/sp_prepare/sp_prepexec, e.g.
 * {@code @P0 int,@P1 nvarchar(4000),@P2 decimal(38,2) OUTPUT}. mssql-jdbc sends the values
 * positionally with empty names, so this string is what names them.
 */
record ParamDefinitions(List<Definition> definitions) {

    static final ParamDefinitions NONE = new ParamDefinitions(List.of());

    /** One declared parameter: its name with {@code @}, its declared type text and OUTPUT flag. */
    record Definition(String name, String type, boolean output) {
    }

    static ParamDefinitions parse(String text) {
        if (text == null || text.isBlank()) {
            return NONE;
        }
        List<Definition> defs = new ArrayList<>();
        for (String part : splitTopLevel(text)) {
            String p = part.strip();
            if (p.isEmpty()) {
                continue;
            }
            int space = indexOfWhitespace(p);
            String name = space < 0 ? p : p.substring(0, space);
            String type = space < 0 ? "" : p.substring(space).strip();
            boolean output = false;
            String upper = type.toUpperCase(Locale.ROOT);
            for (String keyword : new String[] {" OUTPUT", " OUT"}) {
                if (upper.endsWith(keyword)) {
                    output = true;
                    type = type.substring(0, type.length() - keyword.length()).strip();
                    break;
                }
            }
            defs.add(new Definition(name, type, output));
        }
        return new ParamDefinitions(List.copyOf(defs));
    }

    /** The name of the positional value at {@code index}, or a generated {@code @P<index>} if undeclared. */
    String nameAt(int index) {
        return index < definitions.size() ? definitions.get(index).name() : "@P" + index;
    }

    /** The declared type of the value at {@code index}, if declared and understood. */
    java.util.Optional<io.dstream.mssql.emulator.engine.SqlType> typeAt(int index) {
        return index < definitions.size() ? DeclaredType.parse(definitions.get(index).type()) : java.util.Optional.empty();
    }

    boolean outputAt(int index) {
        return index < definitions.size() && definitions.get(index).output();
    }

    private static List<String> splitTopLevel(String text) {
        List<String> parts = new ArrayList<>();
        int depth = 0;
        int start = 0;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '(') {
                depth++;
            } else if (c == ')') {
                depth--;
            } else if (c == ',' && depth == 0) {
                parts.add(text.substring(start, i));
                start = i + 1;
            }
        }
        parts.add(text.substring(start));
        return parts;
    }

    private static int indexOfWhitespace(String s) {
        for (int i = 0; i < s.length(); i++) {
            if (Character.isWhitespace(s.charAt(i))) {
                return i;
            }
        }
        return -1;
    }
}
