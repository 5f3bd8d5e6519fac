package io.dstream.mssql.bench.scenario;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ScaleScenarioTest {

    @Test
    void quotesTheProvidersOwnMessageFromItsErrorLine() {
        assertThat(ScaleScenario.errorMessage("{\"status\":\"error\",\"message\":\"startup took longer than 14 s: x\"}"))
                .isEqualTo("startup took longer than 14 s: x");
    }

    @Test
    void quotesAnyOtherFirstLineWholeAndSaysWhenThereWasNone() {
        assertThat(ScaleScenario.errorMessage("not json")).isEqualTo("not json");
        assertThat(ScaleScenario.errorMessage("{\"status\":\"weird\"}")).isEqualTo("{\"status\":\"weird\"}");
        assertThat(ScaleScenario.errorMessage(null)).isEqualTo("the provider exited without a line");
    }
}
