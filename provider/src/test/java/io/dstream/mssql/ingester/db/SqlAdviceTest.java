package io.dstream.mssql.ingester.db;

import org.junit.jupiter.api.Test;

import java.sql.SQLException;

import static org.assertj.core.api.Assertions.assertThat;

class SqlAdviceTest {

    private static SQLException error(int number) {
        return new SQLException("message " + number + "\nsecond line", "S0001", number);
    }

    @Test
    void knownNumbersSayWhatToDo() {
        assertThat(SqlAdvice.explain(error(18456))).isEqualTo(
                "SQL Server error 18456: message 18456 (login failed: check the user and password in db_connection_string)");
        assertThat(SqlAdvice.explain(error(4060))).contains("cannot open the database");
        assertThat(SqlAdvice.explain(error(229))).contains("grant the login SELECT on the cdc schema");
        assertThat(SqlAdvice.explain(error(230))).contains("grant the login SELECT on the cdc schema");
        assertThat(SqlAdvice.explain(error(208))).contains("CDC was disabled");
        assertThat(SqlAdvice.explain(error(313))).contains("invalid LSN range");
        assertThat(SqlAdvice.explain(error(22911))).contains("Change Data Capture");
        assertThat(SqlAdvice.explain(error(50000))).isEqualTo("SQL Server error 50000: message 50000");
    }

    /** A 208 on the checkpoint table used to blame the source table ("the table was dropped, CDC was disabled"). */
    @Test
    void errorsOfCheckpointStatementsNameTheCheckpointTable() {
        SQLException missing = SqlAdvice.onCheckpointTable("dbo.cdc_offsets", error(208));
        SQLException denied = SqlAdvice.onCheckpointTable("dbo.cdc_offsets", error(229));

        assertThat(SqlAdvice.explain(missing)).startsWith("SQL Server error 208: message 208 (the checkpoint table dbo.cdc_offsets is missing")
                .contains("command init").doesNotContain("CDC was disabled");
        assertThat(SqlAdvice.explain(denied)).contains("permission denied on the checkpoint table dbo.cdc_offsets")
                .doesNotContain("cdc schema");
        assertThat(SqlAdvice.explain(SqlAdvice.onCheckpointTable("dbo.cdc_offsets", error(18456)))).contains("login failed");
        assertThat(missing.getErrorCode()).isEqualTo(208);
        assertThat(missing.getSQLState()).isEqualTo("S0001");
        assertThat((Throwable) SqlAdvice.onCheckpointTable("dbo.other", missing)).isSameAs(missing);
    }

    @Test
    void clientSideErrorsHaveNoErrorNumberPrefix() {
        SQLException refused = new SQLException("The TCP/IP connection to the host h, port 1 has failed.", "08S01", 0);

        assertThat(SqlAdvice.explain(refused)).startsWith("The TCP/IP connection").contains("check host, port");
    }

    @Test
    void anUntrustedServerCertificateSaysHowToTrustIt() {
        SQLException pkix = new SQLException("The driver could not establish a secure connection to SQL Server by using "
                + "Secure Sockets Layer (SSL) encryption: Error: PKIX path building failed: unable to find valid "
                + "certification path to requested target.", "08S01", 0);

        assertThat(SqlAdvice.explain(pkix)).contains("certificate is not trusted here").contains("trustStore=")
                .contains("trustservercertificate=true").doesNotContain("encrypt=false");
    }

    @Test
    void connectionProblemsAreSqlStateClass08() {
        assertThat(SqlAdvice.isConnectionProblem(new SQLException("reset", "08S01", 0))).isTrue();
        assertThat(SqlAdvice.isConnectionProblem(new SQLException("closed", "08003", 0))).isTrue();
        assertThat(SqlAdvice.isConnectionProblem(error(229))).isFalse();
    }
}
