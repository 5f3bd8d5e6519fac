package io.dstream.mssql.emulator.cdc;

import java.util.Locale;

/** Quoting of identifiers for H2 and T-SQL, so names with spaces, quotes, brackets and unicode work. */
final class Names {

    /** CDC's schema; lower-case because H2 keeps schema names case-sensitive even in MSSQLServer mode. */
    static final String CDC = "cdc";
    static final String SYS = "sys";

    private Names() {
    }

    /** An H2 delimited identifier: {@code "a ""b"" ]c"}. Standard quoting works in every H2 mode. */
    static String q(String name) {
        return '"' + name.replace("\"", "\"\"") + '"';
    }

    static String q(String schema, String name) {
        return q(schema) + '.' + q(name);
    }

    /** A T-SQL bracketed identifier as SQL Server prints it in column lists: {@code [a]]b]}. */
    static String bracket(String name) {
        return '[' + name.replace("]", "]]") + ']';
    }

    static String changeTable(String captureInstance) {
        return captureInstance + "_CT";
    }

    static String allChangesFunction(String captureInstance) {
        return "fn_cdc_get_all_changes_" + captureInstance;
    }

    static String netChangesFunction(String captureInstance) {
        return "fn_cdc_get_net_changes_" + captureInstance;
    }

    /** SQL Server's default collation is case-insensitive: names compare this way. */
    static boolean same(String a, String b) {
        return a != null && b != null && a.toLowerCase(Locale.ROOT).equals(b.toLowerCase(Locale.ROOT));
    }

    /** SQL Server right-trims sysname parameters ({@code @capture_instance}, {@code @role_name}). */
    static String rtrim(String s) {
        if (s == null) {
            return null;
        }
        int end = s.length();
        while (end > 0 && Character.isWhitespace(s.charAt(end - 1))) {
            end--;
        }
        return s.substring(0, end);
    }
}
