package io.dstream.mssql.ingester;

/** Startup cannot go on (database unreachable, table without CDC, lock service refused); the message says what to fix. */
final class StartupException extends Exception {

    StartupException(String message) {
        super(message);
    }
}
