package io.dstream.mssql.emulator.engine;

/** The SQL side of the emulator: sessions that run T-SQL on H2. One instance serves every connection. */
public interface Engine extends AutoCloseable {

    /**
     * Opens a session after LOGIN7. Fails with {@link SqlError} 18456 (severity 14) when the
     * credentials are refused. A database that does not exist yet is created, so that any name
     * given at login works.
     */
    Session openSession(String database, String user, String password);

    /**
     * Opens a session for a Microsoft Entra principal whose token the server accepted: no password
     * to check, so even with credentials configured it succeeds.
     */
    Session openEntraSession(String database, String principal);

    @Override
    void close();
}
