package io.dstream.mssql.emulator.engine;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Rewrites T-SQL tokens into SQL that H2 (MSSQLServer mode) runs with the same meaning:
 * variables become typed {@code ?} parameters, schema names get H2's canonical case, SQL Server
 * functions H2 lacks are routed to Java aliases, table hints are dropped, and DDL column types are
 * replaced by their H2 storage type while the declared SQL Server type is remembered.
 */
final class Translator {

    /** What a statement binds: its value and declared type, per {@code ?} in order. */
    record Bind(Object value, SqlType type) {
    }

    record H2Sql(String sql, List<Bind> binds) {
    }

    /**
     * What a DDL statement changes in the declared types once H2 has run it. {@code columns} maps
     * column names to declared types (added or altered); {@code dropped} lists dropped columns.
     */
    record DdlEffect(String schema, String table, Kind kind, Map<String, SqlType> columns, List<String> dropped) {
        enum Kind { CREATE_TABLE, ALTER_TABLE, DROP_TABLE, SCHEMA }
    }

    record Translation(List<H2Sql> statements, List<DdlEffect> effects) {
    }

    /** Variables and system values visible to the statement. */
    interface Scope {
        /** A declared variable or parameter ({@code @x}), or null when it is not declared. */
        Parameter variable(String name);

        /** A system function ({@code @@ROWCOUNT}), or null when unknown. */
        Parameter systemVariable(String name);

        /** Values of ERROR_NUMBER() and friends inside a CATCH block, or null outside. */
        SqlError caughtError();

        String user();
    }

    /** Table hints SQL Server accepts in {@code WITH (…)} after a table; H2 has no use for them. */
    private static final Set<String> TABLE_HINTS = Set.of("NOLOCK", "READUNCOMMITTED", "UPDLOCK", "ROWLOCK",
            "HOLDLOCK", "TABLOCK", "TABLOCKX", "READPAST", "XLOCK", "PAGLOCK", "SERIALIZABLE", "REPEATABLEREAD",
            "READCOMMITTED", "READCOMMITTEDLOCK", "NOWAIT", "INDEX", "FORCESEEK", "FORCESCAN", "SNAPSHOT",
            "NOEXPAND", "KEEPIDENTITY", "KEEPDEFAULTS", "IGNORE_CONSTRAINTS", "IGNORE_TRIGGERS");

    /** Column options SQL Server accepts that change nothing the emulator models. */
    private static final Set<String> IGNORED_COLUMN_WORDS = Set.of("CLUSTERED", "NONCLUSTERED", "ROWGUIDCOL",
            "SPARSE", "FILESTREAM", "PERSISTED");

    /** The next value of the database's rowversion counter, as SQL Server's 8-byte big-endian binary. */
    static final String ROWVERSION_NEXT = "CAST(NEXT VALUE FOR \"sys\".\"__rowversion\" AS BINARY(8))";

    private final H2Database db;
    private final Scope scope;
    private final List<Bind> binds = new ArrayList<>();

    private Translator(H2Database db, Scope scope) {
        this.db = db;
        this.scope = scope;
    }

    /** Translates an expression or a query/DML statement. */
    static H2Sql expression(H2Database db, Scope scope, List<Token> tokens) {
        Translator t = new Translator(db, scope);
        String sql = t.translate(tokens, 0, tokens.size());
        return new H2Sql(sql, List.copyOf(t.binds));
    }

    /** Translates a statement H2 runs, handling the DDL forms whose column types need rewriting. */
    static Translation statement(H2Database db, Scope scope, List<Token> tokens) {
        Translator t = new Translator(db, scope);
        String first = tokens.get(0).upper();
        String second = tokens.size() > 1 ? tokens.get(1).upper() : "";
        if (first.equals("CREATE") && second.equals("TABLE")) {
            return t.createTable(tokens);
        }
        if (first.equals("ALTER") && second.equals("TABLE")) {
            return t.alterTable(tokens);
        }
        if (first.equals("CREATE") && second.equals("SCHEMA")) {
            return t.createSchema(tokens);
        }
        if (first.equals("DROP") && second.equals("TABLE")) {
            return t.dropTable(tokens);
        }
        if (first.equals("CREATE") && Set.of("PROCEDURE", "PROC", "FUNCTION", "TRIGGER", "TYPE", "SYNONYM").contains(second)) {
            throw SqlError.of(40519, "CREATE " + second + " is not supported by the SQL Server emulator.");
        }
        if ((first.equals("CREATE") || first.equals("DROP")) && tokens.stream().anyMatch(x -> x.is("INDEX"))) {
            return new Translation(List.of(new H2Sql(t.index(tokens), List.copyOf(t.binds))), List.of());
        }
        String sql = t.translate(tokens, 0, tokens.size());
        return new Translation(List.of(new H2Sql(sql, List.copyOf(t.binds))), List.of());
    }

