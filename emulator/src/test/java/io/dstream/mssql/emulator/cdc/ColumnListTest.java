package io.dstream.mssql.emulator.cdc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.dstream.mssql.emulator.engine.SqlError;
import org.junit.jupiter.api.Test;

class ColumnListTest {

    @Test
    void parsesPlainBracketedAndQuotedNames() {
        assertThat(ColumnList.parse(" id , [first name],\"a,b\", [x]]y] ,z"))
                .containsExactly("id", "first name", "a,b", "x]y", "z");
    }

    @Test
    void unterminatedQuoteIs22965() {
        assertThatThrownBy(() -> ColumnList.parse("id, [name"))
                .isInstanceOfSatisfying(SqlError.class, e -> assertThat(e.number()).isEqualTo(22965));
    }
}
