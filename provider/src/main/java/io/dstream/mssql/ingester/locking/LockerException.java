package io.dstream.mssql.ingester.locking;

/** The lock service refused or could not be reached; the message says what to fix and holds no secret. */
public class LockerException extends RuntimeException {

    public LockerException(String message) {
        super(message);
    }

    public LockerException(String message, Throwable cause) {
        super(message, cause);
    }
}
