package io.dstream.mssql.ingester.config;

import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Microsoft Entra ID (Azure AD) sign-in in a connection string: the value of ADO.NET's
 * {@code Authentication}, go-mssqldb's {@code fedauth} or JDBC's {@code authentication}, as any of
 * them spells it (case, blanks, '-' and '_' ignored), turned into mssql-jdbc's {@code authentication}
 * property, with the other properties each mode needs. A combination the driver would refuse late
 * (or misread) is refused here, naming what to fix and never quoting a value.
 */
final class EntraAuthentication {

    static final String AUTHENTICATION = "authentication";
    static final String MSI_CLIENT_ID = "msiClientId";
    static final String DEFAULT = "ActiveDirectoryDefault";
    static final String MANAGED_IDENTITY = "ActiveDirectoryManagedIdentity";
    static final String SERVICE_PRINCIPAL = "ActiveDirectoryServicePrincipal";
    static final String PASSWORD = "ActiveDirectoryPassword";

    /** Written value (normalised) → mssql-jdbc's value. */
    private static final Map<String, String> MODES = Map.ofEntries(
            Map.entry("activedirectorydefault", DEFAULT),
            Map.entry("activedirectorymanagedidentity", MANAGED_IDENTITY),
            Map.entry("activedirectorymsi", MANAGED_IDENTITY),
            Map.entry("activedirectoryserviceprincipal", SERVICE_PRINCIPAL),
            // go-mssqldb's older name for the same flow
            Map.entry("activedirectoryapplication", SERVICE_PRINCIPAL),
            Map.entry("activedirectoryserviceprincipalcertificate", "ActiveDirectoryServicePrincipalCertificate"),
            Map.entry("activedirectorypassword", PASSWORD),
            Map.entry("activedirectoryintegrated", "ActiveDirectoryIntegrated"),
            Map.entry("sqlpassword", "SqlPassword"),
            Map.entry("notspecified", "NotSpecified"));
    /** How the three forms spell "no encryption" (ADO.NET and go-mssqldb values are already mapped to false). */
    private static final Set<String> ENCRYPTION_OFF = Set.of("false", "optional", "no", "disable");
    private static final String SUPPORTED = "Active Directory Default, Active Directory Managed Identity (or MSI), "
            + "Active Directory Service Principal, Active Directory Password, Active Directory Integrated or Sql Password";

    private EntraAuthentication() {
    }

    /**
     * Puts the {@code authentication} property of {@code props} (if any) into mssql-jdbc's spelling
     * and checks the properties that go with it: user id and password, a user-assigned identity's
     * client id, encryption.
     *
     * @throws IllegalArgumentException naming what to fix, without any value of the string
     */
    static void apply(Map<String, String> props) {
        String written = props.get(AUTHENTICATION);
        if (written == null) {
            return;
        }
        String mode = mode(written);
        props.put(AUTHENTICATION, mode);
        String user = props.get(ConnectionStrings.USER);
        boolean hasUser = user != null && !user.isBlank();
        boolean hasPassword = props.get(ConnectionStrings.PASSWORD) != null && !props.get(ConnectionStrings.PASSWORD).isEmpty();
        String named = "Authentication=" + mode;
        switch (mode) {
            case DEFAULT -> {
                if (hasUser || hasPassword) {
                    throw new IllegalArgumentException("db_connection_string has " + named + " with a " + (hasPassword ? "password" : "user id")
                            + ": Default signs in with the identity the environment provides (managed identity, workload identity, "
                            + "AZURE_CLIENT_ID/AZURE_TENANT_ID/AZURE_CLIENT_SECRET, az login) and takes no user id or password; remove them, "
                            + "or use Authentication=Active Directory Service Principal for a client id and secret, or Active Directory "
                            + "Managed Identity with User Id=<client id> for a user-assigned identity");
                }
            }
            case MANAGED_IDENTITY -> {
                if (hasPassword) {
                    throw new IllegalArgumentException("db_connection_string has " + named + " with a password: a managed identity "
                            + "needs no secret; remove the password (User Id, if given, is the client id of a user-assigned identity)");
                }
                if (hasUser) {
                    if (user.contains("/")) {
                        throw new IllegalArgumentException("db_connection_string has " + named + " with a resource id as user id: "
                                + "give the client id (a GUID) of the user-assigned identity instead");
                    }
                    props.remove(ConnectionStrings.USER);
                    props.put(MSI_CLIENT_ID, user.strip());
                }
            }
            case SERVICE_PRINCIPAL -> {
                if (!hasUser || !hasPassword) {
                    throw new IllegalArgumentException("db_connection_string has " + named + " without "
                            + (hasUser ? "a password" : hasPassword ? "a user id" : "a user id and a password")
                            + ": add User Id=<application (client) id> and Password=<client secret> of the app registration");
                }
                // go-mssqldb writes <client id>@<tenant id>; mssql-jdbc takes the tenant from the server's sign-in answer
                int at = user.indexOf('@');
                if (at >= 0) {
                    props.put(ConnectionStrings.USER, user.substring(0, at).strip());
                }
            }
            case PASSWORD -> {
                if (!hasUser || !hasPassword) {
                    throw new IllegalArgumentException("db_connection_string has " + named + " without "
                            + (hasUser ? "a password" : "a user id") + ": add User Id=<user@domain> and Password=<password>");
                }
            }
            default -> {
                return;                              // SqlPassword and the others: the driver's own rules
            }
        }
        String encrypt = props.get("encrypt");
        if (encrypt != null && ENCRYPTION_OFF.contains(encrypt.strip().toLowerCase(Locale.ROOT))) {
            throw new IllegalArgumentException("db_connection_string has " + named + " with encryption turned off: Microsoft "
                    + "Entra sign-in sends a token, which only an encrypted connection may carry; remove encrypt=false "
                    + "(or use encrypt=true or strict)");
        }
    }

    /** True for a mode (mssql-jdbc's spelling) that signs in with Microsoft Entra ID, not with a SQL login. */
    static boolean isEntra(String mode) {
        return mode != null && mode.startsWith("ActiveDirectory");
    }

    /** mssql-jdbc's name for the mode written, or an error saying which modes work here. */
    static String mode(String written) {
        String key = written.strip().toLowerCase(Locale.ROOT).replace(" ", "").replace("-", "").replace("_", "");
        String mode = MODES.get(key);
        if (mode != null) {
            return mode;
        }
        if (key.equals("activedirectoryinteractive") || key.startsWith("activedirectorydevicecode")) {
            throw new IllegalArgumentException("db_connection_string asks for interactive sign-in, which needs a person at a "
                    + "browser; the provider runs unattended: use Active Directory Managed Identity, Active Directory Service "
                    + "Principal or Active Directory Default instead");
        }
        if (key.equals("activedirectoryworkloadidentity") || key.equals("activedirectoryazcli")
                || key.equals("activedirectoryenvironment") || key.equals("activedirectoryazuredevelopercli")) {
            throw new IllegalArgumentException("db_connection_string asks for an Entra sign-in mode mssql-jdbc does not have "
                    + "by that name: use Authentication=Active Directory Default, which tries the environment's service "
                    + "principal, workload identity, managed identity and Azure CLI in turn");
        }
        throw new IllegalArgumentException("db_connection_string has Authentication (or fedauth) \"" + written.strip()
                + "\", which is not a sign-in mode known here; use "
                + SUPPORTED);
    }
}
