package io.dstream.mssql.emulator.engine;

import java.sql.SQLException;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.h2.api.ErrorCode;

/** Turns H2 exceptions into the SQL Server errors a client would get for the same mistake. */
final class Errors {

    private static final Pattern QUOTED = Pattern.compile("\"([^\"]*)\"");
    /** H2: {@code "dbo.PK_T PRIMARY KEY ON dbo.t(id) ( /* key:1 *}{@code / 1, 'a')"} or {@code "… INDEX dbo.X ON dbo.t(u NULLS FIRST) VALUES ( /* 3 *}{@code / 'ab' )"}. */
    private static final Pattern DUPLICATE = Pattern.compile(
            "\"(?:([^.\" ]+)\\.)?([^ \"]+) (PRIMARY KEY|INDEX [^ ]+)? ?ON ([^.( ]+)\\.([^( ]+)\\(([^)]*)\\)(?: VALUES)? \\((.*)\\)\"");
    private static final Pattern VALUE_TOO_LONG = Pattern.compile("column \"([^ \"]+) [^\"]*\": \"(.*) \\(\\d+\\)\"");

    private Errors() {
    }

    /**
     * The SQL Server error for an H2 failure. {@code statement} is the T-SQL statement (for the
     * object names SQL Server quotes as written) and {@code verb} its first keyword.
     */
    static SqlError translate(SQLException e, H2Database db, List<Token> statement, String verb) {
        SqlError nested = nestedSqlError(e);
        if (nested != null) {
            return nested;
        }
        String message = e.getMessage() == null ? "" : e.getMessage();
        String first = firstQuoted(message);
        return switch (e.getErrorCode()) {
            case ErrorCode.TABLE_OR_VIEW_NOT_FOUND_1, ErrorCode.TABLE_OR_VIEW_NOT_FOUND_WITH_CANDIDATES_2,
                 ErrorCode.TABLE_OR_VIEW_NOT_FOUND_DATABASE_EMPTY_1 -> verb.equals("DROP")
                    ? SqlError.of(3701, "Cannot drop the table '" + asWritten(statement, first)
                            + "', because it does not exist or you do not have permission.")
                    : SqlError.of(208, "Invalid object name '" + asWritten(statement, first) + "'.");
            case ErrorCode.SCHEMA_NOT_FOUND_1 -> SqlError.of(208, "Invalid object name '" + first + "'.");
            case ErrorCode.COLUMN_NOT_FOUND_1 -> SqlError.of(207, "Invalid column name '" + unqualified(first) + "'.");
            case ErrorCode.DUPLICATE_COLUMN_NAME_1 -> SqlError.of(2705,
                    "Column names in each table must be unique. Column name '" + first + "' is specified more than once.");
            case ErrorCode.FUNCTION_NOT_FOUND_1 -> functionNotFound(statement, first);
            case ErrorCode.SYNTAX_ERROR_1, ErrorCode.SYNTAX_ERROR_2 -> syntax(message);
            case ErrorCode.DUPLICATE_KEY_1 -> duplicateKey(message, db);
            case ErrorCode.NULL_NOT_ALLOWED -> new SqlError(515, 2, 16, "Cannot insert the value NULL into column '" + first
                    + "', table '" + db.name() + "." + tableOf(statement) + "'; column does not allow nulls. "
                    + (verb.equals("UPDATE") ? "UPDATE" : "INSERT") + " fails.");
            case ErrorCode.VALUE_TOO_LONG_2 -> message.contains("\"NUMERIC(") || message.contains("\"DECIMAL(")
                    ? SqlError.of(8115, "Arithmetic overflow error converting expression to data type numeric.")
                    : truncation(message, db, statement);
            case ErrorCode.DATA_CONVERSION_ERROR_1 -> conversion(message, statement);
            case ErrorCode.INVALID_DATETIME_CONSTANT_2 ->
                    SqlError.of(241, "Conversion failed when converting date and/or time from character string.");
            case ErrorCode.NUMERIC_VALUE_OUT_OF_RANGE_1, ErrorCode.NUMERIC_VALUE_OUT_OF_RANGE_2 ->
                    SqlError.of(8115, "Arithmetic overflow error converting expression to data type "
                            + java.util.Objects.requireNonNullElse(castTarget(statement), "int") + ".");
            case ErrorCode.REFERENTIAL_INTEGRITY_VIOLATED_PARENT_MISSING_1 -> new SqlError(547, 0, 16,
                    "The " + dmlVerb(verb) + " statement conflicted with the FOREIGN KEY constraint \"" + constraintName(first)
                            + "\". The conflict occurred in database \"" + db.name() + "\".");
            case ErrorCode.REFERENTIAL_INTEGRITY_VIOLATED_CHILD_EXISTS_1 -> new SqlError(547, 0, 16,
                    "The " + dmlVerb(verb) + " statement conflicted with the REFERENCE constraint \"" + constraintName(first)
                            + "\". The conflict occurred in database \"" + db.name() + "\".");
            case ErrorCode.CHECK_CONSTRAINT_VIOLATED_1 -> checkViolation(first, verb, db);
            case ErrorCode.DIVISION_BY_ZERO_1 -> SqlError.of(8134, "Divide by zero error encountered.");
            case ErrorCode.TABLE_OR_VIEW_ALREADY_EXISTS_1, ErrorCode.CONSTRAINT_ALREADY_EXISTS_1,
                 ErrorCode.INDEX_ALREADY_EXISTS_1, ErrorCode.VIEW_ALREADY_EXISTS_1 ->
                    SqlError.of(2714, "There is already an object named '" + unqualified(first) + "' in the database.");
            case ErrorCode.SCHEMA_ALREADY_EXISTS_1 ->
                    SqlError.of(2714, "There is already an object named '" + first + "' in the database.");
            case ErrorCode.LOCK_TIMEOUT_1 -> SqlError.of(1222, "Lock request time out period exceeded.");
            case ErrorCode.DEADLOCK_1 -> new SqlError(1205, 51, 13, "Transaction (Process ID 0) was deadlocked on lock "
                    + "resources with another process and has been chosen as the deadlock victim. Rerun the transaction.");
            case ErrorCode.INDEX_NOT_FOUND_1 -> SqlError.of(3701, "Cannot drop the index '" + first
                    + "', because it does not exist or you do not have permission.");
            case ErrorCode.SCHEMA_CAN_NOT_BE_DROPPED_1, ErrorCode.CANNOT_DROP_2 -> SqlError.of(3729,
                    "Cannot drop '" + first + "' because it is being referenced by another object.");
            case ErrorCode.STATEMENT_WAS_CANCELED -> SqlError.of(0, "The query was canceled.");
            default -> new SqlError(50000, 1, 16, "Statement not supported by the SQL Server emulator (H2 "
                    + e.getErrorCode() + "): " + firstLine(message));
        };
    }

