package io.dstream.mssql.ingester.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * SQL in, exact JSON out, for every column type of the contract's value list: each test fills a table, then
 * compares the table's whole transcript with a golden file in {@code src/test/resources/e2e/}.
 */
class ValueTypesIT extends EmulatorTestBase {

    @Test
    void numbers() {
        db.createTracked("dbo", "ty_num", "id INT PRIMARY KEY, c_tinyint TINYINT, c_smallint SMALLINT, c_int INT, "
                + "c_bigint BIGINT, c_bit BIT, c_decimal DECIMAL(9,4), c_numeric NUMERIC(18,2), c_money MONEY, "
                + "c_smallmoney SMALLMONEY, c_float FLOAT, c_real REAL");
        ProviderProcess provider = run(config("dbo.ty_num"));

        db.exec("INSERT INTO dbo.ty_num VALUES (1, 255, -32768, 2147483647, 9223372036854775807, 1, 12.34, -1.5, "
                        + "1234.5, 1.25, 1.1, 0.5)",
                "INSERT INTO dbo.ty_num VALUES (2, 0, 32767, -2147483648, -9223372036854775808, 0, -99999.9999, "
                        + "1234567890123456.78, -922337203685477.5808, -214748.3648, -2.5E-300, -0.25)",
                "INSERT INTO dbo.ty_num (id) VALUES (3)",
                "UPDATE dbo.ty_num SET c_int = 7 WHERE id = 1",
                "DELETE FROM dbo.ty_num WHERE id = 2");

        List<JsonNode> changes = envelopeChangesUntil(provider, "dbo.ty_num", change("delete", 2));
        Golden.assertMatches("types-numbers", new Changes.Normaliser().normalise(changes));
    }

    /** real is a 4-byte float: 0.1 must come out as 0.1, not as the double 0.10000000149011612. */
    @Test
    void realIsWrittenInItsShortestForm() {
        db.createTracked("dbo", "ty_real", "id INT PRIMARY KEY, c_real REAL, c_float FLOAT");
        ProviderProcess provider = run(config("dbo.ty_real"));

        db.exec("INSERT INTO dbo.ty_real VALUES (1, 0.1, 0.1)");

        JsonNode data = envelopeChangesUntil(provider, "dbo.ty_real", change("insert", 1)).get(0).path("data");
        assertThat(data.path("c_real").toString()).isEqualTo("0.1");
        assertThat(data.path("c_float").toString()).isEqualTo("0.1");
    }

    @Test
    void datesAndTimes() {
        db.createTracked("dbo", "ty_time", "id INT PRIMARY KEY, c_date DATE, c_time7 TIME(7), c_time0 TIME(0), "
                + "c_time3 TIME(3), c_dt2_7 DATETIME2(7), c_dt2_3 DATETIME2(3), c_dt2_0 DATETIME2(0), "
                + "c_datetime DATETIME, c_smalldt SMALLDATETIME, c_dto7 DATETIMEOFFSET(7), c_dto0 DATETIMEOFFSET(0)");
        ProviderProcess provider = run(config("dbo.ty_time"));

        db.exec("INSERT INTO dbo.ty_time VALUES (1, '2024-05-01', '10:11:12.1234567', '10:11:12', '10:11:12.123', "
                        + "'2024-05-01 10:11:12.1234567', '2024-05-01 10:11:12.123', '2024-05-01 10:11:12', "
                        + "'2024-05-01 10:11:12.123', '2024-05-01 10:11:00', '2024-05-01 10:11:12.1234567+02:00', "
                        + "'2024-05-01 10:11:12-05:30')",
                "INSERT INTO dbo.ty_time VALUES (2, '0001-01-01', '00:00:00', '23:59:59', '23:59:59.999', "
                        + "'9999-12-31 23:59:59.9999999', '1900-01-01 00:00:00.000', '2000-02-29 12:00:00', "
                        + "'1753-01-01 00:00:00.000', '1900-01-01 00:00:00', '2024-05-01 00:00:00+00:00', "
                        + "'2024-05-01 00:00:00+14:00')",
                "INSERT INTO dbo.ty_time (id) VALUES (3)");

        List<JsonNode> changes = envelopeChangesUntil(provider, "dbo.ty_time", change("insert", 3));
        Golden.assertMatches("types-times", new Changes.Normaliser().normalise(changes));
    }

