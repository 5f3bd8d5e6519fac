package io.dstream.mssql.ingester.config;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * A source table, {@code schema.table}. Parsed from the config's {@code tables} entries: a bare name
 * means {@code dbo}; parts may be bracket-quoted ({@code [my schema].[odd]]name]}, {@code ]} doubled
 * inside brackets) so that dots, spaces and brackets in names work.
 */
public record TableName(String schema, String table) {

    public static final String DEFAULT_SCHEMA = "dbo";

    public TableName {
        Objects.requireNonNull(schema, "schema");
        Objects.requireNonNull(table, "table");
    }

    /**
     * Parses {@code table}, {@code schema.table} or their bracketed forms.
     *
     * @throws IllegalArgumentException saying what is wrong with the name
     */
    public static TableName parse(String text) {
        List<String> parts = splitParts(text);
        if (parts.size() == 1) {
            return new TableName(DEFAULT_SCHEMA, parts.get(0));
        }
        if (parts.size() == 2) {
            return new TableName(parts.get(0), parts.get(1));
        }
        throw new IllegalArgumentException("\"" + text + "\" has " + parts.size()
                + " parts; write schema.table (the database comes from db_connection_string)");
    }

    /** {@code [schema].[table]} for T-SQL, with {@code ]} doubled. */
    public String quoted() {
        return quote(schema) + "." + quote(table);
    }

    /** Brackets one identifier for T-SQL ({@code ]} doubled). */
    public static String quote(String identifier) {
        return "[" + identifier.replace("]", "]]") + "]";
    }

    /** {@code schema.table}, unquoted: the name in output lines, logs and checkpoint rows. */
    @Override
    public String toString() {
        return schema + "." + table;
    }

    private static List<String> splitParts(String text) {
        String s = text.strip();
        List<String> parts = new ArrayList<>();
        int i = 0;
        while (true) {
            StringBuilder part = new StringBuilder();
            if (i < s.length() && s.charAt(i) == '[') {
                i = readBracketed(s, i + 1, part, text);
            } else {
                while (i < s.length() && s.charAt(i) != '.') {
                    char c = s.charAt(i++);
                    if (c == '[' || c == ']') {
                        throw new IllegalArgumentException("\"" + text + "\": a name containing brackets must be bracketed, with ] doubled");
                    }
                    part.append(c);
                }
            }
            String name = part.toString();
            if (name.isBlank()) {
                throw new IllegalArgumentException("\"" + text + "\" has an empty name part; write schema.table");
            }
            parts.add(name);
            if (i >= s.length()) {
                return parts;
            }
            if (s.charAt(i) != '.') {
                throw new IllegalArgumentException("\"" + text + "\": expected '.' after \"" + name + "\"");
            }
            i++;
        }
    }

    private static int readBracketed(String s, int i, StringBuilder part, String text) {
        while (i < s.length()) {
            char c = s.charAt(i++);
            if (c != ']') {
                part.append(c);
            } else if (i < s.length() && s.charAt(i) == ']') {
                part.append(']');
                i++;
            } else {
                return i;
            }
        }
        throw new IllegalArgumentException("\"" + text + "\" has an unclosed '['");
    }
}
