package io.dstream.mssql.ingester.config;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.HashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Microsoft Entra ID sign-in as ADO.NET, go-mssqldb and JDBC write it → mssql-jdbc's properties, exactly. */
class EntraAuthenticationTest {

    private static final String CLIENT_ID = "5b1c2f3e-0d4a-4e6b-9c8d-7a6b5c4d3e2f";
    private static final String TENANT_ID = "72f988bf-86f1-41af-91ab-2d7cd011db47";
    private static final String SECRET = "Sp~Secret.4711";
    private static final String HOST = "myserver.database.windows.net";
    private static final String ADO = "Server=tcp:" + HOST + ",1433;Initial Catalog=shop;Encrypt=True;";

    /** What every target has besides the sign-in. */
    private static Map<String, String> expected(String... keyValues) {
        Map<String, String> m = new HashMap<>(Map.of("databaseName", "shop", "loginTimeout", "10", "queryTimeout", "60",
                "socketTimeout", "90000", "applicationName", "dstream-ingester-mssql"));
        for (int i = 0; i < keyValues.length; i += 2) {
            m.put(keyValues[i], keyValues[i + 1]);
        }
        return m;
    }

    private static Map<String, String> properties(String connectionString) {
        JdbcTarget t = ConnectionStrings.parse(connectionString);
        assertThat(t.url()).startsWith("jdbc:sqlserver://" + HOST);
        Map<String, String> m = new HashMap<>();
        t.driverProperties().forEach((k, v) -> m.put((String) k, (String) v));
        return m;
    }

    @ParameterizedTest
    @ValueSource(strings = {"Active Directory Default", "active directory default", "ActiveDirectoryDefault", " ACTIVE DIRECTORY  DEFAULT "})
    void adoNetDefaultInAnySpelling(String value) {
        assertThat(properties(ADO + "Authentication=" + value))
                .isEqualTo(expected("encrypt", "true", "authentication", "ActiveDirectoryDefault"));
    }

    @Test
    void adoNetSystemAssignedManagedIdentity() {
        assertThat(properties(ADO + "Authentication=Active Directory Managed Identity"))
                .isEqualTo(expected("encrypt", "true", "authentication", "ActiveDirectoryManagedIdentity"));
    }

    @Test
    void adoNetUserAssignedManagedIdentityTakesTheClientIdFromUserId() {
        assertThat(properties(ADO + "Authentication=Active Directory Managed Identity;User Id=" + CLIENT_ID))
                .isEqualTo(expected("encrypt", "true", "authentication", "ActiveDirectoryManagedIdentity", "msiClientId", CLIENT_ID));
    }

    @Test
    void adoNetMsiIsTheOlderNameOfManagedIdentity() {
        assertThat(properties(ADO + "Authentication=Active Directory MSI;UID=" + CLIENT_ID))
                .isEqualTo(expected("encrypt", "true", "authentication", "ActiveDirectoryManagedIdentity", "msiClientId", CLIENT_ID));
    }

    @Test
    void adoNetServicePrincipal() {
        assertThat(properties(ADO + "Authentication=Active Directory Service Principal;User Id=" + CLIENT_ID + ";Password=" + SECRET))
                .isEqualTo(expected("encrypt", "true", "authentication", "ActiveDirectoryServicePrincipal",
                        "user", CLIENT_ID, "password", SECRET));
    }

    @Test
    void adoNetEntraPassword() {
        assertThat(properties(ADO + "Authentication=Active Directory Password;User Id=ana@contoso.com;Password=" + SECRET))
                .isEqualTo(expected("encrypt", "true", "authentication", "ActiveDirectoryPassword",
                        "user", "ana@contoso.com", "password", SECRET));
    }