    // ---------------------------------------------------------------- generic token rewriting

    private String translate(List<Token> ts, int from, int to) {
        StringBuilder out = new StringBuilder();
        int i = from;
        while (i < to) {
            i = translateOne(ts, i, to, out);
        }
        return out.toString();
    }

    /** Appends the translation of the token(s) at {@code i}; returns the index after them. */
    private int translateOne(List<Token> ts, int i, int to, StringBuilder out) {
        Token t = ts.get(i);
        switch (t.kind()) {
            case VARIABLE -> {
                Parameter p = scope.variable(t.text());
                if (p == null) {
                    throw SqlError.of(137, "Must declare the scalar variable \"" + t.text() + "\".");
                }
                bind(out, p.value(), p.type());
                return i + 1;
            }
            case SYSTEM_VARIABLE -> {
                if (t.text().equalsIgnoreCase("@@IDENTITY")) {
                    append(out, "SCOPE_IDENTITY()");
                    return i + 1;
                }
                Parameter p = scope.systemVariable(t.text());
                if (p == null) {
                    throw SqlError.of(195, "'" + t.text() + "' is not a recognized built-in function name.");
                }
                bind(out, p.value(), p.type());
                return i + 1;
            }
            case WORD, QUOTED_ID -> {
                boolean call = i + 1 < to && ts.get(i + 1).isSymbol("(") && t.kind() == Token.Kind.WORD
                        && (i == 0 || !ts.get(i - 1).isSymbol("."));
                if (call) {
                    return function(ts, i, to, out);
                }
                if (t.is("WITH") && i + 2 < to && ts.get(i + 1).isSymbol("(") && isHint(ts.get(i + 2))) {
                    return matching(ts, i + 1, to) + 1;
                }
                if (t.is("OPTION") && i + 1 < to && ts.get(i + 1).isSymbol("(")) {
                    return matching(ts, i + 1, to) + 1;
                }
                return name(ts, i, to, out);
            }
            default -> {
                if (t.isSymbol("(") && i + 1 < to && isHint(ts.get(i + 1)) && i > 0 && ts.get(i - 1).isName()
                        && matching(ts, i, to) == i + 2) {
                    // legacy "FROM t (NOLOCK)"
                    return i + 3;
                }
                append(out, t.text());
                return i + 1;
            }
        }
    }

    private static boolean isHint(Token t) {
        return t.kind() == Token.Kind.WORD && TABLE_HINTS.contains(t.upper());
    }

    private void bind(StringBuilder out, Object value, SqlType type) {
        binds.add(new Bind(value, type));
        append(out, "CAST(? AS " + SqlTypes.h2Type(type) + ")");
    }

    private static void append(StringBuilder out, String text) {
        if (!out.isEmpty() && !text.equals(")") && !text.equals(",") && !text.equals(".")
                && out.charAt(out.length() - 1) != '(' && out.charAt(out.length() - 1) != '.') {
            out.append(' ');
        }
        out.append(text);
    }

    /** A possibly dotted name: {@code t}, {@code dbo.t}, {@code db.dbo.t}, {@code db..t}, {@code t.*}. */
    private int name(List<Token> ts, int i, int to, StringBuilder out) {
        List<Token> parts = new ArrayList<>();
        parts.add(ts.get(i));
        int j = i + 1;
        while (j < to && ts.get(j).isSymbol(".")) {
            if (j + 1 < to && ts.get(j + 1).isSymbol(".")) {
                parts.add(null);
                j++;
            } else if (j + 1 < to && (ts.get(j + 1).isName() || ts.get(j + 1).isSymbol("*"))) {
                parts.add(ts.get(j + 1));
                j += 2;
            } else {
                break;
            }
        }
        List<String> resolved = resolveName(parts);
        append(out, String.join(".", resolved));
        return j;
    }

