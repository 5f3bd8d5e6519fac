package io.dstream.mssql.emulator.engine;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * T-SQL DML forms H2 spells differently. {@code INSERT/UPDATE/DELETE … OUTPUT INSERTED.x | DELETED.x …}
 * becomes a query over H2's data change delta
 * tables: {@code SELECT x FROM FINAL TABLE (INSERT …)} for INSERTED (rows as written) and
 * {@code OLD TABLE} for DELETED (rows as they were). Both in one statement, and OUTPUT INTO, are
 * refused with an error naming them.
 */
final class DmlRewrites {

    private static final Set<String> INSERT_OUTPUT_ENDS = Set.of("VALUES", "SELECT", "DEFAULT", "EXEC", "EXECUTE", "INTO");
    private static final Set<String> CHANGE_OUTPUT_ENDS = Set.of("FROM", "WHERE", "OPTION", "INTO");

    private DmlRewrites() {
    }

    /** The statement as a query over a delta table, or null when it has no OUTPUT clause. */
    static List<Token> rewrite(List<Token> tokens) {
        String verb = tokens.get(0).upper();
        if (!verb.equals("INSERT") && !verb.equals("UPDATE") && !verb.equals("DELETE")) {
            return null;
        }
        int output = topLevel(tokens, 1, Set.of("OUTPUT"));
        if (output < 0) {
            return null;
        }
        int end = topLevel(tokens, output + 1, verb.equals("INSERT") ? INSERT_OUTPUT_ENDS : CHANGE_OUTPUT_ENDS);
        if (end < 0) {
            end = tokens.size();
        }
        if (end < tokens.size() && tokens.get(end).is("INTO")) {
            throw SqlError.of(40519, "OUTPUT … INTO is not supported by the SQL Server emulator; "
                    + "use OUTPUT without INTO to receive the rows.");
        }
        List<Token> items = tokens.subList(output + 1, end);
        boolean inserted = items.stream().anyMatch(t -> t.is("INSERTED"));
        boolean deleted = items.stream().anyMatch(t -> t.is("DELETED"));
        if (inserted && deleted) {
            throw SqlError.of(40519, "OUTPUT with both INSERTED and DELETED columns is not supported by the SQL Server "
                    + "emulator; run the statement with one of them.");
        }
        List<Token> query = new ArrayList<>();
        int line = tokens.get(0).line();
        query.add(new Token(Token.Kind.WORD, "SELECT", line));
        for (int i = 0; i < items.size(); i++) {
            Token t = items.get(i);
            if ((t.is("INSERTED") || t.is("DELETED")) && i + 1 < items.size() && items.get(i + 1).isSymbol(".")) {
                i++;
                continue;
            }
            query.add(t);
        }
        query.add(new Token(Token.Kind.WORD, "FROM", line));
        query.add(new Token(Token.Kind.WORD, deleted ? "OLD" : "FINAL", line));
        query.add(new Token(Token.Kind.WORD, "TABLE", line));
        query.add(new Token(Token.Kind.SYMBOL, "(", line));
        query.addAll(tokens.subList(0, output));
        query.addAll(tokens.subList(end, tokens.size()));
        query.add(new Token(Token.Kind.SYMBOL, ")", line));
        return query;
    }

    /**
     * {@code SELECT list INTO new_table FROM …} as {@code CREATE TABLE new_table AS SELECT list FROM …}
     * (H2's form); null for other statements.
     */
    static List<Token> selectInto(List<Token> tokens) {
        if (!tokens.get(0).is("SELECT")) {
            return null;
        }
        int into = topLevel(tokens, 1, Set.of("INTO", "FROM"));
        if (into < 0 || !tokens.get(into).is("INTO")) {
            return null;
        }
        int end = into + 2;
        while (end + 1 < tokens.size() && tokens.get(end).isSymbol(".")) {
            end += tokens.get(end + 1).isSymbol(".") ? 1 : 2;
        }
        List<Token> create = new ArrayList<>();
        int line = tokens.get(0).line();
        create.add(new Token(Token.Kind.WORD, "CREATE", line));
        create.add(new Token(Token.Kind.WORD, "TABLE", line));
        create.addAll(tokens.subList(into + 1, end));
        create.add(new Token(Token.Kind.WORD, "AS", line));
        create.addAll(tokens.subList(0, into));
        create.addAll(tokens.subList(end, tokens.size()));
        return create;
    }

    private static int topLevel(List<Token> tokens, int from, Set<String> words) {
        int depth = 0;
        for (int i = from; i < tokens.size(); i++) {
            Token t = tokens.get(i);
            depth += t.isSymbol("(") ? 1 : t.isSymbol(")") ? -1 : 0;
            if (depth == 0 && t.kind() == Token.Kind.WORD && words.contains(t.upper())) {
                return i;
            }
        }
        return -1;
    }
}