    @Test
    void encryptionIsTheDriverDefaultWhenNotWritten() {
        assertThat(properties("Server=" + HOST + ";Database=shop;Authentication=Active Directory Default"))
                .isEqualTo(expected("authentication", "ActiveDirectoryDefault"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"ActiveDirectoryDefault", "activedirectorydefault"})
    void goMssqldbDefault(String value) {
        assertThat(properties("sqlserver://" + HOST + "?database=shop&fedauth=" + value))
                .isEqualTo(expected("authentication", "ActiveDirectoryDefault"));
    }

    @Test
    void goMssqldbManagedIdentityWithUserAssignedClientId() {
        assertThat(properties("sqlserver://" + HOST + ":1433?database=shop&fedauth=ActiveDirectoryManagedIdentity&user%20id=" + CLIENT_ID))
                .isEqualTo(expected("authentication", "ActiveDirectoryManagedIdentity", "msiClientId", CLIENT_ID));
        assertThat(properties("sqlserver://" + CLIENT_ID + "@" + HOST + "?database=shop&fedauth=ActiveDirectoryMSI"))
                .isEqualTo(expected("authentication", "ActiveDirectoryManagedIdentity", "msiClientId", CLIENT_ID));
    }

    /** go-mssqldb writes the service principal as client-id@tenant-id; mssql-jdbc learns the tenant from the server. */
    @Test
    void goMssqldbServicePrincipalDropsTheTenant() {
        Map<String, String> sp = expected("authentication", "ActiveDirectoryServicePrincipal", "user", CLIENT_ID, "password", SECRET);
        assertThat(properties("sqlserver://" + CLIENT_ID + "%40" + TENANT_ID + ":" + SECRET + "@" + HOST
                + "?database=shop&fedauth=ActiveDirectoryServicePrincipal")).isEqualTo(sp);
        assertThat(properties("sqlserver://" + HOST + "?database=shop&fedauth=ActiveDirectoryApplication&user%20id="
                + CLIENT_ID + "%40" + TENANT_ID + "&password=" + SECRET)).isEqualTo(sp);
    }

    @Test
    void jdbcForms() {
        String jdbc = "jdbc:sqlserver://" + HOST + ":1433;databaseName=shop;";
        assertThat(properties(jdbc + "authentication=ActiveDirectoryDefault"))
                .isEqualTo(expected("authentication", "ActiveDirectoryDefault"));
        assertThat(properties(jdbc + "Authentication=ActiveDirectoryMSI;msiClientId=" + CLIENT_ID))
                .isEqualTo(expected("authentication", "ActiveDirectoryManagedIdentity", "msiClientId", CLIENT_ID));
        assertThat(properties(jdbc + "authentication=ActiveDirectoryManagedIdentity;user=" + CLIENT_ID))
                .isEqualTo(expected("authentication", "ActiveDirectoryManagedIdentity", "msiClientId", CLIENT_ID));
        assertThat(properties(jdbc + "authentication=ActiveDirectoryServicePrincipal;user=" + CLIENT_ID + ";password=" + SECRET
                + ";encrypt=strict")).isEqualTo(expected("authentication", "ActiveDirectoryServicePrincipal", "user", CLIENT_ID,
                "password", SECRET, "encrypt", "strict"));
    }

    @Test
    void sqlPasswordIsLeftAsTheDriverSpellsIt() {
        assertThat(properties(ADO + "Authentication=Sql Password;User Id=app;Password=" + SECRET))
                .isEqualTo(expected("encrypt", "true", "authentication", "SqlPassword", "user", "app", "password", SECRET));
    }

    @Test
    void toStringHidesTheClientSecret() {
        JdbcTarget t = ConnectionStrings.parse(ADO + "Authentication=Active Directory Service Principal;User Id=" + CLIENT_ID
                + ";Password=" + SECRET);
        assertThat(t.toString()).doesNotContain(SECRET).contains("authentication=ActiveDirectoryServicePrincipal");
    }

    @Test
    void servicePrincipalWithoutSecretSaysWhatToAdd() {
        assertRefused(ADO + "Authentication=Active Directory Service Principal;User Id=" + CLIENT_ID,
                "Authentication=ActiveDirectoryServicePrincipal without a password", "Password=<client secret>");
        assertRefused(ADO + "Authentication=Active Directory Service Principal;Password=" + SECRET,
                "without a user id", "User Id=<application (client) id>");
    }

    @Test
    void defaultWithCredentialsIsRefused() {
        assertRefused(ADO + "Authentication=Active Directory Default;User Id=app;Password=" + SECRET,
                "Authentication=ActiveDirectoryDefault with a password", "takes no user id or password");
        assertRefused("sqlserver://" + HOST + "?database=shop&fedauth=ActiveDirectoryDefault&user%20id=" + CLIENT_ID,
                "with a user id", "Managed Identity with User Id=<client id>");
    }

    @Test
    void managedIdentityWithPasswordOrResourceIdIsRefused() {
        assertRefused(ADO + "Authentication=Active Directory Managed Identity;User Id=" + CLIENT_ID + ";Password=" + SECRET,
                "with a password", "remove the password");
        assertRefused(ADO + "Authentication=Active Directory Managed Identity;User Id=/subscriptions/s/resourceGroups/g/providers/"
                + "Microsoft.ManagedIdentity/userAssignedIdentities/ingester", "resource id", "client id (a GUID)");
    }

    @Test
    void entraPasswordWithoutPasswordIsRefused() {
        assertRefused(ADO + "Authentication=Active Directory Password;User Id=ana@contoso.com", "without a password", "Password=");
    }

    @ParameterizedTest
    @ValueSource(strings = {"Active Directory Interactive", "ActiveDirectoryInteractive", "Active Directory Device Code Flow"})
    void interactiveSignInIsRefused(String value) {
        assertRefused(ADO + "Authentication=" + value + ";User Id=ana@contoso.com", "needs a person at a browser",
                "Active Directory Managed Identity, Active Directory Service Principal or Active Directory Default");
    }

    @Test
    void goModesMssqlJdbcLacksPointToDefault() {
        assertRefused("sqlserver://" + HOST + "?database=shop&fedauth=ActiveDirectoryWorkloadIdentity",
                "does not have", "Authentication=Active Directory Default");
    }

    @Test
    void unknownModeNamesTheKnownOnes() {
        assertRefused(ADO + "Authentication=Active Directory Magic", "\"Active Directory Magic\"", "Active Directory Service Principal");
    }

    @ParameterizedTest
    @ValueSource(strings = {";Encrypt=False", ";encrypt=optional"})
    void entraWithoutEncryptionIsRefused(String encrypt) {
        assertRefused("Server=" + HOST + ";Database=shop;Authentication=Active Directory Service Principal;User Id=" + CLIENT_ID
                + ";Password=" + SECRET + encrypt, "encryption turned off", "remove encrypt=false");
        assertRefused("jdbc:sqlserver://" + HOST + ";databaseName=shop;authentication=ActiveDirectoryDefault;encrypt=false",
                "encryption turned off", "remove encrypt=false");
    }

    private static void assertRefused(String connectionString, String... parts) {
        assertThatThrownBy(() -> ConnectionStrings.parse(connectionString))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContainingAll(parts)
                .message().doesNotContain(SECRET).doesNotContain(CLIENT_ID);
    }
}