    /** Resolves schema case and drops a database prefix; returns the H2 spelling of each part. */
    List<String> resolveName(List<Token> parts) {
        List<Token> p = new ArrayList<>(parts);
        if (p.size() == 4) {
            p.remove(0);
        }
        if (p.size() == 3 && p.get(0) != null && isDatabasePrefix(p.get(0).value(), p.get(1))) {
            p.remove(0);
            if (p.get(0) == null) {
                p.set(0, new Token(Token.Kind.WORD, "dbo", 0));
            }
        }
        List<String> result = new ArrayList<>();
        for (int k = 0; k < p.size(); k++) {
            Token part = p.get(k);
            if (part == null) {
                result.add("\"dbo\"");
                continue;
            }
            if (k == 0 && p.size() >= 2) {
                if (part.value().equalsIgnoreCase("INFORMATION_SCHEMA") && p.size() == 2
                        && Catalog.INFORMATION_SCHEMA_VIEWS.contains(p.get(1).value().toUpperCase(Locale.ROOT))) {
                    return List.of("\"sys\"", quote("__information_schema_" + p.get(1).value().toLowerCase(Locale.ROOT)));
                }
                String schema = db.canonicalSchema(part.value());
                if (schema != null) {
                    result.add(quote(schema));
                    continue;
                }
            }
            result.add(part.kind() == Token.Kind.QUOTED_ID ? quote(part.value()) : part.text());
        }
        return result;
    }

    private boolean isDatabasePrefix(String first, Token second) {
        if (second == null) {
            return true;
        }
        if (first.equalsIgnoreCase(db.name())) {
            return true;
        }
        if (db.canonicalSchema(first) == null && db.engine().hasDatabase(first)) {
            throw SqlError.of(40515, "Reference to database '" + first
                    + "' is not supported by the emulator: query the current database, or USE [" + first + "] first.");
        }
        return false;
    }

    static String quote(String identifier) {
        return "\"" + identifier.replace("\"", "\"\"") + "\"";
    }

    /** Index of the {@code )} matching the {@code (} at {@code open}. */
    static int matching(List<Token> ts, int open, int to) {
        int depth = 0;
        for (int k = open; k < to; k++) {
            if (ts.get(k).isSymbol("(")) {
                depth++;
            } else if (ts.get(k).isSymbol(")") && --depth == 0) {
                return k;
            }
        }
        throw SqlError.of(102, "Incorrect syntax near '" + ts.get(to - 1).text() + "': missing ')'.");
    }

    /** The comma-separated arguments between {@code open} and its matching paren, as [from, to) pairs. */
    static List<int[]> arguments(List<Token> ts, int open, int close) {
        List<int[]> args = new ArrayList<>();
        int depth = 0;
        int caseDepth = 0;
        int start = open + 1;
        for (int k = open + 1; k < close; k++) {
            Token t = ts.get(k);
            depth += t.isSymbol("(") ? 1 : t.isSymbol(")") ? -1 : 0;
            caseDepth += t.is("CASE") ? 1 : t.is("END") && caseDepth > 0 ? -1 : 0;
            if (depth == 0 && caseDepth == 0 && t.isSymbol(",")) {
                args.add(new int[] {start, k});
                start = k + 1;
            }
        }
        if (start < close) {
            args.add(new int[] {start, close});
        }
        return args;
    }

    // ---------------------------------------------------------------- functions

