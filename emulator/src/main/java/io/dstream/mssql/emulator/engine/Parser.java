package io.dstream.mssql.emulator.engine;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Splits a T-SQL batch into statements. T-SQL does not require {@code ;}: a statement also ends
 * where a keyword that can only start a new statement appears at nesting depth 0 (outside
 * parentheses and CASE…END). The exceptions — SELECT after UNION, the SET of an UPDATE, the
 * SELECT of an INSERT…SELECT, everything inside a MERGE (which T-SQL requires to end with
 * {@code ;}) — are known per statement kind.
 */
final class Parser {

    private static final Set<String> STATEMENT_STARTS = Set.of(
            "SELECT", "INSERT", "UPDATE", "DELETE", "MERGE", "CREATE", "ALTER", "DROP", "TRUNCATE",
            "DECLARE", "SET", "IF", "ELSE", "BEGIN", "END", "EXEC", "EXECUTE", "PRINT", "USE",
            "COMMIT", "ROLLBACK", "SAVE", "WITH", "RETURN", "WHILE", "BREAK", "CONTINUE", "GOTO",
            "RAISERROR", "THROW", "GRANT", "REVOKE", "DENY", "WAITFOR", "CHECKPOINT", "DBCC");

    private static final Set<String> SET_OPERATORS = Set.of("UNION", "ALL", "EXCEPT", "INTERSECT");

    private final List<Token> tokens;
    private int pos;

    private Parser(List<Token> tokens) {
        this.tokens = tokens;
    }

    /** A batch that does not parse: the SQL Server error and the line it is on. */
    static final class ParseError extends RuntimeException {
        final SqlError error;
        final int line;

        ParseError(SqlError error, int line) {
            super(error.getMessage(), error, false, false);
            this.error = error;
            this.line = line;
        }
    }

    static List<Stmt> parse(String sql) {
        List<Token> tokens = Lexer.tokenize(sql);
        Parser parser = new Parser(tokens);
        List<Stmt> statements;
        try {
            statements = parser.statements();
        } catch (SqlError e) {
            throw new ParseError(e, tokens.isEmpty() ? 1 : tokens.get(Math.min(parser.pos, tokens.size() - 1)).line());
        }
        for (int i = 0; i < statements.size(); i++) {
            try {
                requireFirstInBatch(statements.get(i), i == 0);
            } catch (SqlError e) {
                throw new ParseError(e, statements.get(i).line());
            }
        }
        return statements;
    }

    /** SQL Server runs CREATE SCHEMA and CREATE VIEW only as the first statement of a batch (error 111). */
    private static void requireFirstInBatch(Stmt stmt, boolean first) {
        if (stmt instanceof Stmt.Sql sql && sql.tokens().size() > 1 && sql.tokens().get(0).is("CREATE")
                && (sql.tokens().get(1).is("SCHEMA") || sql.tokens().get(1).is("VIEW")) && !first) {
            throw new SqlError(111, 1, 15, "'CREATE " + sql.tokens().get(1).upper()
                    + "' must be the first statement in a query batch.");
        }
        if (stmt instanceof Stmt.Block b) {
            b.body().forEach(s -> requireFirstInBatch(s, false));
        } else if (stmt instanceof Stmt.If i) {
            requireFirstInBatch(i.then(), false);
            if (i.otherwise() != null) {
                requireFirstInBatch(i.otherwise(), false);
            }
        } else if (stmt instanceof Stmt.While w) {
            requireFirstInBatch(w.body(), false);
        } else if (stmt instanceof Stmt.TryCatch t) {
            requireFirstInBatch(t.tryBlock(), false);
            requireFirstInBatch(t.catchBlock(), false);
        }
    }

    private List<Stmt> statements() {
        List<Stmt> result = new ArrayList<>();
        while (skipSemicolons()) {
            result.add(statement());
        }
        return result;
    }

    private boolean skipSemicolons() {
        while (pos < tokens.size() && tokens.get(pos).isSymbol(";")) {
            pos++;
        }
        return pos < tokens.size();
    }

