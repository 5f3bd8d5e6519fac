package io.dstream.mssql.emulator.tds;

import io.dstream.mssql.emulator.engine.SqlError;
import io.dstream.mssql.emulator.engine.SqlType;
import io.dstream.mssql.emulator.engine.SqlType.Kind;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.ByteArrayOutputStream;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Every SQL type through the encoder (TYPE_INFO + value, as in COLMETADATA/ROW/RETURNVALUE) and
 * back through the decoder (as RPC parameters arrive): same type, same value.
 */
class ValueCodecTest {

    record Case(SqlType type, Object value) {
        @Override
        public String toString() {
            String v = value instanceof byte[] b ? b.length + " bytes" : String.valueOf(value);
            return type.sqlName() + " " + (v.length() > 40 ? v.substring(0, 40) + "…" : v);
        }
    }

    static List<Case> cases() {
        List<Case> c = new ArrayList<>();
        c.add(new Case(SqlType.of(Kind.TINYINT), (short) 0));
        c.add(new Case(SqlType.of(Kind.TINYINT), (short) 255));
        c.add(new Case(SqlType.of(Kind.SMALLINT), Short.MIN_VALUE));
        c.add(new Case(SqlType.of(Kind.INT), Integer.MAX_VALUE));
        c.add(new Case(SqlType.of(Kind.BIGINT), Long.MIN_VALUE));
        c.add(new Case(SqlType.of(Kind.BIT), false));
        c.add(new Case(SqlType.decimal(38, 0), new BigDecimal("99999999999999999999999999999999999999")));
        c.add(new Case(SqlType.decimal(38, 0), new BigDecimal("-99999999999999999999999999999999999999")));
        c.add(new Case(SqlType.decimal(38, 38), new BigDecimal("0.00000000000000000000000000000000000001")));
        c.add(new Case(SqlType.decimal(9, 2), new BigDecimal("-1234567.89")));
        c.add(new Case(SqlType.decimal(19, 4), new BigDecimal("922337203685477.5807")));
        c.add(new Case(SqlType.decimal(28, 10), new BigDecimal("-123456789012345678.0123456789")));
        c.add(new Case(new SqlType(Kind.NUMERIC, 0, 10, 0), new BigDecimal("1234567890")));
        c.add(new Case(SqlType.of(Kind.MONEY), new BigDecimal("922337203685477.5807")));
        c.add(new Case(SqlType.of(Kind.MONEY), new BigDecimal("-922337203685477.5808")));
        c.add(new Case(SqlType.of(Kind.SMALLMONEY), new BigDecimal("214748.3647")));
        c.add(new Case(SqlType.of(Kind.SMALLMONEY), new BigDecimal("-214748.3648")));
        c.add(new Case(SqlType.of(Kind.FLOAT), -Double.MAX_VALUE));
        c.add(new Case(SqlType.of(Kind.REAL), 3.4028235e38f));
        c.add(new Case(SqlType.of(Kind.DATE), LocalDate.of(1, 1, 1)));
        c.add(new Case(SqlType.of(Kind.DATE), LocalDate.of(9999, 12, 31)));
        for (int scale = 0; scale <= 7; scale++) {
            int nanos = (int) (999_999_999L / Temporal.nanosPerTick(scale) * Temporal.nanosPerTick(scale));
            c.add(new Case(SqlType.temporal(Kind.TIME, scale), LocalTime.of(23, 59, 59, nanos)));
            c.add(new Case(SqlType.temporal(Kind.DATETIME2, scale), LocalDateTime.of(9999, 12, 31, 23, 59, 59, nanos)));
            c.add(new Case(SqlType.temporal(Kind.DATETIMEOFFSET, scale),
                    OffsetDateTime.of(2024, 1, 1, 0, 30, 0, nanos, ZoneOffset.ofHoursMinutes(5, 45))));
        }
        c.add(new Case(SqlType.temporal(Kind.DATETIMEOFFSET, 7), OffsetDateTime.of(1, 1, 1, 14, 0, 0, 0, ZoneOffset.ofHours(14))));
        c.add(new Case(SqlType.temporal(Kind.DATETIMEOFFSET, 7),
                OffsetDateTime.of(9999, 12, 31, 9, 59, 59, 999_999_900, ZoneOffset.ofHours(-14))));
        c.add(new Case(SqlType.of(Kind.DATETIME), LocalDateTime.of(1753, 1, 1, 0, 0)));
        c.add(new Case(SqlType.of(Kind.DATETIME), LocalDateTime.of(9999, 12, 31, 23, 59, 59, 997_000_000)));
        c.add(new Case(SqlType.of(Kind.DATETIME), LocalDateTime.of(2024, 2, 29, 12, 0, 0, 3_000_000)));
        c.add(new Case(SqlType.of(Kind.DATETIME), LocalDateTime.of(2024, 2, 29, 12, 0, 0, 7_000_000)));
        c.add(new Case(SqlType.of(Kind.SMALLDATETIME), LocalDateTime.of(1900, 1, 1, 0, 0)));
        c.add(new Case(SqlType.of(Kind.SMALLDATETIME), LocalDateTime.of(2079, 6, 6, 23, 59)));
        c.add(new Case(SqlType.sized(Kind.CHAR, 10), "abc       "));
        c.add(new Case(SqlType.sized(Kind.VARCHAR, 50), "café £ – ok"));
        c.add(new Case(SqlType.sized(Kind.VARCHAR, SqlType.MAX), "x".repeat(100_000)));
        c.add(new Case(SqlType.sized(Kind.NCHAR, 5), "ab✓𝄞"));
        c.add(new Case(SqlType.sized(Kind.NVARCHAR, 4000), "é".repeat(4000)));
        c.add(new Case(SqlType.sized(Kind.NVARCHAR, SqlType.MAX), "ab✓".repeat(20_000)));
        c.add(new Case(SqlType.sized(Kind.NVARCHAR, 10), ""));
        c.add(new Case(SqlType.sized(Kind.NVARCHAR, SqlType.MAX), ""));
        c.add(new Case(SqlType.sized(Kind.BINARY, 4), new byte[] {1, 2, 3, 4}));
        c.add(new Case(SqlType.sized(Kind.VARBINARY, 8000), bytes(8000)));
        c.add(new Case(SqlType.sized(Kind.VARBINARY, SqlType.MAX), bytes(100_000)));
        c.add(new Case(SqlType.of(Kind.UNIQUEIDENTIFIER), UUID.fromString("00112233-4455-6677-8899-aabbccddeeff")));
        c.add(new Case(SqlType.of(Kind.XML), "<r a=\"1\">✓</r>"));
        for (Kind k : Kind.values()) {
            SqlType t = switch (k) {
                case CHAR, VARCHAR, NCHAR, NVARCHAR, BINARY, VARBINARY -> SqlType.sized(k, 10);
                default -> SqlType.of(k);
            };
            c.add(new Case(t, null));
            if (t.length() > 0) {
                c.add(new Case(SqlType.sized(k, k == Kind.CHAR || k == Kind.NCHAR || k == Kind.BINARY ? 8000 / 2 : SqlType.MAX), null));
            }
        }
        return c;
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void encodesAndDecodesToTheSameTypeAndValue(Case k) {
        PayloadReader r = new PayloadReader(encode(k.type(), k.value()));
        TypeInfo info = TypeInfo.read(r);
        Object back = ValueDecoder.read(info, r);
        assertThat(r.remaining()).isZero();
        assertThat(info.sqlType()).isEqualTo(k.type());
        if (k.value() instanceof BigDecimal d) {
            assertThat((BigDecimal) back).isEqualByComparingTo(d);
        } else if (k.value() instanceof OffsetDateTime o) {
            assertThat(back).isEqualTo(o); // same instant and same offset
        } else {
            assertThat(back).isEqualTo(k.value());
        }
    }

    @Test
    void valuesInOtherJavaFormsAreConverted() throws Exception {
        assertThat(roundTrip(SqlType.of(Kind.INT), (byte) 7)).isEqualTo(7);
        assertThat(roundTrip(SqlType.of(Kind.SMALLINT), 7)).isEqualTo((short) 7);
        assertThat(roundTrip(SqlType.decimal(10, 2), 12.5d)).isEqualTo(new BigDecimal("12.50"));
        assertThat(roundTrip(SqlType.of(Kind.BIT), 1)).isEqualTo(true);
        assertThat(roundTrip(SqlType.temporal(Kind.DATETIME2, 7), java.sql.Timestamp.valueOf("2024-05-01 10:11:12.1234567")))
                .isEqualTo(LocalDateTime.of(2024, 5, 1, 10, 11, 12, 123_456_700));
        assertThat(roundTrip(SqlType.temporal(Kind.DATETIMEOFFSET, 7), java.time.Instant.parse("2024-05-01T10:11:12Z")))
                .isEqualTo(OffsetDateTime.of(2024, 5, 1, 10, 11, 12, 0, ZoneOffset.UTC));
        assertThat(roundTrip(SqlType.of(Kind.DATE), java.sql.Date.valueOf("2024-02-29"))).isEqualTo(LocalDate.of(2024, 2, 29));
        assertThat(roundTrip(SqlType.of(Kind.UNIQUEIDENTIFIER), "00112233-4455-6677-8899-aabbccddeeff"))
                .isEqualTo(UUID.fromString("00112233-4455-6677-8899-aabbccddeeff"));
        assertThat(roundTrip(SqlType.sized(Kind.NVARCHAR, SqlType.MAX), new javax.sql.rowset.serial.SerialClob("ab✓".toCharArray())))
                .isEqualTo("ab✓");
        assertThat(roundTrip(SqlType.sized(Kind.VARBINARY, SqlType.MAX), new javax.sql.rowset.serial.SerialBlob(new byte[] {1, 2})))
                .isEqualTo(new byte[] {1, 2});
        assertThatThrownBy(() -> encode(SqlType.sized(Kind.VARBINARY, 10), "text"))
                .isInstanceOfSatisfying(SqlError.class, e -> assertThat(e.number()).isEqualTo(257));
    }

    @Test
    void uniqueidentifierTravelsWithItsFirstThreeGroupsLittleEndian() {
        byte[] wire = encode(SqlType.of(Kind.UNIQUEIDENTIFIER), UUID.fromString("00112233-4455-6677-8899-aabbccddeeff"));
        assertThat(Arrays.copyOfRange(wire, 3, 19)).containsExactly(0x33, 0x22, 0x11, 0x00, 0x55, 0x44, 0x77, 0x66,
                0x88, 0x99, 0xAA, 0xBB, 0xCC, 0xDD, 0xEE, 0xFF);
    }

    @Test
    void aDatetimeoffsetBeforeYearOneInUtcIsAnOutOfRangeError() {
        assertThatThrownBy(() -> encode(SqlType.temporal(Kind.DATETIMEOFFSET, 7),
                OffsetDateTime.of(1, 1, 1, 0, 0, 0, 0, ZoneOffset.ofHours(14))))
                .isInstanceOfSatisfying(SqlError.class, e -> assertThat(e.number()).isEqualTo(242));
    }

    @Test
    void datetimeRoundsToThreeHundredthsOfASecondLikeSqlServer() {
        assertThat(roundTrip(SqlType.of(Kind.DATETIME), LocalDateTime.of(2024, 1, 1, 10, 0, 0, 2_000_000)))
                .isEqualTo(LocalDateTime.of(2024, 1, 1, 10, 0, 0, 3_000_000));
        assertThat(roundTrip(SqlType.of(Kind.DATETIME), LocalDateTime.of(2024, 12, 31, 23, 59, 59, 999_000_000)))
                .isEqualTo(LocalDateTime.of(2025, 1, 1, 0, 0));
    }

    @Test
    void smalldatetimeRoundsUpFrom29Point999Seconds() {
        assertThat(roundTrip(SqlType.of(Kind.SMALLDATETIME), LocalDateTime.of(2024, 1, 1, 10, 0, 29, 998_000_000)))
                .isEqualTo(LocalDateTime.of(2024, 1, 1, 10, 0));
        assertThat(roundTrip(SqlType.of(Kind.SMALLDATETIME), LocalDateTime.of(2024, 1, 1, 10, 0, 29, 999_000_000)))
                .isEqualTo(LocalDateTime.of(2024, 1, 1, 10, 1));
    }

    @Test
    void datetime2RoundsToItsScaleAndCarriesIntoTheNextDay() {
        assertThat(roundTrip(SqlType.temporal(Kind.DATETIME2, 3), LocalDateTime.of(2024, 1, 1, 0, 0, 0, 123_456_789)))
                .isEqualTo(LocalDateTime.of(2024, 1, 1, 0, 0, 0, 123_000_000));
        assertThat(roundTrip(SqlType.temporal(Kind.DATETIME2, 0), LocalDateTime.of(2024, 1, 1, 23, 59, 59, 600_000_000)))
                .isEqualTo(LocalDateTime.of(2024, 1, 2, 0, 0));
    }

    @Test
    void longTextIsChunkedPlpAcrossPackets() {
        String text = "0123456789".repeat(5_000);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ResponseWriter w = new ResponseWriter(out, 51, 512);
        ValueEncoder.writeTypeInfo(w, SqlType.sized(Kind.NVARCHAR, SqlType.MAX));
        ValueEncoder.writeValue(w, SqlType.sized(Kind.NVARCHAR, SqlType.MAX), text);
        w.endMessage();
        byte[] joined = PacketsTest.payloadOf(out.toByteArray(), 512);
        PayloadReader r = new PayloadReader(joined);
        assertThat(ValueDecoder.read(TypeInfo.read(r), r)).isEqualTo(text);
    }

    @ParameterizedTest
    @EnumSource(Kind.class)
    void declaredTypeNamesParseBack(Kind kind) {
        SqlType t = switch (kind) {
            case DECIMAL -> SqlType.decimal(38, 10);
            case NUMERIC -> new SqlType(Kind.NUMERIC, 0, 12, 3);
            case TIME, DATETIME2, DATETIMEOFFSET -> SqlType.temporal(kind, 3);
            case CHAR, NCHAR, BINARY -> SqlType.sized(kind, 20);
            case VARCHAR, NVARCHAR, VARBINARY -> SqlType.sized(kind, SqlType.MAX);
            default -> SqlType.of(kind);
        };
        assertThat(DeclaredType.parse(t.sqlName())).contains(t);
        assertThat(DeclaredType.parse(t.sqlName().toUpperCase())).contains(t);
    }

    private static Object roundTrip(SqlType type, Object value) {
        PayloadReader r = new PayloadReader(encode(type, value));
        return ValueDecoder.read(TypeInfo.read(r), r);
    }

    static byte[] encode(SqlType type, Object value) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ResponseWriter w = new ResponseWriter(out, 51, Tds.MAX_PACKET_SIZE);
        ValueEncoder.writeTypeInfo(w, type);
        ValueEncoder.writeValue(w, type, value);
        w.endMessage();
        return PacketsTest.payloadOf(out.toByteArray(), Tds.MAX_PACKET_SIZE);
    }

    private static byte[] bytes(int n) {
        byte[] b = new byte[n];
        for (int i = 0; i < n; i++) {
            b[i] = (byte) (i * 31);
        }
        return b;
    }
}
