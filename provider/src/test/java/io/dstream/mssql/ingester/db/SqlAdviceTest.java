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

    @Test
    void clientSideErrorsHaveNoErrorNumberPrefix() {
        SQLException refused = new SQLException("The TCP/IP connection to the host h, port 1 has failed.", "08S01", 0);

        assertThat(SqlAdvice.explain(refused)).startsWith("The TCP/IP connection").contains("check host, port");
    }

    @Test
    void connectionProblemsAreSqlStateClass08() {
        assertThat(SqlAdvice.isConnectionProblem(new SQLException("reset", "08S01", 0))).isTrue();
        assertThat(SqlAdvice.isConnectionProblem(new SQLException("closed", "08003", 0))).isTrue();
        assertThat(SqlAdvice.isConnectionProblem(error(229))).isFalse();
    }
}