    private Stmt statement() {
        Token first = tokens.get(pos);
        int line = first.line();
        String word = first.kind() == Token.Kind.WORD ? first.upper() : "";
        switch (word) {
            case "IF" -> {
                pos++;
                List<Token> condition = collect(pos, "IF");
                Stmt then = requireStatement(first);
                Stmt otherwise = null;
                int save = pos;
                skipSemicolons();
                if (pos < tokens.size() && tokens.get(pos).is("ELSE")) {
                    pos++;
                    otherwise = requireStatement(tokens.get(pos - 1));
                } else {
                    pos = save;
                }
                return new Stmt.If(condition, then, otherwise, line);
            }
            case "WHILE" -> {
                pos++;
                List<Token> condition = collect(pos, "WHILE");
                return new Stmt.While(condition, requireStatement(first), line);
            }
            case "BEGIN" -> {
                return begin(first);
            }
            case "ELSE", "END" -> throw syntaxError(first);
            case "DECLARE" -> {
                return declare();
            }
            case "SET" -> {
                if (pos + 1 < tokens.size() && tokens.get(pos + 1).kind() == Token.Kind.VARIABLE) {
                    String name = tokens.get(pos + 1).text();
                    pos += 2;
                    if (pos >= tokens.size() || tokens.get(pos).kind() != Token.Kind.SYMBOL) {
                        throw syntaxError(pos < tokens.size() ? tokens.get(pos) : tokens.get(pos - 1));
                    }
                    String operator = tokens.get(pos++).text();
                    return new Stmt.SetVariable(name, operator, collect(pos, "SET"), line);
                }
                pos++;
                return new Stmt.SetOption(collect(pos, "SET"), line);
            }
            case "EXEC", "EXECUTE" -> {
                pos++;
                return new Stmt.Exec(collect(pos, "EXEC"), line);
            }
            case "PRINT" -> {
                pos++;
                return new Stmt.Print(collect(pos, "PRINT"), line);
            }
            case "USE" -> {
                pos++;
                List<Token> rest = collect(pos, "USE");
                if (rest.size() != 1 || !rest.get(0).isName()) {
                    throw syntaxError(rest.isEmpty() ? first : rest.get(0));
                }
                return new Stmt.Use(rest.get(0).value(), line);
            }
            case "COMMIT" -> {
                pos++;
                collect(pos, "COMMIT");
                return new Stmt.CommitTran(line);
            }
            case "ROLLBACK" -> {
                pos++;
                List<Token> rest = collect(pos, "ROLLBACK");
                String savepoint = rest.size() >= 2 && isTranWord(rest.get(0)) ? rest.get(1).value() : null;
                return new Stmt.RollbackTran(savepoint, line);
            }
            case "SAVE" -> {
                pos++;
                List<Token> rest = collect(pos, "SAVE");
                if (rest.size() < 2 || !isTranWord(rest.get(0))) {
                    throw syntaxError(first);
                }
                return new Stmt.SaveTran(rest.get(1).value(), line);
            }
            case "RETURN" -> {
                pos++;
                collect(pos, "RETURN");
                return new Stmt.Return(line);
            }
            case "BREAK" -> {
                pos++;
                return new Stmt.Break(line);
            }
            case "CONTINUE" -> {
                pos++;
                return new Stmt.Continue(line);
            }
            case "THROW", "RAISERROR" -> {
                pos++;
                return new Stmt.Raise(collect(pos, word), word.equals("THROW"), line);
            }
            default -> {
                if (word.isEmpty() && !first.isSymbol("(") || !word.isEmpty() && !STATEMENT_STARTS.contains(word)) {
                    throw syntaxError(first);
                }
                List<Token> body = new ArrayList<>();
                body.add(first);
                pos++;
                body.addAll(collect(pos, word.isEmpty() ? "SELECT" : word));
                return new Stmt.Sql(body, line);
            }
        }
    }

    private Stmt requireStatement(Token after) {
        skipSemicolons();
        if (pos >= tokens.size()) {
            throw SqlError.of(102, "Incorrect syntax near '" + after.text() + "'.");
        }
        return statement();
    }

    private Stmt begin(Token first) {
        int line = first.line();
        Token next = pos + 1 < tokens.size() ? tokens.get(pos + 1) : null;
        if (next != null && (isTranWord(next) || next.is("DISTRIBUTED"))) {
            pos++;
            collect(pos, "BEGIN");
            return new Stmt.BeginTran(line);
        }
        if (next != null && next.is("TRY")) {
            pos += 2;
            Stmt.Block tryBlock = blockUntilEnd(line);
            expect("TRY");
            expect("BEGIN");
            expect("CATCH");
            Stmt.Block catchBlock = blockUntilEnd(line);
            expect("CATCH");
            return new Stmt.TryCatch(tryBlock, catchBlock, line);
        }
        pos++;
        return blockUntilEnd(line);
    }

