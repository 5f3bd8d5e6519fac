package io.dstream.mssql.emulator.engine;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * {@code SELECT @a = expr, @b += expr [FROM …]}: the variables to assign and the query that computes
 * their values (compound operators become {@code @b + expr}). SQL Server assigns from the last
 * row and leaves the variables unchanged when there is none.
 *
 * @param variables the target variables, in select-list order
 * @param query     {@code SELECT expr, expr [FROM …]}
 */
record SelectAssignment(List<String> variables, List<Token> query) {

    private static final Set<String> SELECT_LIST_ENDS = Set.of("FROM", "WHERE", "GROUP", "ORDER", "HAVING", "UNION", "OPTION");

    /** Whether a SELECT statement assigns variables ({@code SELECT @x = …}). */
    static boolean matches(List<Token> tokens) {
        return tokens.size() > 2 && tokens.get(0).is("SELECT") && tokens.get(1).kind() == Token.Kind.VARIABLE
                && tokens.get(2).kind() == Token.Kind.SYMBOL && tokens.get(2).text().endsWith("=");
    }

    static SelectAssignment parse(List<Token> tokens) {
        List<String> variables = new ArrayList<>();
        List<Token> query = new ArrayList<>();
        query.add(tokens.get(0));
        int i = 1;
        int depth = 0;
        boolean expectTarget = true;
        while (i < tokens.size()) {
            Token t = tokens.get(i);
            if (depth == 0 && expectTarget) {
                if (t.kind() != Token.Kind.VARIABLE || i + 1 >= tokens.size() || !tokens.get(i + 1).text().endsWith("=")) {
                    throw SqlError.of(141, "A SELECT statement that assigns a value to a variable must not be combined "
                            + "with data-retrieval operations.");
                }
                String op = tokens.get(i + 1).text();
                variables.add(t.text());
                if (!op.equals("=")) {
                    query.add(t);
                    query.add(new Token(Token.Kind.SYMBOL, op.substring(0, 1), t.line()));
                }
                i += 2;
                expectTarget = false;
                continue;
            }
            if (depth == 0 && t.isSymbol(",")) {
                expectTarget = true;
            } else if (depth == 0 && t.kind() == Token.Kind.WORD && SELECT_LIST_ENDS.contains(t.upper())) {
                query.addAll(tokens.subList(i, tokens.size()));
                break;
            }
            depth += t.isSymbol("(") ? 1 : t.isSymbol(")") ? -1 : 0;
            query.add(t);
            i++;
        }
        return new SelectAssignment(List.copyOf(variables), List.copyOf(query));
    }
}
