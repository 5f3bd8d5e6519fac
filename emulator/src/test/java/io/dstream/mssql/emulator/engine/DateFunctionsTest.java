package io.dstream.mssql.emulator.engine;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

/**
 * DATEPART and DATENAME for every documented datepart, TODATETIMEOFFSET and SWITCHOFFSET, with the
 * values SQL Server's documentation gives (us_english, DATEFIRST 7).
 */
class DateFunctionsTest extends SessionTestBase {

    private static final String T = "CAST('2024-12-01 13:14:15.1234567 +05:30' AS datetimeoffset(7))";

    @Test
    void datePartAnswersEachDatepartAndItsAbbreviations() {
        String[][] expected = {
                {"year", "2024"}, {"yy", "2024"}, {"yyyy", "2024"}, {"quarter", "4"}, {"qq", "4"}, {"q", "4"},
                {"month", "12"}, {"mm", "12"}, {"m", "12"}, {"dayofyear", "336"}, {"dy", "336"}, {"y", "336"},
                {"day", "1"}, {"dd", "1"}, {"d", "1"}, {"week", "49"}, {"wk", "49"}, {"ww", "49"},
                {"weekday", "1"}, {"dw", "1"}, {"hour", "13"}, {"hh", "13"}, {"minute", "14"}, {"mi", "14"},
                {"n", "14"}, {"second", "15"}, {"ss", "15"}, {"s", "15"}, {"millisecond", "123"}, {"ms", "123"},
                {"microsecond", "123456"}, {"mcs", "123456"}, {"nanosecond", "123456700"}, {"ns", "123456700"},
                {"tzoffset", "330"}, {"tz", "330"}, {"iso_week", "48"}, {"isowk", "48"}, {"isoww", "48"}};
        for (String[] e : expected) {
            assertThat(scalar(session, "SELECT DATEPART(" + e[0] + ", " + T + ")")).as(e[0]).isEqualTo(Integer.parseInt(e[1]));
        }
    }

    @Test
    void weeksStartOnSundayAndWeekOneHoldsJanuaryFirst() {
        // 2021-01-01 is a Friday: Sunday the 3rd starts week 2; ISO puts it in 2020's week 53
        assertThat(scalar(session, "SELECT DATEPART(week, CAST('2021-01-02' AS date))")).isEqualTo(1);
        assertThat(scalar(session, "SELECT DATEPART(week, CAST('2021-01-03' AS date))")).isEqualTo(2);
        assertThat(scalar(session, "SELECT DATEPART(iso_week, CAST('2021-01-03' AS date))")).isEqualTo(53);
        assertThat(scalar(session, "SELECT DATEPART(weekday, CAST('2021-01-02' AS date))")).isEqualTo(7);
    }

    @Test
    void dateNameSpellsMonthsWeekdaysAndOffsets() {
        assertThat(scalar(session, "SELECT DATENAME(month, " + T + ")")).isEqualTo("December");
        assertThat(scalar(session, "SELECT DATENAME(weekday, " + T + ")")).isEqualTo("Sunday");
        assertThat(scalar(session, "SELECT DATENAME(tzoffset, " + T + ")")).isEqualTo("+05:30");
        assertThat(scalar(session, "SELECT DATENAME(year, " + T + ")")).isEqualTo("2024");
        assertThat(scalar(session, "SELECT DATENAME(tz, CAST('2024-12-01 10:00:00' AS datetime2))")).isEqualTo("+00:00");
    }

    @Test
    void valuesWithoutThePartAreRefusedOrHaveNoOffset() {
        assertThat(scalar(session, "SELECT DATEPART(tzoffset, CAST('2024-12-01 10:00:00' AS datetime2))")).isEqualTo(0);
        assertThat(error(session, "SELECT DATEPART(hour, CAST('2024-12-01' AS date))").number()).isEqualTo(9810);
        assertThat(error(session, "SELECT DATEPART(year, CAST('10:00:00' AS time))").number()).isEqualTo(9810);
        assertThat(error(session, "SELECT DATEPART(fortnight, SYSDATETIME())").number()).isEqualTo(155);
        assertThat(scalar(session, "SELECT DATEPART(month, NULL)")).isNull();
    }

    @Test
    void toDateTimeOffsetKeepsTheLocalTimeAndSwitchOffsetTheInstant() {
        assertThat(scalar(session, "SELECT TODATETIMEOFFSET(CAST('2024-12-01 10:00:00.1234567' AS datetime2), 330)"))
                .isEqualTo(OffsetDateTime.of(2024, 12, 1, 10, 0, 0, 123_456_700, ZoneOffset.ofHoursMinutes(5, 30)));
        assertThat(scalar(session, "SELECT TODATETIMEOFFSET(CAST('2024-12-01 10:00:00' AS datetime2), '-05:00')"))
                .isEqualTo(OffsetDateTime.of(2024, 12, 1, 10, 0, 0, 0, ZoneOffset.ofHours(-5)));
        assertThat(scalar(session, "SELECT SWITCHOFFSET(" + T + ", '+00:00')"))
                .isEqualTo(OffsetDateTime.of(2024, 12, 1, 7, 44, 15, 123_456_700, ZoneOffset.UTC));
        // Debezium's change query stamps each commit time with the server's current offset
        assertThat(scalar(session, "SELECT CASE WHEN DATEPART(tzoffset, TODATETIMEOFFSET(SYSDATETIME(), "
                + "DATEPART(TZOFFSET, SYSDATETIMEOFFSET()))) = DATEPART(TZOFFSET, SYSDATETIMEOFFSET()) THEN 1 END"))
                .isEqualTo(1);
        assertThat(error(session, "SELECT TODATETIMEOFFSET(SYSDATETIME(), 900)").number()).isEqualTo(9812);
    }
}
