package io.dstream.mssql.emulator.engine;

import io.dstream.mssql.emulator.engine.Translator.DdlEffect;
import io.dstream.mssql.emulator.engine.Translator.H2Sql;
import io.dstream.mssql.emulator.engine.Translator.Translation;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static io.dstream.mssql.emulator.engine.Translator.IGNORED_COLUMN_WORDS;
import static io.dstream.mssql.emulator.engine.Translator.arguments;
import static io.dstream.mssql.emulator.engine.Translator.matching;
import static io.dstream.mssql.emulator.engine.Translator.quote;

/**
 * The DDL forms whose T-SQL H2 does not take as is: column types become their H2 storage type
 * (the declared SQL Server type is returned as a {@link DdlEffect} for the database to keep),
 * tinyint gets its 0..255 check, rowversion its counter, and storage options (CLUSTERED,
 * ON [PRIMARY], WITH (…), INCLUDE) are dropped.
 */
final class DdlTranslator {

    /** The next value of the database's rowversion counter, as SQL Server's 8-byte big-endian binary. */
    private static final String ROWVERSION_NEXT = "CAST(NEXT VALUE FOR \"sys\".\"__rowversion\" AS BINARY(8))";

    private final Translator translator;
    private final H2Database db;

    DdlTranslator(Translator translator, H2Database db) {
        this.translator = translator;
        this.db = db;
    }

    Translation createTable(List<Token> ts) {
        String[] name = translator.tableName(ts, 2);
        int open = Integer.parseInt(name[2]);
        if (open < ts.size() && ts.get(open).is("AS")) {
            // CREATE TABLE … AS SELECT (from SELECT … INTO): column types come from the query
            String sql = translator.translate(ts, 0, ts.size());
            return new Translation(List.of(new H2Sql(sql, translator.binds())),
                    List.of(new DdlEffect(name[0], name[1], DdlEffect.Kind.CREATE_TABLE, Map.of(), List.of())));
        }
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
        return new Translation(List.of(new H2Sql(sql, translator.binds())),
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
        String check = typeCheck(table[1], column, type.type());
        if (check != null) {
            items.add(check);
        }
    }

    /** The constraint that keeps a column within its SQL Server type's range, or null (see {@link Errors#checkViolation}). */
    private static String typeCheck(String table, String column, SqlType type) {
        String condition = type.kind() == SqlType.Kind.TINYINT ? quote(column) + " BETWEEN 0 AND 255"
                : SqlTypes.rangeCheck(type, quote(column));
        return condition == null ? null
                : "CONSTRAINT " + quote(typeCheckName(table, column, type)) + " CHECK (" + condition + ")";
    }

    /** {@code CK__<type>__<table>__<column>}: the type part tells {@link Errors} which error to raise. */
    private static String typeCheckName(String table, String column, SqlType type) {
        return "CK__" + type.kind().name().toLowerCase(java.util.Locale.ROOT) + "__" + table + "__" + column;
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
                i = translator.translateOne(ts, i, to, out);
            }
        }
        return out.toString();
    }

    Translation alterTable(List<Token> ts) {
        String[] name = translator.tableName(ts, 2);
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
                    statements.add(new H2Sql("ALTER TABLE " + qualified + columnDefault, translator.binds()));
                } else {
                    tableItem(added, item[0], item[1], name, declared, items);
                }
            }
            for (String item : items) {
                boolean constraint = item.startsWith("CONSTRAINT") || item.startsWith("PRIMARY") || item.startsWith("UNIQUE")
                        || item.startsWith("FOREIGN") || item.startsWith("CHECK");
                statements.add(new H2Sql("ALTER TABLE " + qualified + " ADD " + (constraint ? "" : "COLUMN ") + item,
                        translator.binds()));
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
            SqlType before = db.declaredType(name[0], name[1], column);
            if (before != null && typeCheck(name[1], column, before) != null) {
                statements.add(new H2Sql("ALTER TABLE " + qualified + " DROP CONSTRAINT IF EXISTS "
                        + quote(name[0]) + "." + quote(typeCheckName(name[1], column, before)), List.of()));
            }
            statements.add(new H2Sql("ALTER TABLE " + qualified + " ALTER COLUMN " + quote(column) + " "
                    + SqlTypes.h2Type(type.type()) + " " + ddlTail(ts, type.next(), ts.size()), translator.binds()));
            String check = typeCheck(name[1], column, type.type());
            if (check != null) {
                statements.add(new H2Sql("ALTER TABLE " + qualified + " ADD " + check, List.of()));
            }
        } else {
            statements.add(new H2Sql("ALTER TABLE " + qualified + " " + translator.translate(ts, i, ts.size()), translator.binds()));
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
        return " ALTER COLUMN " + quote(ts.get(to - 1).value()) + " SET DEFAULT " + translator.translate(ts, start + 1, to - 2);
    }

    /** A view of {@code ts} from {@code from}, wrapped in parentheses so that {@link #arguments} applies. */
    private static List<Token> wrap(List<Token> ts, int from) {
        List<Token> wrapped = new ArrayList<>();
        wrapped.add(new Token(Token.Kind.SYMBOL, "(", 0));
        wrapped.addAll(ts.subList(from, ts.size()));
        wrapped.add(new Token(Token.Kind.SYMBOL, ")", 0));
        return wrapped;
    }

    Translation createSchema(List<Token> ts) {
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

    Translation dropTable(List<Token> ts) {
        int i = 2;
        boolean ifExists = i + 1 < ts.size() && ts.get(i).is("IF") && ts.get(i + 1).is("EXISTS");
        if (ifExists) {
            i += 2;
        }
        List<H2Sql> statements = new ArrayList<>();
        List<DdlEffect> effects = new ArrayList<>();
        while (i < ts.size()) {
            String[] name = translator.tableName(ts, i);
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
    String index(List<Token> ts) {
        if (ts.get(0).is("DROP")) {
            int i = 2;
            boolean ifExists = ts.get(i).is("IF");
            if (ifExists) {
                i += 2;
            }
            String index = ts.get(i).value();
            String schema = "dbo";
            if (i + 2 < ts.size() && ts.get(i + 1).is("ON")) {
                schema = translator.tableName(ts, i + 2)[0];
            } else if (i + 2 < ts.size() && ts.get(i + 1).isSymbol(".")) {
                // the old form DROP INDEX [schema.]table.index
                index = ts.get(ts.size() - 1).value();
                String named = i + 4 < ts.size() ? db.canonicalSchema(ts.get(i).value()) : null;
                schema = named == null ? "dbo" : named;
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
                i = translator.translateOne(ts, i, ts.size(), out);
            }
        }
        return out.toString();
    }
}
