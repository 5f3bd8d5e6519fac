package io.dstream.mssql.emulator.engine;

import java.util.ArrayList;
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
    static final Set<String> IGNORED_COLUMN_WORDS = Set.of("CLUSTERED", "NONCLUSTERED", "ROWGUIDCOL",
            "SPARSE", "FILESTREAM", "PERSISTED");

    private final H2Database db;
    private final Scope scope;
    private final List<Bind> binds = new ArrayList<>();

    /** The values bound so far, for statements built from several translated parts. */
    List<Bind> binds() {
        return List.copyOf(binds);
    }

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
        DdlTranslator ddl = new DdlTranslator(t, db);
        if (first.equals("CREATE") && second.equals("TABLE")) {
            return ddl.createTable(tokens);
        }
        if (first.equals("ALTER") && second.equals("TABLE")) {
            return ddl.alterTable(tokens);
        }
        if (first.equals("CREATE") && second.equals("SCHEMA")) {
            return ddl.createSchema(tokens);
        }
        if (first.equals("DROP") && second.equals("TABLE")) {
            return ddl.dropTable(tokens);
        }
        if (first.equals("CREATE") && Set.of("PROCEDURE", "PROC", "FUNCTION", "TRIGGER", "TYPE", "SYNONYM").contains(second)) {
            throw SqlError.of(40519, "CREATE " + second + " is not supported by the SQL Server emulator.");
        }
        if ((first.equals("CREATE") || first.equals("DROP")) && tokens.stream().anyMatch(x -> x.is("INDEX"))) {
            return new Translation(List.of(new H2Sql(ddl.index(tokens), List.copyOf(t.binds))), List.of());
        }
        String sql = t.translate(tokens, 0, tokens.size());
        return new Translation(List.of(new H2Sql(sql, List.copyOf(t.binds))), List.of());
    }

    // ---------------------------------------------------------------- generic token rewriting

    String translate(List<Token> ts, int from, int to) {
        StringBuilder out = new StringBuilder();
        int i = from;
        while (i < to) {
            i = translateOne(ts, i, to, out);
        }
        return out.toString();
    }

    /** Appends the translation of the token(s) at {@code i}; returns the index after them. */
    int translateOne(List<Token> ts, int i, int to, StringBuilder out) {
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
            case STRING -> {
                if (isStringAlias(ts, i, to)) {
                    append(out, quote(t.value()));
                    return i + 1;
                }
                append(out, t.text());
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

    /** Words after which a string is an operand, never a column alias. */
    private static final Set<String> OPERAND_BEFORE = Set.of("THEN", "ELSE", "WHEN", "LIKE", "IN", "IS", "AND", "OR",
            "NOT", "BETWEEN", "ESCAPE", "DISTINCT", "ALL", "TOP", "BY", "RETURN", "COLLATE");

    /**
     * A string used as a column alias, {@code SELECT name 'alias'} or {@code name AS 'alias'} (T-SQL
     * allows both; mssql-jdbc's getSchemas uses the first): after AS, or right after an expression's
     * last token and before the end of the select item.
     */
    private static boolean isStringAlias(List<Token> ts, int i, int to) {
        if (i == 0) {
            return false;
        }
        Token prev = ts.get(i - 1);
        Token next = i + 1 < to ? ts.get(i + 1) : null;
        boolean itemEnds = next == null || next.isSymbol(",") || next.isSymbol(")") || next.is("FROM") || next.is("INTO");
        if (prev.is("AS")) {
            return itemEnds;
        }
        boolean expressionEnds = prev.isSymbol(")") || prev.kind() == Token.Kind.NUMBER
                || prev.kind() == Token.Kind.QUOTED_ID || prev.is("NULL") || prev.is("END")
                || prev.kind() == Token.Kind.WORD && !Parser.isReserved(prev.upper()) && !OPERAND_BEFORE.contains(prev.upper());
        return expressionEnds && itemEnds;
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

    boolean isDatabasePrefix(String first, Token second) {
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
                int as = lastTopLevel(ts, open + 1, close, "AS");
                SqlType type = SqlTypes.parseInCast(ts, as + 1).type();
                String value = translate(ts, open + 1, as);
                append(out, name.equals("TRY_CAST") ? tryCast(value, type) : "CAST(" + textOperand(value, type) + " AS " + SqlTypes.h2Type(type) + ")");
            }
            case "TRY_CONVERT" -> {
                SqlType type = SqlTypes.parseInCast(ts, args.get(0)[0]).type();
                append(out, tryCast(arg(ts, args, 1), type));
            }
            case "CONVERT" -> {
                SqlType type = SqlTypes.parseInCast(ts, args.get(0)[0]).type();
                String value = translate(ts, args.get(1)[0], args.get(1)[1]);
                if (args.size() > 2) {
                    String style = translate(ts, args.get(2)[0], args.get(2)[1]);
                    append(out, "CAST(\"sys\".\"__convert\"(" + value + ", " + style + ", '" + type.kind() + "') AS "
                            + SqlTypes.h2Type(type) + ")");
                } else {
                    append(out, "CAST(" + textOperand(value, type) + " AS " + SqlTypes.h2Type(type) + ")");
                }
            }
            // LEN ignores trailing spaces in SQL Server; H2's counts them
            case "LEN" -> append(out, "CAST(LENGTH(RTRIM(" + arg(ts, args, 0) + ")) AS INTEGER)");
            case "DATEPART" -> append(out, "\"sys\".\"__datepart\"('" + datePart(ts, args) + "', " + arg(ts, args, 1) + ")");
            case "DATENAME" -> append(out, "CAST(\"sys\".\"__datename\"('" + datePart(ts, args) + "', " + arg(ts, args, 1)
                    + ") AS VARCHAR(30))");
            // datetimeoffset(7): the scale of the argument is not known here
            case "TODATETIMEOFFSET", "SWITCHOFFSET" -> append(out, "CAST(\"sys\".\"__" + name.toLowerCase(Locale.ROOT)
                    + "\"(" + arg(ts, args, 0) + ", " + arg(ts, args, 1) + ") AS TIMESTAMP(7) WITH TIME ZONE)");
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

    /** A CAST to a character type writes a uniqueidentifier in upper case, as SQL Server does. */
    private static String textOperand(String value, SqlType type) {
        return switch (type.kind()) {
            case CHAR, VARCHAR, NCHAR, NVARCHAR -> "\"sys\".\"__guid_text\"(" + value + ")";
            default -> value;
        };
    }

    /** TRY_CAST/TRY_CONVERT: NULL instead of a conversion error, as SQL Server's (styles are not applied). */
    private static String tryCast(String value, SqlType type) {
        // the check wraps the value, so that H2 does not fold a failing CAST of a constant at compile time
        return "CAST(\"sys\".\"__if_convertible\"(" + value + ", '" + type.kind() + "', " + type.precision() + ", "
                + type.scale() + ") AS " + SqlTypes.h2Type(type) + ")";
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
    /** The datepart (first argument) of DATEPART/DATENAME, by its first name: a word, never an expression. */
    private static String datePart(List<Token> ts, List<int[]> args) {
        if (args.size() != 2 || args.get(0)[1] - args.get(0)[0] != 1) {
            throw SqlError.of(174, "The datepart function requires 2 argument(s).");
        }
        return DateParts.Part.of(ts.get(args.get(0)[0]).value()).name().toLowerCase(Locale.ROOT);
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
        return tableAt(db, tokens, 2);
    }

    /** The canonical schema, table name and the index after the name, of the table name at {@code index}. */
    static String[] tableAt(H2Database db, List<Token> tokens, int index) {
        return new Translator(db, null).tableName(tokens, index);
    }

    /** The schema and table of a (possibly qualified) table name at {@code i}; index after it in [2]. */
    String[] tableName(List<Token> ts, int i) {
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

}
