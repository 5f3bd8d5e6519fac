package io.dstream.mssql.emulator.tds;

import io.dstream.mssql.emulator.engine.Session;
import io.dstream.mssql.emulator.engine.SqlError;

import java.util.List;

/**
 * TRANSACTION_MANAGER requests (packet 0x0E) as SqlClient sends them for BeginTransaction,
 * Commit, Rollback and Save. Each becomes the T-SQL statement, and the response carries the
 * ENVCHANGE 8/9/10 transaction descriptor changes that SQL Server sends, which the client
 * echoes in ALL_HEADERS afterwards.
 */
final class TransactionManagerRequest {

    private static final int TM_BEGIN_XACT = 5;
    private static final int TM_COMMIT_XACT = 7;
    private static final int TM_ROLLBACK_XACT = 8;
    private static final int TM_SAVE_XACT = 9;
    private static final byte[] NO_DESCRIPTOR = new byte[0];

    private final Session session;
    private long lastDescriptor;
    private byte[] current = NO_DESCRIPTOR;

    TransactionManagerRequest(Session session) {
        this.session = session;
    }

    /** Describes the request for the request log. */
    static String describe(byte[] payload) {
        PayloadReader r = new PayloadReader(payload);
        r.skipAllHeaders();
        return switch (r.u16()) {
            case TM_BEGIN_XACT -> "BEGIN";
            case TM_COMMIT_XACT -> "COMMIT";
            case TM_ROLLBACK_XACT -> "ROLLBACK";
            case TM_SAVE_XACT -> "SAVE";
            default -> "other";
        };
    }

    void run(byte[] payload, TokenSink sink) {
        PayloadReader r = new PayloadReader(payload);
        r.skipAllHeaders();
        int type = r.u16();
        switch (type) {
            case TM_BEGIN_XACT -> {
                r.u8(); // isolation level: the session keeps its own
                begin(r.bVarchar(), sink);
            }
            case TM_COMMIT_XACT -> {
                String name = r.bVarchar();
                if (run("COMMIT TRANSACTION" + suffix(name), sink)) {
                    ended(Tds.ENV_COMMIT_TRAN, sink);
                }
                beginAgainIfAsked(r, sink);
            }
            case TM_ROLLBACK_XACT -> {
                String name = r.bVarchar();
                // A named rollback goes back to a savepoint; the transaction stays open.
                if (run("ROLLBACK TRANSACTION" + suffix(name), sink) && name.isEmpty()) {
                    ended(Tds.ENV_ROLLBACK_TRAN, sink);
                }
                beginAgainIfAsked(r, sink);
            }
            case TM_SAVE_XACT -> run("SAVE TRANSACTION" + suffix(r.bVarchar()), sink);
            default -> sink.fail(SqlError.of(8522, "Transaction manager request type " + type
                    + " (distributed transactions) is not supported by the emulator."));
        }
    }

    private void beginAgainIfAsked(PayloadReader r, TokenSink sink) {
        if (r.hasRemaining() && r.u8() != 0) {
            r.u8(); // isolation level
            begin(r.hasRemaining() ? r.bVarchar() : "", sink);
        }
    }

    private void begin(String name, TokenSink sink) {
        if (run("BEGIN TRANSACTION" + suffix(name), sink)) {
            current = longBytes(++lastDescriptor);
            Tokens.envChangeBytes(sink.writer(), Tds.ENV_BEGIN_TRAN, current, NO_DESCRIPTOR);
        }
    }

    private void ended(int envType, TokenSink sink) {
        Tokens.envChangeBytes(sink.writer(), envType, NO_DESCRIPTOR, current);
        current = NO_DESCRIPTOR;
    }

    private boolean run(String sql, TokenSink sink) {
        int errorsBefore = sink.errors();
        try {
            session.execute(sql, List.of(), sink);
        } catch (SqlError e) {
            sink.fail(e);
        }
        return sink.errors() == errorsBefore;
    }

    private static String suffix(String name) {
        return name == null || name.isEmpty() ? "" : " " + name;
    }

    private static byte[] longBytes(long v) {
        byte[] b = new byte[8];
        for (int i = 0; i < 8; i++) {
            b[i] = (byte) (v >>> (8 * i));
        }
        return b;
    }
}