    /** A {@link SqlError} thrown by a Java function (e.g. the CDC functions' 313), anywhere in the cause chain. */
    static SqlError nestedSqlError(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof SqlError s) {
                return s;
            }
            if (t.getCause() == t) {
                break;
            }
        }
        return null;
    }

    private static String firstQuoted(String message) {
        Matcher m = QUOTED.matcher(message);
        return m.find() ? m.group(1) : "";
    }

    private static String firstLine(String message) {
        int nl = message.indexOf('\n');
        String line = nl < 0 ? message : message.substring(0, nl);
        return line.replaceAll(" \\[\\d+-\\d+]$", "").replaceAll("; SQL statement:$", "");
    }

    private static String unqualified(String name) {
        int dot = name.lastIndexOf('.');
        return dot < 0 ? name : name.substring(dot + 1);
    }

    /** The dotted name in the statement that ends with {@code object}, as written without brackets. */
    private static String asWritten(List<Token> statement, String object) {
        String target = unqualified(object);
        for (int i = 0; i < statement.size(); i++) {
            Token t = statement.get(i);
            if (t.isName() && t.value().equalsIgnoreCase(target) && (i + 1 >= statement.size() || !statement.get(i + 1).isSymbol("."))) {
                StringBuilder name = new StringBuilder(t.value());
                int k = i - 1;
                while (k >= 1 && statement.get(k).isSymbol(".") && statement.get(k - 1).isName()) {
                    name.insert(0, statement.get(k - 1).value() + ".");
                    k -= 2;
                }
                return name.toString();
            }
        }
        return target;
    }

    /**
     * An unknown function, as SQL Server words it: a schema-qualified one in FROM or JOIN is a missing
     * table-valued function, an object (208, e.g. {@code cdc.fn_cdc_get_all_changes_<ci>} of an
     * instance that does not exist); elsewhere a qualified name is a missing user-defined function
     * (4121); an unqualified one is no built-in function (195).
     */
    private static SqlError functionNotFound(List<Token> statement, String function) {
        String target = unqualified(function);
        for (int i = 2; i < statement.size(); i++) {
            Token t = statement.get(i);
            if (!t.isName() || !t.value().equalsIgnoreCase(target) || !statement.get(i - 1).isSymbol(".")) {
                continue;
            }
            String written = asWritten(statement.subList(0, i + 1), target);
            int first = i;
            while (first >= 2 && statement.get(first - 1).isSymbol(".") && statement.get(first - 2).isName()) {
                first -= 2;
            }
            Token before = first > 0 ? statement.get(first - 1) : null;
            if (before != null && (before.is("FROM") || before.is("JOIN") || before.is("APPLY"))) {
                return SqlError.of(208, "Invalid object name '" + written + "'.");
            }
            return SqlError.of(4121, "Cannot find either column \"" + written.substring(0, written.lastIndexOf('.'))
                    + "\" or the user-defined function or aggregate \"" + written + "\", or the name is ambiguous.");
        }
        return SqlError.of(195, "'" + target + "' is not a recognized built-in function name.");
    }

    private static SqlError syntax(String message) {
        int marker = message.indexOf("[*]");
        String near = "";
        if (marker >= 0) {
            String rest = message.substring(marker + 3).trim();
            Matcher m = Pattern.compile("^(N?'(?:[^']|'')*'|\\[[^]]*]|\"[^\"]*\"|[\\w@#$]+|\\S)").matcher(rest);
            if (m.find()) {
                near = m.group(1);
            }
        }
        if (near.isEmpty() || near.equals("\"")) {
            return SqlError.of(102, "Incorrect syntax near the end of the statement.");
        }
        if (Parser.isReserved(near.toUpperCase(java.util.Locale.ROOT))) {
            return SqlError.of(156, "Incorrect syntax near the keyword '" + near + "'.");
        }
        return SqlError.of(102, "Incorrect syntax near '" + near + "'.");
    }

    private static SqlError duplicateKey(String message, H2Database db) {
        Matcher m = DUPLICATE.matcher(message);
        if (!m.find()) {
            return new SqlError(2627, 1, 14, "Violation of PRIMARY KEY or UNIQUE constraint. Cannot insert duplicate key. "
                    + firstLine(message));
        }
        String constraint = m.group(2);
        boolean primary = "PRIMARY KEY".equals(m.group(3));
        String table = m.group(4) + "." + m.group(5);
        String values = m.group(7).replaceAll("/\\*[^*]*\\*/", "").trim();
        if (primary) {
            // H2 lists the whole row after the key comment; the key columns come first
            int keyCount = m.group(6).split(",").length;
            String[] parts = values.split(",\\s*");
            values = String.join(", ", java.util.Arrays.copyOf(parts, Math.min(keyCount, parts.length)));
        }
        values = values.replaceAll("'((?:[^']|'')*)'", "$1");
        if (m.group(3) == null) {
            // a plain CREATE UNIQUE INDEX: SQL Server reports 2601 with the index name
            return new SqlError(2601, 1, 14, "Cannot insert duplicate key row in object '" + table
                    + "' with unique index '" + constraint + "'. The duplicate key value is (" + values + ").");
        }
        return new SqlError(2627, 1, 14, "Violation of " + (primary ? "PRIMARY KEY" : "UNIQUE KEY") + " constraint '"
                + constraint + "'. Cannot insert duplicate key in object '" + table
                + "'. The duplicate key value is (" + values + ").");
    }

    private static SqlError truncation(String message, H2Database db, List<Token> statement) {
        Matcher m = VALUE_TOO_LONG.matcher(message);
        String column = m.find() ? m.group(1) : "?";
        String value = "";
        try {
            value = m.group(2).replaceAll("^N?'|'$", "");
        } catch (IllegalStateException noMatch) {
            // H2 changed its message: the value stays unknown
        }
        String table = tableOf(statement);
        return new SqlError(2628, 1, 16, "String or binary data would be truncated in table '" + db.name() + "." + table
                + "', column '" + column + "'. Truncated value: '" + value + "'.");
    }

    /** The target table of an INSERT/UPDATE/MERGE statement, as {@code schema.table}. */
    static String tableOf(List<Token> statement) {
        for (int i = 0; i < statement.size(); i++) {
            Token t = statement.get(i);
            if ((t.is("INTO") || t.is("UPDATE") || t.is("MERGE")) && i + 1 < statement.size() && statement.get(i + 1).isName()) {
                int k = i + 1;
                String last = statement.get(k).value();
                String schema = "dbo";
                while (k + 2 < statement.size() && statement.get(k + 1).isSymbol(".") && statement.get(k + 2).isName()) {
                    schema = last;
                    last = statement.get(k + 2).value();
                    k += 2;
                }
                return schema + "." + last;
            }
        }
        return "dbo.?";
    }

    /** H2: {@code converting "abc"} (a CAST) or {@code converting "'abc' (t: ""a"" INTEGER)"} (a column). */
    private static final Pattern CONVERSION_COLUMN = Pattern.compile("converting \"'(.*)' \\(.*\\s(\\w+)\\)\"");

    private static SqlError conversion(String message, List<Token> statement) {
        Matcher column = CONVERSION_COLUMN.matcher(message);
        String value;
        String target;
        if (column.find()) {
            value = column.group(1);
            target = SqlTypes.fromH2(column.group(2), 10, 0).kind().name().toLowerCase(java.util.Locale.ROOT);
        } else {
            value = firstQuoted(message);
            target = castTarget(statement);
        }
        if (target != null && (target.startsWith("decimal") || target.startsWith("numeric") || target.contains("money"))) {
            return SqlError.of(8114, "Error converting data type nvarchar to numeric.");
        }
        return SqlError.of(245, "Conversion failed when converting the nvarchar value '" + value + "' to data type "
                + (target == null ? "int" : target) + ".");
    }

    /** The SQL Server type of the first CAST/CONVERT in the statement, e.g. {@code int}; null if none. */
    private static String castTarget(List<Token> statement) {
        for (int i = 0; i + 1 < statement.size(); i++) {
            Token t = statement.get(i);
            if ((t.is("CAST") || t.is("CONVERT")) && statement.get(i + 1).isSymbol("(")) {
                try {
                    int close = Translator.matching(statement, i + 1, statement.size());
                    int typeAt = t.is("CONVERT") ? i + 2 : lastAs(statement, i + 2, close) + 1;
                    return SqlTypes.parseInCast(statement, typeAt).type().kind().name().toLowerCase(java.util.Locale.ROOT);
                } catch (RuntimeException e) {
                    return null;
                }
            }
        }
        return null;
    }

    private static int lastAs(List<Token> ts, int from, int to) {
        int found = -2;
        int depth = 0;
        for (int k = from; k < to; k++) {
            depth += ts.get(k).isSymbol("(") ? 1 : ts.get(k).isSymbol(")") ? -1 : 0;
            if (depth == 0 && ts.get(k).is("AS")) {
                found = k;
            }
        }
        return found;
    }

    private static String constraintName(String h2Detail) {
        int colon = h2Detail.indexOf(':');
        return colon < 0 ? h2Detail : h2Detail.substring(0, colon);
    }

    private static String dmlVerb(String verb) {
        return verb.equals("MERGE") || verb.equals("UPDATE") || verb.equals("DELETE") ? verb : "INSERT";
    }

    /** The date/time types whose columns carry a range check (SqlTypes.rangeCheck). */
    private static final List<String> RANGE_CHECKED_TYPES = List.of("datetimeoffset", "datetime2", "smalldatetime",
            "datetime", "date");

    /**
     * 242, as SQL Server raises it when a string (a literal, a varchar or nvarchar parameter) converts
     * to a date/time value outside the type's range.
     */
    static SqlError outOfRange(String type) {
        return SqlError.of(242, "The conversion of a varchar data type to a " + type
                + " data type resulted in an out-of-range value.");
    }

    private static SqlError checkViolation(String detail, String verb, H2Database db) {
        String name = constraintName(detail);
        if (name.startsWith("CK__tinyint__")) {
            // SQL Server's tinyint is 0..255; out-of-range values fail as an overflow, not a constraint
            return SqlError.of(220, "Arithmetic overflow error for data type tinyint.");
        }
        for (String type : RANGE_CHECKED_TYPES) {
            if (name.startsWith("CK__" + type + "__")) {
                // the date/time range checks of SqlTypes.rangeCheck: SQL Server refuses the conversion
                return outOfRange(type);
            }
        }
        return new SqlError(547, 0, 16, "The " + dmlVerb(verb) + " statement conflicted with the CHECK constraint \""
                + name + "\". The conflict occurred in database \"" + db.name() + "\".");
    }
}