    /** Statements up to and including the matching END. */
    private Stmt.Block blockUntilEnd(int line) {
        List<Stmt> body = new ArrayList<>();
        while (true) {
            if (!skipSemicolons()) {
                throw SqlError.of(102, "Incorrect syntax near the end of the batch: BEGIN without END.");
            }
            if (tokens.get(pos).is("END")) {
                pos++;
                return new Stmt.Block(body, line);
            }
            body.add(statement());
        }
    }

    private void expect(String word) {
        skipSemicolons();
        if (pos >= tokens.size() || !tokens.get(pos).is(word)) {
            throw syntaxError(pos < tokens.size() ? tokens.get(pos) : tokens.get(tokens.size() - 1));
        }
        pos++;
    }

    private Stmt declare() {
        Token first = tokens.get(pos++);
        List<Stmt.Declare.Variable> variables = new ArrayList<>();
        while (true) {
            if (pos >= tokens.size() || tokens.get(pos).kind() != Token.Kind.VARIABLE) {
                throw syntaxError(pos < tokens.size() ? tokens.get(pos) : first);
            }
            String name = tokens.get(pos++).text();
            if (pos < tokens.size() && tokens.get(pos).is("AS")) {
                pos++;
            }
            if (pos < tokens.size() && tokens.get(pos).is("TABLE") && variables.isEmpty()) {
                return declareTable(name, first);
            }
            if (pos < tokens.size() && (tokens.get(pos).is("TABLE") || tokens.get(pos).is("CURSOR"))) {
                throw SqlError.of(40517, "DECLARE " + name + " " + tokens.get(pos).upper()
                        + " is not supported by the emulator; use a table in tempdb or dbo instead.");
            }
            SqlTypes.Parsed type = SqlTypes.parse(tokens, pos);
            pos = type.next();
            List<Token> initializer = List.of();
            if (pos < tokens.size() && tokens.get(pos).isSymbol("=")) {
                pos++;
                initializer = collectUntilComma();
            }
            variables.add(new Stmt.Declare.Variable(name, type.type(), initializer));
            if (pos < tokens.size() && tokens.get(pos).isSymbol(",")) {
                pos++;
                continue;
            }
            if (pos < tokens.size() && tokens.get(pos).isSymbol(";")) {
                pos++;
            }
            return new Stmt.Declare(variables, first.line());
        }
    }

    /** {@code DECLARE @t TABLE (…)}, with {@code pos} at TABLE. */
    private Stmt declareTable(String name, Token first) {
        int open = pos + 1;
        if (open >= tokens.size() || !tokens.get(open).isSymbol("(")) {
            throw syntaxError(open < tokens.size() ? tokens.get(open) : tokens.get(pos));
        }
        int close = Translator.matching(tokens, open, tokens.size());
        pos = close + 1;
        if (pos < tokens.size() && tokens.get(pos).isSymbol(";")) {
            pos++;
        }
        return new Stmt.DeclareTable(name, List.copyOf(tokens.subList(open, close + 1)), first.line());
    }

    private List<Token> collectUntilComma() {
        int start = pos;
        int depth = 0;
        int caseDepth = 0;
        while (pos < tokens.size()) {
            Token t = tokens.get(pos);
            if (depth == 0 && caseDepth == 0 && (t.isSymbol(",") || t.isSymbol(";") || isStart(t, pos, "DECLARE"))) {
                break;
            }
            depth += t.isSymbol("(") ? 1 : t.isSymbol(")") ? -1 : 0;
            caseDepth += t.is("CASE") ? 1 : t.is("END") && caseDepth > 0 ? -1 : 0;
            pos++;
        }
        return List.copyOf(tokens.subList(start, pos));
    }