    private int function(List<Token> ts, int i, int to, StringBuilder out) {
        int open = i + 1;
        int close = matching(ts, open, to);
        List<int[]> args = arguments(ts, open, close);
        String name = ts.get(i).upper();
        switch (name) {
            case "CAST", "TRY_CAST" -> {
                if (name.equals("TRY_CAST")) {
                    throw SqlError.of(195, "'TRY_CAST' is not a recognized built-in function name in the emulator; use CAST.");
                }
                int as = lastTopLevel(ts, open + 1, close, "AS");
                SqlType type = SqlTypes.parseInCast(ts, as + 1).type();
                append(out, "CAST(" + translate(ts, open + 1, as) + " AS " + SqlTypes.h2Type(type) + ")");
            }
            case "CONVERT" -> {
                SqlType type = SqlTypes.parseInCast(ts, args.get(0)[0]).type();
                String value = translate(ts, args.get(1)[0], args.get(1)[1]);
                if (args.size() > 2) {
                    String style = translate(ts, args.get(2)[0], args.get(2)[1]);
                    append(out, "CAST(\"sys\".\"__convert\"(" + value + ", " + style + ", '" + type.kind() + "') AS "
                            + SqlTypes.h2Type(type) + ")");
                } else {
                    append(out, "CAST(" + value + " AS " + SqlTypes.h2Type(type) + ")");
                }
            }
            case "DATEPART" -> append(out, "EXTRACT(" + datePart(ts.get(args.get(0)[0])) + " FROM " + arg(ts, args, 1) + ")");
            case "IIF" -> append(out, "CASE WHEN " + arg(ts, args, 0) + " THEN " + arg(ts, args, 1)
                    + " ELSE " + arg(ts, args, 2) + " END");
            case "COUNT_BIG" -> {
                return aggregateOver(ts, "COUNT", open, close, to, out, null);
            }
            // SQL Server's COUNT is int (COUNT_BIG is bigint); H2's COUNT is bigint
            case "COUNT" -> {
                return aggregateOver(ts, "COUNT", open, close, to, out, "INTEGER");
            }
            case "OBJECT_ID" -> append(out, "\"sys\".\"__object_id\"(" + db.id() + ", " + arg(ts, args, 0) + ", "
                    + (args.size() > 1 ? arg(ts, args, 1) : "CAST(NULL AS VARCHAR)") + ")");
            case "OBJECT_NAME" -> append(out, "\"sys\".\"__object_name\"(" + db.id() + ", " + arg(ts, args, 0) + ")");
            case "OBJECT_SCHEMA_NAME" -> append(out, "\"sys\".\"__object_schema_name\"(" + db.id() + ", " + arg(ts, args, 0) + ")");
            case "DB_NAME" -> {
                if (args.isEmpty()) {
                    bind(out, db.name(), SqlType.sized(SqlType.Kind.NVARCHAR, 128));
                } else {
                    append(out, "\"sys\".\"__db_name\"(" + db.id() + ", " + arg(ts, args, 0) + ")");
                }
            }
            case "DB_ID" -> {
                if (args.isEmpty()) {
                    bind(out, db.databaseId(), SqlType.of(SqlType.Kind.INT));
                } else {
                    append(out, "\"sys\".\"__db_id\"(" + db.id() + ", " + arg(ts, args, 0) + ")");
                }
            }
            case "SCHEMA_NAME" -> {
                if (args.isEmpty()) {
                    bind(out, "dbo", SqlType.sized(SqlType.Kind.NVARCHAR, 128));
                } else {
                    append(out, "\"sys\".\"__schema_name\"(" + db.id() + ", " + arg(ts, args, 0) + ")");
                }
            }
            case "SCHEMA_ID" -> {
                if (args.isEmpty()) {
                    bind(out, 1, SqlType.of(SqlType.Kind.INT));
                } else {
                    append(out, "\"sys\".\"__schema_id\"(" + db.id() + ", " + arg(ts, args, 0) + ")");
                }
            }
            case "SERVERPROPERTY" -> append(out, "\"sys\".\"__serverproperty\"(" + arg(ts, args, 0) + ")");
            case "SYSDATETIME" -> append(out, "CAST(\"sys\".\"__sysdatetime\"() AS TIMESTAMP(7))");
            case "SYSUTCDATETIME" -> append(out, "CAST(\"sys\".\"__sysutcdatetime\"() AS TIMESTAMP(7))");
            case "SYSDATETIMEOFFSET" -> append(out, "CAST(\"sys\".\"__sysdatetimeoffset\"() AS TIMESTAMP(7) WITH TIME ZONE)");
            case "GETDATE", "CURRENT_TIMESTAMP" -> append(out, "CAST(\"sys\".\"__getdate\"() AS TIMESTAMP(3))");
            case "GETUTCDATE" -> append(out, "CAST(\"sys\".\"__getutcdate\"() AS TIMESTAMP(3))");
            case "DATALENGTH" -> append(out, "\"sys\".\"__datalength\"(" + arg(ts, args, 0) + ")");
            case "NEWSEQUENTIALID" -> append(out, "RANDOM_UUID()");
            case "SUSER_NAME", "SUSER_SNAME", "USER_NAME", "ORIGINAL_LOGIN", "SESSION_USER", "SYSTEM_USER" ->
                    bind(out, scope.user(), SqlType.sized(SqlType.Kind.NVARCHAR, 128));
            case "HOST_NAME" -> bind(out, "localhost", SqlType.sized(SqlType.Kind.NVARCHAR, 128));
            case "APP_NAME" -> bind(out, "", SqlType.sized(SqlType.Kind.NVARCHAR, 128));
            case "ERROR_NUMBER", "ERROR_SEVERITY", "ERROR_STATE", "ERROR_LINE" -> {
                SqlError e = scope.caughtError();
                Integer value = e == null ? null : switch (name) {
                    case "ERROR_NUMBER" -> e.number();
                    case "ERROR_SEVERITY" -> e.severity();
                    case "ERROR_STATE" -> e.state();
                    default -> 1;
                };
                bind(out, value, SqlType.of(SqlType.Kind.INT));
            }
            case "ERROR_MESSAGE", "ERROR_PROCEDURE" -> {
                SqlError e = scope.caughtError();
                bind(out, e == null || name.equals("ERROR_PROCEDURE") ? null : e.getMessage(),
                        SqlType.sized(SqlType.Kind.NVARCHAR, 4000));
            }
            default -> {
                append(out, ts.get(i).text() + "(" + translate(ts, open + 1, close) + ")");
            }
        }
        return close + 1;
    }

