package io.dstream.mssql.emulator.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class LexerTest {

    @Test
    void quotingRules() {
        List<Token> tokens = Lexer.tokenize("SELECT N'it''s', 'a;b', [we]]ird], \"q\"\"x\", 0x0A0B, @v, @@SPID");
        assertThat(tokens).extracting(Token::kind).containsExactly(Token.Kind.WORD, Token.Kind.STRING, Token.Kind.SYMBOL,
                Token.Kind.STRING, Token.Kind.SYMBOL, Token.Kind.QUOTED_ID, Token.Kind.SYMBOL, Token.Kind.QUOTED_ID,
                Token.Kind.SYMBOL, Token.Kind.BINARY, Token.Kind.SYMBOL, Token.Kind.VARIABLE, Token.Kind.SYMBOL,
                Token.Kind.SYSTEM_VARIABLE);
        assertThat(tokens.get(1).value()).isEqualTo("it's");
        assertThat(tokens.get(5).value()).isEqualTo("we]ird");
        assertThat(tokens.get(7).value()).isEqualTo("q\"x");
    }

    @Test
    void commentsNestAndLinesAreCounted() {
        List<Token> tokens = Lexer.tokenize("SELECT /* outer /* inner */ still comment */ 1 -- trailing\n, 2");
        assertThat(tokens).extracting(Token::text).containsExactly("SELECT", "1", ",", "2");
        assertThat(tokens.get(2).line()).isEqualTo(2);
    }

    @Test
    void unclosedQuotesAreSqlServerErrors() {
        assertThatThrownBy(() -> Lexer.tokenize("SELECT 'abc"))
                .isInstanceOfSatisfying(SqlError.class, e -> assertThat(e.number()).isEqualTo(105));
        assertThatThrownBy(() -> Lexer.tokenize("SELECT 1 /* open"))
                .isInstanceOfSatisfying(SqlError.class, e -> assertThat(e.number()).isEqualTo(113));
    }
}
