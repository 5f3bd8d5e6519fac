package io.dstream.mssql.ingester.config;

import org.junit.jupiter.api.Test;

import java.util.Properties;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ConnectionStringsTest {

    @Test
    void adoNet() {
        JdbcTarget t = ConnectionStrings.parse("server=db.example.com,1433;database=testdb;user id=sa;password=p@ss;word;"
                .replace("p@ss;word", "\"p@ss;word\"") + "encrypt=false;trustservercertificate=true");

        assertThat(t.url()).isEqualTo("jdbc:sqlserver://db.example.com:1433");
        assertThat(t.host()).isEqualTo("db.example.com");
        assertThat(t.database()).isEqualTo("testdb");
        Properties p = t.driverProperties();
        assertThat(p).containsEntry("user", "sa").containsEntry("password", "p@ss;word")
                .containsEntry("databaseName", "testdb").containsEntry("encrypt", "false")
                .containsEntry("trustServerCertificate", "true").containsEntry("loginTimeout", "10");
    }

    @Test
    void adoNetAliasesTcpPrefixAndNamedInstance() {
        JdbcTarget t = ConnectionStrings.parse("Data Source=tcp:sqlhost\\SQLEXPRESS;Initial Catalog=Shop;UID=app;PWD=x;Encrypt=True");

        assertThat(t.url()).isEqualTo("jdbc:sqlserver://sqlhost\\SQLEXPRESS");
        assertThat(t.host()).isEqualTo("sqlhost");
        assertThat(t.database()).isEqualTo("Shop");
        assertThat(t.driverProperties()).containsEntry("user", "app").containsEntry("password", "x").containsEntry("encrypt", "true");
    }

    /** As the Azure portal shows it: .NET-only options are accepted and ignored. */
    @Test
    void azurePortalAdoNetString() {
        JdbcTarget t = ConnectionStrings.parse("Server=tcp:myserver.database.windows.net,1433;Initial Catalog=shop;"
                + "Persist Security Info=False;User ID=app;Password=p;MultipleActiveResultSets=False;Encrypt=True;"
                + "TrustServerCertificate=False;Connection Timeout=30;");

        assertThat(t.url()).isEqualTo("jdbc:sqlserver://myserver.database.windows.net:1433");
        assertThat(t.database()).isEqualTo("shop");
        assertThat(t.driverProperties()).containsEntry("encrypt", "true").containsEntry("trustServerCertificate", "False")
                .containsEntry("loginTimeout", "30").doesNotContainKey("persistsecurityinfo");
    }

    @Test
    void goMssqldbUrl() {
        JdbcTarget t = ConnectionStrings.parse("sqlserver://sa:p%40ss%3Bword@localhost:14330/inst?database=testdb&encrypt=disable&TrustServerCertificate=true");

        assertThat(t.url()).isEqualTo("jdbc:sqlserver://localhost\\inst:14330");
        assertThat(t.host()).isEqualTo("localhost");
        assertThat(t.database()).isEqualTo("testdb");
        assertThat(t.driverProperties()).containsEntry("user", "sa").containsEntry("password", "p@ss;word")
                .containsEntry("encrypt", "false").containsEntry("trustServerCertificate", "true");
    }

    @Test
    void jdbc() {
        JdbcTarget t = ConnectionStrings.parse("jdbc:sqlserver://localhost:1433;databaseName=testdb;user=sa;password=secret;encrypt=false;sendTimeAsDatetime=false");

        assertThat(t.url()).isEqualTo("jdbc:sqlserver://localhost:1433");
        assertThat(t.database()).isEqualTo("testdb");
        assertThat(t.driverProperties()).containsEntry("user", "sa").containsEntry("password", "secret")
                .containsEntry("sendTimeAsDatetime", "false").containsEntry("encrypt", "false");
    }

    /** Names as mssql-jdbc documents them, in any case, and its URL synonyms. */
    @Test
    void jdbcPropertiesTheDriverKnowsAreKept() {
        JdbcTarget t = ConnectionStrings.parse("jdbc:sqlserver://h;database=d;userName=u;PASSWORD=p;domainName=corp;"
                + "SENDTIMEASDATETIME=false;applicationIntent=ReadOnly;retryExec=x;iPAddressPreference=IPv6First;queryTimeout=5");

        assertThat(t.database()).isEqualTo("d");
        assertThat(t.driverProperties()).containsEntry("databaseName", "d").containsEntry("user", "u")
                .containsEntry("password", "p").containsEntry("domain", "corp").containsEntry("sendTimeAsDatetime", "false")
                .containsEntry("applicationIntent", "ReadOnly").containsEntry("retryExec", "x")
                .containsEntry("iPAddressPreference", "IPv6First").containsEntry("queryTimeout", "5");
    }

    /** The ADO.NET and URL forms refused an unknown option; the JDBC form used to pass it to the driver, which ignores it. */
    @Test
    void anUnknownJdbcPropertyIsRefusedLikeInTheOtherForms() {
        assertThatThrownBy(() -> ConnectionStrings.parse("jdbc:sqlserver://h;databaseName=d;password=TopSecret1;colour=blue"))
                .hasMessageStartingWith("db_connection_string has an unsupported JDBC property \"colour\"; mssql-jdbc's properties")
                .hasMessageNotContaining("TopSecret1").hasMessageNotContaining("blue");
        assertThatThrownBy(() -> ConnectionStrings.parse("jdbc:sqlserver://h;databaseName=d;password=TopSecret1;trustServerCertficate=true"))
                .hasMessageContaining("\"trustServerCertficate\"; did you mean \"trustServerCertificate\"?")
                .hasMessageNotContaining("TopSecret1");
    }

    @Test
    void aGivenLoginTimeoutIsKept() {
        JdbcTarget t = ConnectionStrings.parse("server=h;database=d;connection timeout=3");

        assertThat(t.driverProperties()).containsEntry("loginTimeout", "3");
    }

    @Test
    void thePasswordNeverAppearsInToString() {
        for (String s : new String[] {
                "server=h;database=d;user id=u;password=TopSecret1",
                "sqlserver://u:TopSecret1@h?database=d",
                "jdbc:sqlserver://h;databaseName=d;password=TopSecret1"}) {
            JdbcTarget t = ConnectionStrings.parse(s);
            assertThat(t.password()).isEqualTo("TopSecret1");
            assertThat(t.toString()).doesNotContain("TopSecret1").contains("****");
        }
    }

    @Test
    void errorsNameThePartAndNeverQuoteTheString() {
        assertThatThrownBy(() -> ConnectionStrings.parse("server=h;user id=u;password=TopSecret1"))
                .hasMessageContaining("names no database").hasMessageNotContaining("TopSecret1");
        assertThatThrownBy(() -> ConnectionStrings.parse("database=d;password=TopSecret1"))
                .hasMessageContaining("names no server").hasMessageNotContaining("TopSecret1");
        assertThatThrownBy(() -> ConnectionStrings.parse("this is not a connection string TopSecret1"))
                .hasMessageContaining("not in a known form").hasMessageNotContaining("TopSecret1");
        assertThatThrownBy(() -> ConnectionStrings.parse("server=h;database=d;password=TopSecret1;colour=blue"))
                .hasMessageContaining("\"colour\"").hasMessageNotContaining("TopSecret1");
        assertThatThrownBy(() -> ConnectionStrings.parse("server=h,abc;database=d"))
                .hasMessageContaining("port");
        assertThatThrownBy(() -> ConnectionStrings.parse("server=h;database=d;encrypt=maybe"))
                .hasMessageContaining("encrypt");
    }
}