    /** An aggregate call with its optional {@code OVER (…)}, cast to {@code type} when not null. */
    private int aggregateOver(List<Token> ts, String name, int open, int close, int to, StringBuilder out, String type) {
        String call = name + "(" + translate(ts, open + 1, close) + ")";
        int end = close + 1;
        if (end + 1 < to && ts.get(end).is("OVER") && ts.get(end + 1).isSymbol("(")) {
            int overClose = matching(ts, end + 1, to);
            call += " OVER (" + translate(ts, end + 2, overClose) + ")";
            end = overClose + 1;
        }
        append(out, type == null ? call : "CAST(" + call + " AS " + type + ")");
        return end;
    }

    /** The EXTRACT field for a T-SQL datepart name or abbreviation. */
    private static String datePart(Token part) {
        return switch (part.value().toLowerCase(java.util.Locale.ROOT)) {
            case "year", "yy", "yyyy" -> "YEAR";
            case "quarter", "qq", "q" -> "QUARTER";
            case "month", "mm", "m" -> "MONTH";
            case "dayofyear", "dy", "y" -> "DAY_OF_YEAR";
            case "day", "dd", "d" -> "DAY";
            case "week", "wk", "ww" -> "WEEK";
            case "weekday", "dw" -> "DAY_OF_WEEK";
            case "hour", "hh" -> "HOUR";
            case "minute", "mi", "n" -> "MINUTE";
            case "second", "ss", "s" -> "SECOND";
            case "millisecond", "ms" -> "MILLISECOND";
            case "microsecond", "mcs" -> "MICROSECOND";
            case "nanosecond", "ns" -> "NANOSECOND";
            case "tzoffset", "tz", "iso_week", "isowk", "isoww" -> throw SqlError.of(40519, "DATEPART(" + part.value()
                    + ", …) is not supported by the SQL Server emulator.");
            default -> throw SqlError.of(155, "'" + part.value() + "' is not a recognized datepart option.");
        };
    }

    private String arg(List<Token> ts, List<int[]> args, int index) {
        if (index >= args.size()) {
            throw SqlError.of(174, "The function requires " + (index + 1) + " argument(s).");
        }
        return translate(ts, args.get(index)[0], args.get(index)[1]);
    }

    private static int lastTopLevel(List<Token> ts, int from, int to, String word) {
        int depth = 0;
        int found = -1;
        for (int k = from; k < to; k++) {
            Token t = ts.get(k);
            depth += t.isSymbol("(") ? 1 : t.isSymbol(")") ? -1 : 0;
            if (depth == 0 && t.is(word)) {
                found = k;
            }
        }
        if (found < 0) {
            throw SqlError.of(1035, "Incorrect syntax near 'CAST', expected 'AS'.");
        }
        return found;
    }

    // ---------------------------------------------------------------- DDL

    /** The canonical schema and the table name of {@code TRUNCATE TABLE name}. */
    static String[] truncateTarget(H2Database db, List<Token> tokens) {
        if (tokens.size() < 3 || !tokens.get(1).is("TABLE")) {
            throw Parser.syntaxError(tokens.get(Math.min(1, tokens.size() - 1)));
        }
        return new Translator(db, null).tableName(tokens, 2);
    }

