package io.dstream.mssql.emulator.tds;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** LOGIN7's TDSVersion is a little-endian integer (MS-TDS 2.2.6.4), unlike LOGINACK's big-endian one. */
class Login7Test {

    @Test
    void versionBytesAsMssqlJdbcSendsThemAreTds74() {
        assertThat(Login7.parse(login7WithVersionBytes(0x04, 0x00, 0x00, 0x74)).tdsVersion()).isEqualTo(0x74000004);
    }

    @Test
    void olderVersionsCompareBelowTds72() {
        int tds71 = Login7.parse(login7WithVersionBytes(0x01, 0x00, 0x00, 0x71)).tdsVersion();
        int tds72 = Login7.parse(login7WithVersionBytes(0x02, 0x00, 0x09, 0x72)).tdsVersion();
        assertThat(tds71).isEqualTo(0x71000001);
        assertThat(tds72).isEqualTo(0x72090002);
        assertThat(Integer.compareUnsigned(tds71, tds72)).isNegative();
        assertThat(Integer.compareUnsigned(0x74000004, tds72)).isPositive();
    }

    /** The fixed part only, every variable field empty. */
    private static byte[] login7WithVersionBytes(int b0, int b1, int b2, int b3) {
        byte[] payload = new byte[94];
        payload[0] = 94;
        payload[4] = (byte) b0;
        payload[5] = (byte) b1;
        payload[6] = (byte) b2;
        payload[7] = (byte) b3;
        return payload;
    }
}
