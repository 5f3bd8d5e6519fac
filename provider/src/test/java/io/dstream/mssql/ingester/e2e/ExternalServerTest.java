package io.dstream.mssql.ingester.e2e;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** What the external-server harness reads from MSSQL_TEST_URL, and which statements of the tests create objects. */
class ExternalServerTest {

    @Test
    void hostPortAndDatabaseOfAJdbcUrl() {
        ExternalServer.JdbcUrl url = ExternalServer.JdbcUrl.parse(
                "jdbc:sqlserver://sql.example.com:14330;databaseName=e2e;user=sa;password={a;b}}c};encrypt=true");

        assertThat(url.host()).isEqualTo("sql.example.com");
        assertThat(url.port()).isEqualTo(14330);
        assertThat(url.database()).isEqualTo("e2e");
    }

    @Test
    void defaultPortNamedInstanceAndTheDatabaseKeyword() {
        ExternalServer.JdbcUrl url = ExternalServer.JdbcUrl.parse("jdbc:sqlserver://db1\\SQLEXPRESS;database=x");

        assertThat(url.host()).isEqualTo("db1");
        assertThat(url.port()).isEqualTo(1433);
        assertThat(url.database()).isEqualTo("x");
    }

    @Test
    void aUrlWithoutDatabaseOrNotJdbcIsRefusedWithTheFix() {
        assertThatThrownBy(() -> ExternalServer.JdbcUrl.parse("jdbc:sqlserver://h:1;user=sa;password=p"))
                .hasMessageContaining("databaseName=");
        assertThatThrownBy(() -> ExternalServer.JdbcUrl.parse("server=h,1;database=x"))
                .hasMessageContaining("jdbc:sqlserver://host:port;databaseName=");
    }

    @Test
    void createTableAndCreateSchemaStatementsNameWhatTheyCreate() {
        assertThat(OwnedObjects.createdTable("CREATE TABLE dbo.sn_basic (a INT NOT NULL, PRIMARY KEY (a))"))
                .contains("dbo.sn_basic");
        assertThat(OwnedObjects.createdTable("CREATE TABLE [dbo].[odd]]name] (id INT PRIMARY KEY, [my col] INT)"))
                .contains("[dbo].[odd]]name]");
        assertThat(OwnedObjects.createdTable("create table [sales].[my table] (\n id int)")).contains("[sales].[my table]");
        assertThat(OwnedObjects.createdTable("INSERT INTO dbo.t VALUES (1)")).isEmpty();
        assertThat(OwnedObjects.createdSchema("CREATE SCHEMA sales")).contains("sales");
        assertThat(OwnedObjects.createdSchema("CREATE TABLE dbo.t (id INT)")).isEmpty();
    }
}