    /** The schema and table of a (possibly qualified) table name at {@code i}; index after it in [2]. */
    private String[] tableName(List<Token> ts, int i) {
        List<Token> parts = new ArrayList<>();
        parts.add(ts.get(i));
        int j = i + 1;
        while (j + 1 < ts.size() && ts.get(j).isSymbol(".")) {
            if (ts.get(j + 1).isSymbol(".")) {
                parts.add(null);
                j++;
            } else {
                parts.add(ts.get(j + 1));
                j += 2;
            }
        }
        if (parts.size() == 3 && parts.get(0) != null) {
            isDatabasePrefix(parts.get(0).value(), parts.get(1));
            parts.remove(0);
        }
        String schema = parts.size() >= 2 && parts.get(0) != null ? parts.get(0).value() : "dbo";
        String table = parts.get(parts.size() - 1).value();
        String canonical = db.canonicalSchema(schema);
        if (canonical == null) {
            throw SqlError.of(2760, "The specified schema name \"" + schema
                    + "\" either does not exist or you do not have permission to use it.");
        }
        return new String[] {canonical, table, Integer.toString(j)};
    }

    private Translation createTable(List<Token> ts) {
        String[] name = tableName(ts, 2);
        int open = Integer.parseInt(name[2]);
        if (open >= ts.size() || !ts.get(open).isSymbol("(")) {
            throw Parser.syntaxError(open < ts.size() ? ts.get(open) : ts.get(ts.size() - 1));
        }
        int close = matching(ts, open, ts.size());
        String qualified = quote(name[0]) + "." + quote(name[1]);
        Map<String, SqlType> declared = new LinkedHashMap<>();
        List<String> items = new ArrayList<>();
        for (int[] item : arguments(ts, open, close)) {
            tableItem(ts, item[0], item[1], name, declared, items);
        }
        String sql = "CREATE TABLE " + qualified + " (" + String.join(", ", items) + ")";
        return new Translation(List.of(new H2Sql(sql, List.copyOf(binds))),
                List.of(new DdlEffect(name[0], name[1], DdlEffect.Kind.CREATE_TABLE, declared, List.of())));
    }

    /** One column definition or table constraint; appends its H2 form(s) to {@code items}. */
    private void tableItem(List<Token> ts, int from, int to, String[] table, Map<String, SqlType> declared,
                           List<String> items) {
        Token first = ts.get(from);
        if (first.is("INDEX")) {
            return; // inline index definitions only affect performance
        }
        if (first.is("CONSTRAINT") || first.is("PRIMARY") || first.is("UNIQUE") || first.is("FOREIGN") || first.is("CHECK")) {
            items.add(ddlTail(ts, from, to));
            return;
        }
        String column = first.value();
        if (from + 1 < to && ts.get(from + 1).is("AS")) {
            // computed column: name AS (expression) [PERSISTED]
            items.add(quote(column) + " GENERATED ALWAYS AS (" + ddlTail(ts, from + 2, to) + ")");
            return;
        }
        SqlTypes.Parsed type = SqlTypes.parse(ts, from + 1);
        declared.put(column, type.type());
        String rowversion = "";
        if (ts.get(from + 1).is("rowversion") || ts.get(from + 1).is("timestamp")) {
            // SQL Server sets a rowversion from a database-wide counter on every insert and update
            rowversion = " NOT NULL DEFAULT " + ROWVERSION_NEXT + " ON UPDATE " + ROWVERSION_NEXT;
        }
        items.add(quote(column) + " " + SqlTypes.h2Type(type.type()) + rowversion + " " + ddlTail(ts, type.next(), to));
        if (type.type().kind() == SqlType.Kind.TINYINT) {
            items.add("CONSTRAINT " + quote(tinyintCheckName(table[1], column)) + " CHECK (" + quote(column)
                    + " BETWEEN 0 AND 255)");
        }
    }

    static String tinyintCheckName(String table, String column) {
        return "CK__tinyint__" + table + "__" + column;
    }