    /**
     * Collects the tokens of the current statement from {@code start} up to its end, consuming a
     * trailing {@code ;}. {@code kind} is the statement's first keyword.
     */
    private List<Token> collect(int start, String kind) {
        pos = start;
        int depth = 0;
        int caseDepth = 0;
        boolean selectSeen = false;
        boolean setSeen = false;
        boolean cteBodySeen = false;
        boolean asSeen = false;
        boolean permissionsEnded = false;
        String effectiveKind = kind;
        while (pos < tokens.size()) {
            Token t = tokens.get(pos);
            if (t.isSymbol(";") && depth == 0) {
                List<Token> result = List.copyOf(tokens.subList(start, pos));
                pos++;
                return result;
            }
            if (t.isSymbol("(")) {
                depth++;
            } else if (t.isSymbol(")")) {
                depth--;
            } else if (t.is("CASE")) {
                caseDepth++;
            } else if (t.is("END") && caseDepth > 0) {
                caseDepth--;
            } else if (depth == 0 && caseDepth == 0) {
                if (t.is("AS")) {
                    asSeen = true;
                }
                if (t.is("ON") || t.is("TO") || t.is("FROM")) {
                    // GRANT SELECT, INSERT ON … TO …: the permission names come before ON/TO
                    permissionsEnded = true;
                }
                if (isStart(t, pos, effectiveKind)) {
                    String w = t.upper();
                    Token prev = pos > start ? tokens.get(pos - 1) : null;
                    boolean allowed = switch (effectiveKind) {
                        case "MERGE" -> !w.equals("END") && !w.equals("ELSE");
                        case "SELECT", "(" -> w.equals("SELECT") && prev != null && SET_OPERATORS.contains(prev.upper());
                        case "INSERT" -> (w.equals("SELECT") || w.equals("EXEC") || w.equals("EXECUTE") || w.equals("WITH"))
                                && (!selectSeen || prev != null && SET_OPERATORS.contains(prev.upper()));
                        case "UPDATE" -> w.equals("SET") && !setSeen;
                        case "GRANT", "REVOKE", "DENY" -> !permissionsEnded;
                        case "ALTER" -> w.equals("DROP") || w.equals("ALTER") || w.equals("SET") || w.equals("WITH");
                        case "CREATE" -> asSeen && !selectSeen && (w.equals("SELECT") || w.equals("WITH"))
                                || w.equals("SELECT") && prev != null && SET_OPERATORS.contains(prev.upper());
                        case "WITH" -> !cteBodySeen && (w.equals("SELECT") || w.equals("INSERT") || w.equals("UPDATE")
                                || w.equals("DELETE") || w.equals("MERGE"));
                        default -> false;
                    };
                    if (!allowed) {
                        break;
                    }
                    if (effectiveKind.equals("WITH")) {
                        cteBodySeen = true;
                        effectiveKind = w;
                    }
                    if (w.equals("SELECT") || w.equals("EXEC") || w.equals("EXECUTE")) {
                        selectSeen = true;
                    }
                    if (w.equals("SET")) {
                        setSeen = true;
                    }
                } else if (t.is("VALUES")) {
                    selectSeen = true;
                }
            }
            pos++;
        }
        return List.copyOf(tokens.subList(start, pos));
    }

    /** Whether {@code t} at {@code index} would start a new statement. */
    private boolean isStart(Token t, int index, String kind) {
        if (t.kind() != Token.Kind.WORD || !STATEMENT_STARTS.contains(t.upper())) {
            return false;
        }
        if (t.is("IF") && index > 0 && index + 1 < tokens.size() && tokens.get(index + 1).is("EXISTS")
                && Set.of("TABLE", "VIEW", "INDEX", "SCHEMA", "COLUMN", "CONSTRAINT", "PROCEDURE", "PROC", "FUNCTION",
                "TRIGGER", "SEQUENCE", "TYPE", "SYNONYM").contains(tokens.get(index - 1).upper())) {
            return false; // DROP TABLE IF EXISTS
        }
        if (t.is("WITH")) {
            // WITH (NOLOCK), WITH TIES, WITH CHECK: only "WITH name AS (" / "WITH name (" starts a CTE
            Token n1 = index + 1 < tokens.size() ? tokens.get(index + 1) : null;
            Token n2 = index + 2 < tokens.size() ? tokens.get(index + 2) : null;
            return n1 != null && n1.isName() && n2 != null && (n2.is("AS") || n2.isSymbol("("));
        }
        return true;
    }

    private static boolean isTranWord(Token t) {
        return t.is("TRAN") || t.is("TRANSACTION") || t.is("WORK");
    }

    static SqlError syntaxError(Token near) {
        if (near.kind() == Token.Kind.WORD && isReserved(near.upper())) {
            return SqlError.of(156, "Incorrect syntax near the keyword '" + near.text() + "'.");
        }
        return SqlError.of(102, "Incorrect syntax near '" + near.value() + "'.");
    }

    static boolean isReserved(String upper) {
        return STATEMENT_STARTS.contains(upper) || Set.of("FROM", "WHERE", "AS", "ON", "AND", "OR", "NOT", "NULL",
                "TABLE", "INTO", "VALUES", "ORDER", "GROUP", "BY", "HAVING", "JOIN", "TRAN", "TRANSACTION",
                "PRIMARY", "KEY", "DEFAULT", "CASE", "THEN", "WHEN").contains(upper);
    }
}
