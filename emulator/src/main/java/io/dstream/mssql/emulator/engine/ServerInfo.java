package io.dstream.mssql.emulator.engine;

import java.util.Locale;

/** What the emulator says about itself where SQL Server reports its version and edition. */
final class ServerInfo {

    /** SQL Server 2022 is major version 16; clients pick TDS 7.4 and feature sets from it. */
    static final String PRODUCT_VERSION = "16.0.1000.6";

    static final String VERSION = "Microsoft SQL Server 2022 (RTM) - " + PRODUCT_VERSION + " (X64) \n"
            + "\tmssql-cdc-emulator (TDS 7.4 on H2) \n"
            + "\tDeveloper Edition (64-bit) on " + System.getProperty("os.name", "Linux") + " <X64>";

    static final String SERVER_NAME = "mssql-cdc-emulator";

    private ServerInfo() {
    }

    /**
     * {@code SERVERPROPERTY(name)}; null for unknown names, as SQL Server does. Values are strings;
     * numeric properties convert with CAST as they do from sql_variant.
     */
    static String property(String name) {
        if (name == null) {
            return null;
        }
        return switch (name.toLowerCase(Locale.ROOT)) {
            case "productversion" -> PRODUCT_VERSION;
            case "productmajorversion" -> "16";
            case "productminorversion" -> "0";
            case "productbuild" -> "1000";
            case "productlevel" -> "RTM";
            case "productupdatelevel" -> null;
            // EngineEdition 3 = Enterprise/Developer (the editions with CDC); Azure SQL would be 5
            case "engineedition" -> "3";
            case "edition" -> "Developer Edition (64-bit)";
            case "editionid" -> "-2117995310";
            case "servername", "machinename", "computernamephysicalnetbios" -> SERVER_NAME;
            case "instancename" -> null;
            case "isclustered", "ishadrenabled", "isintegratedsecurityonly", "issingleuser", "isfulltextinstalled",
                 "isxtpsupported", "ispolybaseinstalled" -> "0";
            case "collation" -> "SQL_Latin1_General_CP1_CI_AS";
            case "lcid" -> "1033";
            case "sqlsortorder" -> "52";
            case "processid" -> Long.toString(ProcessHandle.current().pid());
            default -> null;
        };
    }
}
