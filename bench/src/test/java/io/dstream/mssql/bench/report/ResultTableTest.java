package io.dstream.mssql.bench.report;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ResultTableTest {

    @Test
    void padsEveryColumnToItsWidestCell() {
        String table = ResultTable.format(List.of(
                new Outcome("drain", "50,000 changes: ratio 0.91", "ratio >= 0.80", Verdict.MET, Map.of()),
                new Outcome("startup", "ready after 900 ms", "median < 1500 ms", Verdict.MISSED, Map.of())));
        assertThat(table).isEqualTo(""
                + "scenario  result                      target            verdict\n"
                + "--------  --------------------------  ----------------  -------\n"
                + "drain     50,000 changes: ratio 0.91  ratio >= 0.80     met\n"
                + "startup   ready after 900 ms          median < 1500 ms  missed\n");
    }

    @Test
    void anErrorRowSaysWhy() {
        String table = ResultTable.format(List.of(Outcome.error("idle", "-", "emulator did not start")));
        assertThat(table).contains("idle      error: emulator did not start  -       error");
    }

    @Test
    void aLongFigureIsCutInTheTableOnly() {
        String reason = "x".repeat(200);
        String table = ResultTable.format(List.of(Outcome.error("idle", "-", reason)));
        assertThat(table.lines().skip(2).findFirst().orElseThrow())
                .contains("error: " + "x".repeat(ResultTable.MAX_FIGURE - 10) + "...")
                .doesNotContain("x".repeat(ResultTable.MAX_FIGURE));
    }

    @Test
    void jsonCarriesVerdictAndDetailsPerScenario() throws Exception {
        String json = JsonReport.toJson(Map.of("mode", "quick"),
                List.of(new Outcome("drain", "ratio 0.91", "ratio >= 0.80", Verdict.MET, Map.of("ratio", 0.91))));
        assertThat(json.replaceAll("\\s", "")).isEqualTo(
                "{\"mode\":\"quick\",\"scenarios\":{\"drain\":{\"result\":\"ratio0.91\",\"target\":\"ratio>=0.80\","
                        + "\"verdict\":\"met\",\"ratio\":0.91}}}");
    }
}
