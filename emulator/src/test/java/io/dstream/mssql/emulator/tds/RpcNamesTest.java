package io.dstream.mssql.emulator.tds;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** How RPC procedure names and parameter definition strings are understood. */
class RpcNamesTest {

    @ParameterizedTest
    @CsvSource({
            "sp_executesql, 10", "sys.sp_executesql, 10", "[sys].[sp_executesql], 10", "master..sp_executesql, 10",
            "master.sys.sp_executesql, 10", "SP_PREPEXEC, 13", "sp_prepare, 11", "dbo.sp_execute, 12", "sp_unprepare, 15",
            "sp_cursoropen, 2", "dbo.add_numbers, -1", "sys.sp_cdc_enable_db, -1", "cdc.sp_executesql, -1"})
    void wellKnownProceduresAreRecognisedHoweverQualified(String name, int procId) {
        assertThat(new RpcCall(-1, name, List.of()).effectiveProcId()).isEqualTo(procId);
    }

    @Test
    void definitionsNameThePositionalValuesAndMarkOutputs() {
        ParamDefinitions d = ParamDefinitions.parse("@P0 int,@P1 decimal(38,2) OUTPUT, @P2 nvarchar(max),@P3 varbinary(8000) out");
        assertThat(d.definitions()).containsExactly(
                new ParamDefinitions.Definition("@P0", "int", false),
                new ParamDefinitions.Definition("@P1", "decimal(38,2)", true),
                new ParamDefinitions.Definition("@P2", "nvarchar(max)", false),
                new ParamDefinitions.Definition("@P3", "varbinary(8000)", true));
        assertThat(d.nameAt(2)).isEqualTo("@P2");
        assertThat(d.nameAt(7)).isEqualTo("@P7");
        assertThat(d.typeAt(1)).contains(io.dstream.mssql.emulator.engine.SqlType.decimal(38, 2));
        assertThat(ParamDefinitions.parse(null).definitions()).isEmpty();
        assertThat(ParamDefinitions.parse("  ").definitions()).isEmpty();
    }

    @Test
    void unknownDeclaredTypesAreLeftToTheWireType() {
        assertThat(DeclaredType.parse("sql_variant")).isEmpty();
        assertThat(DeclaredType.parse("dbo.MyTableType READONLY")).isEmpty();
    }
}
