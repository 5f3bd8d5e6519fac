package io.dstream.mssql.emulator.engine;

import java.util.ArrayList;
import java.util.List;

/**
 * Splits T-SQL text into tokens, dropping whitespace and comments. Knows the quoting rules that
 * matter for finding statement boundaries: {@code 'strings'} with doubled quotes, {@code N'...'},
 * {@code [brackets]} with {@code ]]}, {@code "quoted identifiers"}, {@code --} and nested
 * {@code /* *}{@code /} comments (SQL Server nests block comments).
 */
final class Lexer {

    private final String sql;
    private int pos;
    private int line = 1;

    private Lexer(String sql) {
        this.sql = sql;
    }

    static List<Token> tokenize(String sql) {
        return new Lexer(sql).run();
    }

    private List<Token> run() {
        List<Token> tokens = new ArrayList<>();
        while (true) {
            skipSpaceAndComments();
            if (pos >= sql.length()) {
                return tokens;
            }
            tokens.add(next());
        }
    }

    private void skipSpaceAndComments() {
        while (pos < sql.length()) {
            char c = sql.charAt(pos);
            if (c == '\n') {
                line++;
                pos++;
            } else if (Character.isWhitespace(c)) {
                pos++;
            } else if (sql.startsWith("--", pos)) {
                while (pos < sql.length() && sql.charAt(pos) != '\n') {
                    pos++;
                }
            } else if (sql.startsWith("/*", pos)) {
                skipBlockComment();
            } else {
                return;
            }
        }
    }

    private void skipBlockComment() {
        int depth = 0;
        do {
            if (sql.startsWith("/*", pos)) {
                depth++;
                pos += 2;
            } else if (sql.startsWith("*/", pos)) {
                depth--;
                pos += 2;
            } else {
                if (sql.charAt(pos) == '\n') {
                    line++;
                }
                pos++;
            }
        } while (depth > 0 && pos < sql.length());
        if (depth > 0) {
            throw SqlError.of(113, "Missing end comment mark '*/'.");
        }
    }

    private Token next() {
        int start = pos;
        char c = sql.charAt(pos);
        if ((c == 'N' || c == 'n') && pos + 1 < sql.length() && sql.charAt(pos + 1) == '\'') {
            pos++;
            return quoted(start, '\'', '\'', Token.Kind.STRING);
        }
        if (c == '\'') {
            return quoted(start, '\'', '\'', Token.Kind.STRING);
        }
        if (c == '[') {
            return quoted(start, '[', ']', Token.Kind.QUOTED_ID);
        }
        if (c == '"') {
            return quoted(start, '"', '"', Token.Kind.QUOTED_ID);
        }
        if (c == '0' && pos + 1 < sql.length() && (sql.charAt(pos + 1) == 'x' || sql.charAt(pos + 1) == 'X')) {
            pos += 2;
            while (pos < sql.length() && Character.digit(sql.charAt(pos), 16) >= 0) {
                pos++;
            }
            return token(Token.Kind.BINARY, start);
        }
        if (Character.isDigit(c) || (c == '.' && pos + 1 < sql.length() && Character.isDigit(sql.charAt(pos + 1)))) {
            return number(start);
        }
        if (c == '@') {
            boolean system = sql.startsWith("@@", pos);
            pos += system ? 2 : 1;
            while (pos < sql.length() && isWordPart(sql.charAt(pos))) {
                pos++;
            }
            return token(system ? Token.Kind.SYSTEM_VARIABLE : Token.Kind.VARIABLE, start);
        }
        if (isWordStart(c)) {
            while (pos < sql.length() && isWordPart(sql.charAt(pos))) {
                pos++;
            }
            return token(Token.Kind.WORD, start);
        }
        for (String op : new String[] {"<>", "!=", ">=", "<=", "!<", "!>", "+=", "-=", "*=", "/=", "::"}) {
            if (sql.startsWith(op, pos)) {
                pos += op.length();
                return token(Token.Kind.SYMBOL, start);
            }
        }
        pos++;
        return token(Token.Kind.SYMBOL, start);
    }

    private Token number(int start) {
        while (pos < sql.length() && (Character.isDigit(sql.charAt(pos)) || sql.charAt(pos) == '.')) {
            pos++;
        }
        if (pos < sql.length() && (sql.charAt(pos) == 'e' || sql.charAt(pos) == 'E')) {
            int save = pos++;
            if (pos < sql.length() && (sql.charAt(pos) == '+' || sql.charAt(pos) == '-')) {
                pos++;
            }
            if (pos < sql.length() && Character.isDigit(sql.charAt(pos))) {
                while (pos < sql.length() && Character.isDigit(sql.charAt(pos))) {
                    pos++;
                }
            } else {
                pos = save;
            }
        }
        return token(Token.Kind.NUMBER, start);
    }

    private Token quoted(int start, char open, char close, Token.Kind kind) {
        int startLine = line;
        pos++;
        while (pos < sql.length()) {
            char c = sql.charAt(pos);
            if (c == '\n') {
                line++;
            }
            if (c == close) {
                if (pos + 1 < sql.length() && sql.charAt(pos + 1) == close) {
                    pos += 2;
                    continue;
                }
                pos++;
                return new Token(kind, sql.substring(start, pos), startLine);
            }
            pos++;
        }
        String fragment = sql.substring(start, Math.min(sql.length(), start + 30));
        if (kind == Token.Kind.STRING) {
            throw SqlError.of(105, "Unclosed quotation mark after the character string '" + fragment + "'.");
        }
        throw SqlError.of(1038, "An object or column name is missing or empty, or its quoting near '" + fragment + "' is not closed.");
    }

    private Token token(Token.Kind kind, int start) {
        return new Token(kind, sql.substring(start, pos), line);
    }

    private static boolean isWordStart(char c) {
        return Character.isLetter(c) || c == '_' || c == '#';
    }

    private static boolean isWordPart(char c) {
        return Character.isLetterOrDigit(c) || c == '_' || c == '#' || c == '$' || c == '@';
    }
}
