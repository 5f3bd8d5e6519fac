package io.dstream.mssql.ingester.db;

import io.dstream.mssql.ingester.config.ConnectionStrings;
import io.dstream.mssql.ingester.config.JdbcTarget;
import org.junit.jupiter.api.Test;

import java.sql.SQLException;

import static org.assertj.core.api.Assertions.assertThat;

/** What the user reads when Microsoft Entra sign-in cannot happen, as mssql-jdbc and Azure SQL word it. */
class SqlAdviceEntraTest {

    @Test
    void aServerWithoutTlsIsNamedAsSuch() {
        SQLException e = new SQLException("The driver could not establish a secure connection to SQL Server by using Secure "
                + "Sockets Layer (SSL) encryption. The application requested encryption but the server is not configured to "
                + "support SSL. ClientConnectionId:1", "08S01", 0);

        assertThat(SqlAdvice.explain(e)).contains("the server offers no encryption").contains("Microsoft Entra sign-in needs it")
                .contains("Azure SQL always offers it");
    }

    @Test
    void anIdentityWithoutADatabaseUserIsToldToCreateOne() {
        SQLException e = new SQLException("Login failed for user '<token-identified principal>'.", "S0001", 18456);

        assertThat(SqlAdvice.explain(e)).contains("CREATE USER [<identity or app name>] FROM EXTERNAL PROVIDER");
    }

    @Test
    void noTokenIsAnEntraProblemNotAPassword() {
        SQLException msal = new SQLException("Failed to authenticate the user 5b1c2f3e in Active Directory "
                + "(Authentication=ActiveDirectoryServicePrincipal).", null, 0);
        SQLException chain = new SQLException("DefaultAzureCredential failed to retrieve a token from the included credentials.\n"
                + "EnvironmentCredential authentication unavailable.", null, 0);

        assertThat(SqlAdvice.explain(msal)).contains("Microsoft Entra sign-in failed").contains("client id and secret");
        assertThat(SqlAdvice.explain(chain)).contains("Microsoft Entra sign-in failed").contains("az login")
                .doesNotContain("EnvironmentCredential");
    }

    @Test
    void aFailedLoginWithEntraSignInSaysTheServerDidNotAskForEntra() {
        JdbcTarget entra = ConnectionStrings.parse("server=h,1433;database=d;Authentication=Active Directory Service "
                + "Principal;user id=app;password=secret");
        JdbcTarget sqlLogin = ConnectionStrings.parse("server=h,1433;database=d;user id=u;password=secret");

        SQLException refused = new SQLException("Login failed for user 'app'.", "S0001", 18456);

        assertThat(SqlAdvice.explain(refused, entra)).startsWith("SQL Server error 18456: Login failed for user 'app'. (")
                .contains("did not ask for Microsoft Entra sign-in").contains("use a SQL login");
        assertThat(SqlAdvice.explain(refused, sqlLogin)).isEqualTo(SqlAdvice.explain(refused))
                .contains("check the user and password");
        SQLException badToken = new SQLException("Login failed: the Microsoft Entra token was refused, it expired.", "S0001", 18456);
        assertThat(SqlAdvice.explain(badToken, entra)).doesNotContain("did not ask for Microsoft Entra sign-in");
        SQLException signedIn = new SQLException("Login failed for user '<token-identified principal>'.", "S0001", 18456);
        assertThat(SqlAdvice.explain(signedIn, entra)).contains("CREATE USER");
    }
}