    /** The rest of a column or constraint definition, minus options H2 does not know. */
    private String ddlTail(List<Token> ts, int from, int to) {
        StringBuilder out = new StringBuilder();
        int i = from;
        while (i < to) {
            Token t = ts.get(i);
            if (t.kind() == Token.Kind.WORD && IGNORED_COLUMN_WORDS.contains(t.upper())) {
                i++;
            } else if (t.is("COLLATE")) {
                i += 2;
            } else if (t.is("NOT") && i + 2 < to && ts.get(i + 1).is("FOR") && ts.get(i + 2).is("REPLICATION")) {
                i += 3;
            } else if (t.is("CONSTRAINT") && i + 2 < to && ts.get(i + 2).is("DEFAULT")) {
                i += 2; // H2 has no named DEFAULT constraints
            } else if (t.is("WITH") && i + 1 < to && ts.get(i + 1).isSymbol("(")) {
                i = matching(ts, i + 1, to) + 1;
            } else if (t.is("ON") && i + 1 < to && (ts.get(i + 1).value().equalsIgnoreCase("PRIMARY")
                    || ts.get(i + 1).value().equalsIgnoreCase("default"))) {
                i += 2;
            } else if ((t.is("ASC") || t.is("DESC")) && i + 1 < to && (ts.get(i + 1).isSymbol(",") || ts.get(i + 1).isSymbol(")"))) {
                i++; // key order inside PRIMARY KEY (…) is about storage only
            } else {
                i = translateOne(ts, i, to, out);
            }
        }
        return out.toString();
    }

    private Translation alterTable(List<Token> ts) {
        String[] name = tableName(ts, 2);
        int i = Integer.parseInt(name[2]);
        String qualified = quote(name[0]) + "." + quote(name[1]);
        if (i < ts.size() && ts.get(i).is("WITH") && i + 1 < ts.size() && (ts.get(i + 1).is("CHECK") || ts.get(i + 1).is("NOCHECK"))) {
            i += 2;
        }
        if (i >= ts.size()) {
            throw Parser.syntaxError(ts.get(ts.size() - 1));
        }
        Token action = ts.get(i);
        List<H2Sql> statements = new ArrayList<>();
        Map<String, SqlType> declared = new LinkedHashMap<>();
        List<String> dropped = new ArrayList<>();
        if (action.is("ADD")) {
            List<String> items = new ArrayList<>();
            List<Token> added = wrap(ts, i + 1);
            for (int[] item : arguments(added, 0, added.size() - 1)) {
                String columnDefault = defaultFor(added, item[0], item[1]);
                if (columnDefault != null) {
                    statements.add(new H2Sql("ALTER TABLE " + qualified + columnDefault, List.copyOf(binds)));
                } else {
                    tableItem(added, item[0], item[1], name, declared, items);
                }
            }
            for (String item : items) {
                boolean constraint = item.startsWith("CONSTRAINT") || item.startsWith("PRIMARY") || item.startsWith("UNIQUE")
                        || item.startsWith("FOREIGN") || item.startsWith("CHECK");
                statements.add(new H2Sql("ALTER TABLE " + qualified + " ADD " + (constraint ? "" : "COLUMN ") + item,
                        List.copyOf(binds)));
            }
        } else if (action.is("DROP") && i + 1 < ts.size() && ts.get(i + 1).is("COLUMN")) {
            int k = i + 2;
            boolean ifExists = k + 1 < ts.size() && ts.get(k).is("IF") && ts.get(k + 1).is("EXISTS");
            if (ifExists) {
                k += 2;
            }
            for (; k < ts.size(); k++) {
                if (ts.get(k).isName()) {
                    dropped.add(ts.get(k).value());
                    statements.add(new H2Sql("ALTER TABLE " + qualified + " DROP COLUMN " + (ifExists ? "IF EXISTS " : "")
                            + quote(ts.get(k).value()), List.of()));
                }
            }
        } else if (action.is("ALTER") && i + 1 < ts.size() && ts.get(i + 1).is("COLUMN")) {
            String column = ts.get(i + 2).value();
            SqlTypes.Parsed type = SqlTypes.parse(ts, i + 3);
            declared.put(column, type.type());
            statements.add(new H2Sql("ALTER TABLE " + qualified + " ALTER COLUMN " + quote(column) + " "
                    + SqlTypes.h2Type(type.type()) + " " + ddlTail(ts, type.next(), ts.size()), List.copyOf(binds)));
        } else {
            statements.add(new H2Sql("ALTER TABLE " + qualified + " " + translate(ts, i, ts.size()), List.copyOf(binds)));
        }
        return new Translation(statements,
                List.of(new DdlEffect(name[0], name[1], DdlEffect.Kind.ALTER_TABLE, declared, dropped)));
    }

