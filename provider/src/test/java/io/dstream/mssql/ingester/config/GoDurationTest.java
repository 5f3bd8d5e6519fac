package io.dstream.mssql.ingester.config;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class GoDurationTest {

    @ParameterizedTest
    @CsvSource({
            "300ms, 300000000",
            "5s, 5000000000",
            "1m30s, 90000000000",
            "1h, 3600000000000",
            "1.5s, 1500000000",
            "2h45m, 9900000000000",
            "100us, 100000",
            "100µs, 100000",
            "7ns, 7",
            "0, 0",
            ".5s, 500000000",
            "-1s, -1000000000",
            "2562047h47m16.854775807s, 9223372036854775807",
            "-2562047h47m16.854775808s, -9223372036854775808"})
    void parsesGoSyntax(String text, long nanos) {
        GoDuration d = GoDuration.parse(text);

        assertThat(d.duration()).isEqualTo(Duration.ofNanos(nanos));
        assertThat(d.text()).isEqualTo(text);
        assertThat(d).hasToString(text);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "5", "5 seconds", "5sec", "s", "1m 30s", "5S", "1d", "ms5"})
    void rejectsWhatGoRejects(String text) {
        assertThatThrownBy(() -> GoDuration.parse(text))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("is not a Go duration")
                .hasMessageContaining("\"1m30s\"");
    }

    /** Beyond Go's int64 nanoseconds the value used to wrap around and be reported as "must be greater than zero". */
    @ParameterizedTest
    @ValueSource(strings = {"2562047h47m16.854775808s", "2562048h", "3000000h", "1000000000000h", "9223372036854775808ns"})
    void rejectsWhatIsLargerThanGoAllows(String text) {
        assertThatThrownBy(() -> GoDuration.parse(text))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("\"" + text + "\" is larger than the largest Go duration (2562047h47m16.854775807s, about 292 years)");
    }

    @Test
    void rejectsWhatIsSmallerThanGoAllows() {
        assertThatThrownBy(() -> GoDuration.parse("-2562048h"))
                .hasMessageContaining("is smaller than the smallest Go duration (-2562047h47m16.854775808s, about -292 years)");
    }
}
