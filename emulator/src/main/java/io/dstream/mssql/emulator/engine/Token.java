package io.dstream.mssql.emulator.engine;

import java.util.Locale;

/**
 * One lexical token of T-SQL. {@code text} is the source spelling; {@link #value()} is the
 * identifier or string without its quoting.
 */
record Token(Kind kind, String text, int line) {

    enum Kind {
        /** A keyword or plain identifier ({@code SELECT}, {@code orders}). */
        WORD,
        /** {@code [x]} or {@code "x"}. */
        QUOTED_ID,
        /** {@code @x} (variable or parameter). */
        VARIABLE,
        /** {@code @@x} (system function). */
        SYSTEM_VARIABLE,
        /** {@code 'x'} or {@code N'x'}. */
        STRING,
        NUMBER,
        /** {@code 0x0A0B}. */
        BINARY,
        /** Operators and punctuation, including {@code ;}, {@code (}, {@code .}. */
        SYMBOL
    }

    boolean is(String word) {
        return kind == Kind.WORD && text.equalsIgnoreCase(word);
    }

    boolean isSymbol(String symbol) {
        return kind == Kind.SYMBOL && text.equals(symbol);
    }

    boolean isName() {
        return kind == Kind.WORD || kind == Kind.QUOTED_ID;
    }

    /** The identifier without brackets or quotes, or the string literal's content. */
    String value() {
        return switch (kind) {
            case QUOTED_ID -> text.charAt(0) == '['
                    ? text.substring(1, text.length() - 1).replace("]]", "]")
                    : text.substring(1, text.length() - 1).replace("\"\"", "\"");
            case STRING -> {
                int start = text.charAt(0) == '\'' ? 1 : 2;
                yield text.substring(start, text.length() - 1).replace("''", "'");
            }
            default -> text;
        };
    }

    String upper() {
        return text.toUpperCase(Locale.ROOT);
    }

    @Override
    public String toString() {
        return text;
    }
}