    /**
     * {@code [CONSTRAINT name] DEFAULT expr FOR column} (a named default constraint, as SSMS scripts
     * them) as H2's {@code ALTER COLUMN … SET DEFAULT}; null for other items.
     */
    private String defaultFor(List<Token> ts, int from, int to) {
        int start = ts.get(from).is("CONSTRAINT") ? from + 2 : from;
        if (start >= to || !ts.get(start).is("DEFAULT") || to - 2 <= start || !ts.get(to - 2).is("FOR")) {
            return null;
        }
        return " ALTER COLUMN " + quote(ts.get(to - 1).value()) + " SET DEFAULT " + translate(ts, start + 1, to - 2);
    }

    /** A view of {@code ts} from {@code from}, wrapped in parentheses so that {@link #arguments} applies. */
    private static List<Token> wrap(List<Token> ts, int from) {
        List<Token> wrapped = new ArrayList<>();
        wrapped.add(new Token(Token.Kind.SYMBOL, "(", 0));
        wrapped.addAll(ts.subList(from, ts.size()));
        wrapped.add(new Token(Token.Kind.SYMBOL, ")", 0));
        return wrapped;
    }

    private Translation createSchema(List<Token> ts) {
        if (ts.size() < 3 || !ts.get(2).isName()) {
            throw Parser.syntaxError(ts.get(ts.size() - 1));
        }
        String schema = ts.get(2).value();
        if (db.canonicalSchema(schema) != null) {
            throw SqlError.of(2714, "There is already an object named '" + schema + "' in the database.");
        }
        return new Translation(List.of(new H2Sql("CREATE SCHEMA " + quote(schema), List.of())),
                List.of(new DdlEffect(schema, null, DdlEffect.Kind.SCHEMA, Map.of(), List.of())));
    }

    private Translation dropTable(List<Token> ts) {
        int i = 2;
        boolean ifExists = i + 1 < ts.size() && ts.get(i).is("IF") && ts.get(i + 1).is("EXISTS");
        if (ifExists) {
            i += 2;
        }
        List<H2Sql> statements = new ArrayList<>();
        List<DdlEffect> effects = new ArrayList<>();
        while (i < ts.size()) {
            String[] name = tableName(ts, i);
            statements.add(new H2Sql("DROP TABLE " + (ifExists ? "IF EXISTS " : "") + quote(name[0]) + "." + quote(name[1]),
                    List.of()));
            effects.add(new DdlEffect(name[0], name[1], DdlEffect.Kind.DROP_TABLE, Map.of(), List.of()));
            i = Integer.parseInt(name[2]);
            if (i < ts.size() && ts.get(i).isSymbol(",")) {
                i++;
            } else if (i < ts.size()) {
                throw Parser.syntaxError(ts.get(i));
            }
        }
        return new Translation(statements, effects);
    }

    /** CREATE [UNIQUE] [NON]CLUSTERED INDEX … / DROP INDEX ix ON t: drops storage-only options. */
    private String index(List<Token> ts) {
        if (ts.get(0).is("DROP")) {
            int i = 2;
            boolean ifExists = ts.get(i).is("IF");
            if (ifExists) {
                i += 2;
            }
            String index = ts.get(i).value();
            String schema = "dbo";
            if (i + 2 < ts.size() && ts.get(i + 1).is("ON")) {
                schema = tableName(ts, i + 2)[0];
            }
            return "DROP INDEX " + (ifExists ? "IF EXISTS " : "") + quote(schema) + "." + quote(index);
        }
        StringBuilder out = new StringBuilder();
        int i = 0;
        while (i < ts.size()) {
            Token t = ts.get(i);
            if ((t.is("INCLUDE") || t.is("WITH")) && i + 1 < ts.size() && ts.get(i + 1).isSymbol("(")) {
                i = matching(ts, i + 1, ts.size()) + 1;
            } else if (t.is("CLUSTERED") || t.is("NONCLUSTERED")) {
                i++;
            } else if (t.is("ON") && i + 1 < ts.size() && (ts.get(i + 1).value().equalsIgnoreCase("PRIMARY")
                    || ts.get(i + 1).value().equalsIgnoreCase("default"))) {
                i += 2;
            } else if (t.is("WHERE")) {
                throw SqlError.of(40519, "Filtered indexes (CREATE INDEX … WHERE) are not supported by the SQL Server emulator.");
            } else {
                i = translateOne(ts, i, ts.size(), out);
            }
        }
        return out.toString();
    }
}