    @Test
    void strings() {
        db.createTracked("dbo", "ty_text", "id INT PRIMARY KEY, c_char CHAR(5), c_varchar VARCHAR(20), "
                + "c_nchar NCHAR(3), c_nvarchar NVARCHAR(50), c_nvarchar_max NVARCHAR(MAX), c_varchar_max VARCHAR(MAX), "
                + "c_xml XML");
        ProviderProcess provider = run(config("dbo.ty_text"));

        db.exec("INSERT INTO dbo.ty_text VALUES (1, 'ab', 'hello', N'é', N'héllo ✓ 日本 🙂', N'long text', 'plain', "
                        + "N'<a b=\"1\">x</a>')",
                "INSERT INTO dbo.ty_text VALUES (2, '', '', N'', N'it''s \"quoted\" \\ line1\nline2\ttab', N'', '', NULL)",
                "INSERT INTO dbo.ty_text (id) VALUES (3)",
                "DELETE FROM dbo.ty_text WHERE id = 1");

        List<JsonNode> changes = envelopeChangesUntil(provider, "dbo.ty_text", change("delete", 1));
        Golden.assertMatches("types-strings", new Changes.Normaliser().normalise(changes));
    }

    @Test
    void binaryAndGuid() {
        db.createTracked("dbo", "ty_bin", "id INT PRIMARY KEY, c_binary BINARY(4), c_varbinary VARBINARY(10), "
                + "c_varbinary_max VARBINARY(MAX), c_guid UNIQUEIDENTIFIER");
        ProviderProcess provider = run(config("dbo.ty_bin"));

        db.exec("INSERT INTO dbo.ty_bin VALUES (1, 0x01020304, 0xFF00, 0x00, '6F9619FF-8B86-D011-B42D-00C04FD430C8')",
                "INSERT INTO dbo.ty_bin VALUES (2, 0x01, 0x, 0xDEADBEEF, '6f9619ff-8b86-d011-b42d-00c04fd430c9')",
                "INSERT INTO dbo.ty_bin (id) VALUES (3)");

        List<JsonNode> changes = envelopeChangesUntil(provider, "dbo.ty_bin", change("insert", 3));
        Golden.assertMatches("types-binary", new Changes.Normaliser().normalise(changes));
    }

    /** text/ntext/image: deprecated, still in use. */
    @Test
    void legacyLargeTypes() {
        db.createTracked("dbo", "ty_legacy", "id INT PRIMARY KEY, c_text TEXT, c_ntext NTEXT, c_image IMAGE");
        ProviderProcess provider = run(config("dbo.ty_legacy"));

        db.exec("INSERT INTO dbo.ty_legacy VALUES (1, 'old text', N'old ntext ✓', 0x0102)");

        JsonNode data = envelopeChangesUntil(provider, "dbo.ty_legacy", change("insert", 1)).get(0).path("data");
        assertThat(data.path("c_text").asText()).isEqualTo("old text");
        assertThat(data.path("c_ntext").asText()).isEqualTo("old ntext ✓");
        assertThat(data.path("c_image").asText()).isEqualTo("AQI=");
    }

    /** SQL Server fills a rowversion column on every insert; CDC captures it as binary(8): base64 of 8 bytes. */
    @Test
    void rowversion() {
        db.createTracked("dbo", "ty_rowversion", "id INT PRIMARY KEY, c_rowversion ROWVERSION");
        ProviderProcess provider = run(config("dbo.ty_rowversion"));

        db.exec("INSERT INTO dbo.ty_rowversion (id) VALUES (1)");

        JsonNode data = envelopeChangesUntil(provider, "dbo.ty_rowversion", change("insert", 1)).get(0).path("data");
        assertThat(data.path("c_rowversion").asText()).as("8 bytes in base64").matches("[A-Za-z0-9+/]{11}=");
    }
}
