package io.dstream.mssql.emulator.tds;

import io.dstream.mssql.emulator.engine.Engine;
import io.dstream.mssql.emulator.engine.Session;
import io.dstream.mssql.emulator.engine.SqlError;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.Socket;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.function.Consumer;

/**
 * One client connection: the PRELOGIN/LOGIN7 handshake, then requests in order. A reader thread
 * reads every message as it arrives so that an ATTENTION is seen while a request still runs;
 * it cancels the engine's statement, and the request thread ends the interrupted response with
 * DONE(ERROR) and then acknowledges the attention in a message of its own (mssql-jdbc reads the
 * response first, then waits for the DONE_ATTN message).
 */
final class TdsConnection {

    private static final Logger log = LoggerFactory.getLogger(TdsConnection.class);

    /** Queued by the reader thread when the client is gone. */
    private static final Message END = new Message(-1, new byte[0]);
    private static final int MAX_LOGGED_SQL = 200;
    private static final int ERR_LOGIN_FAILED = 18456;
    /** TDS 7.2 (SQL Server 2005) introduced ALL_HEADERS and the (max) types the emulator relies on. */
    private static final int TDS_72 = 0x72090002;

    private final int id;
    private final Socket socket;
    private final Engine engine;
    private final String serverName;
    private final Consumer<TdsConnection> onEnd;
    private final BlockingQueue<Message> requests = new LinkedBlockingQueue<>();
    private final Thread worker;
    private volatile Thread reader;
    private volatile Session session;
    private volatile boolean attention;

    TdsConnection(int id, Socket socket, Engine engine, String serverName, Consumer<TdsConnection> onEnd) {
        this.id = id;
        this.socket = socket;
        this.engine = engine;
        this.serverName = serverName;
        this.onEnd = onEnd;
        this.worker = new Thread(this::serve, "tds-conn-" + id);
        this.worker.setDaemon(true);
    }

    void start() {
        worker.start();
    }

    /** Closes the socket; both threads then end and the session is closed. */
    void abort() {
        try {
            socket.close();
        } catch (IOException e) {
            log.debug("connection {}: closing the socket failed: {}", id, e.toString());
        }
    }

    void join(long millis) throws InterruptedException {
        worker.join(millis);
        Thread r = reader;
        if (r != null) {
            r.join(millis);
        }
    }

    private void serve() {
        try {
            MessageReader in = new MessageReader(new java.io.BufferedInputStream(socket.getInputStream()));
            ResponseWriter out = new ResponseWriter(socket.getOutputStream(), id, Tds.DEFAULT_PACKET_SIZE);
            if (handshake(in, out)) {
                startReader(in);
                loop(out);
            }
        } catch (IOException | UncheckedIOException e) {
            log.debug("connection {}: client gone: {}", id, e.toString());
        } catch (RuntimeException e) {
            log.warn("connection {}: closed after an unexpected failure", id, e);
        } finally {
            abort();
            Session s = session;
            if (s != null) {
                try {
                    s.close();
                } catch (RuntimeException e) {
                    log.warn("connection {}: closing the engine session failed", id, e);
                }
            }
            onEnd.accept(this);
            log.debug("connection {}: closed", id);
        }
    }

    // ---- handshake

    private boolean handshake(MessageReader in, ResponseWriter out) throws IOException {
        Message m = in.read();
        if (m != null && m.type() == Tds.PKT_PRELOGIN) {
            int encryption = PreLogin.requestedEncryption(m.payload());
            if (encryption == PreLogin.ENCRYPT_REQ || encryption == PreLogin.ENCRYPT_ON) {
                log.warn("connection {}: the client asks for encryption, but the emulator has no TLS;"
                        + " connect with encrypt=false", id);
            }
            PreLogin.writeResponse(out, id);
            m = in.read();
        }
        if (m == null) {
            return false;
        }
        if (m.type() != Tds.PKT_LOGIN7) {
            log.warn("connection {}: expected LOGIN7 but got packet type 0x{} (a TLS handshake? the emulator"
                    + " has no TLS: connect with encrypt=false); closing", id, Integer.toHexString(m.type()));
            return false;
        }
        return login(Login7.parse(m.payload()), out);
    }

    private boolean login(Login7 login, ResponseWriter out) {
        String database = login.database().isEmpty() ? "master" : login.database();
        log.debug("connection {}: LOGIN7 {}", id, login);
        if (Integer.compareUnsigned(login.tdsVersion(), TDS_72) < 0) {
            log.warn("connection {}: the client speaks TDS 0x{}; the emulator answers in TDS 7.4 and needs 7.2 or later",
                    id, Integer.toHexString(login.tdsVersion()));
        }
        try {
            session = engine.openSession(database, login.userName(), login.password());
        } catch (SqlError e) {
            log.warn("connection {}: login failed for user '{}' (error {}): {}", id, login.userName(), e.number(),
                    e.getMessage());
            Tokens.message(out, Tds.TOKEN_ERROR, e.number(), e.state(), e.severity(), e.getMessage(), serverName, "", 1);
            Tokens.done(out, Tds.TOKEN_DONE, Tds.DONE_ERROR, Tds.CMD_NONE, 0);
            out.endMessage();
            return false;
        } catch (RuntimeException e) {
            log.warn("connection {}: the engine failed to open a session", id, e);
            Tokens.message(out, Tds.TOKEN_ERROR, ERR_LOGIN_FAILED, 1, 14, "Login failed for user '"
                    + login.userName() + "': the emulator could not open a session (" + e + ").", serverName, "", 1);
            Tokens.done(out, Tds.TOKEN_DONE, Tds.DONE_ERROR, Tds.CMD_NONE, 0);
            out.endMessage();
            return false;
        }
        int packetSize = negotiatedPacketSize(login.packetSize());
        String db = session.database();
        Tokens.envChange(out, Tds.ENV_DATABASE, db, "master");
        Tokens.envChangeBytes(out, Tds.ENV_COLLATION, Tds.COLLATION, new byte[0]);
        Tokens.envChange(out, Tds.ENV_LANGUAGE, "us_english", "");
        Tokens.message(out, Tds.TOKEN_INFO, 5701, 2, 0, "Changed database context to '" + db + "'.", serverName, "", 1);
        Tokens.message(out, Tds.TOKEN_INFO, 5703, 1, 0, "Changed language setting to us_english.", serverName, "", 1);
        Tokens.loginAck(out);
        Tokens.envChange(out, Tds.ENV_PACKET_SIZE, Integer.toString(packetSize), Integer.toString(packetSize));
        Tokens.done(out, Tds.TOKEN_DONE, Tds.DONE_FINAL, Tds.CMD_NONE, 0);
        out.endMessage();
        out.packetSize(packetSize);
        log.debug("connection {}: logged in as '{}' to '{}', packet size {}", id, login.userName(), db, packetSize);
        return true;
    }

    private static int negotiatedPacketSize(int requested) {
        if (requested == 0) {
            return Tds.DEFAULT_PACKET_SIZE;
        }
        return Math.max(Tds.MIN_PACKET_SIZE, Math.min(Tds.MAX_PACKET_SIZE, requested));
    }

    // ---- requests

    private void startReader(MessageReader in) {
        Thread t = new Thread(() -> readLoop(in), "tds-read-" + id);
        t.setDaemon(true);
        reader = t;
        t.start();
    }

    private void readLoop(MessageReader in) {
        try {
            Message m;
            while ((m = in.read()) != null) {
                if (m.type() == Tds.PKT_ATTENTION) {
                    attention = true;
                    cancelStatement();
                }
                requests.add(m);
            }
        } catch (IOException e) {
            log.debug("connection {}: read ended: {}", id, e.toString());
        }
        cancelStatement(); // the client is gone: nobody waits for the statement any more
        requests.add(END);
    }

    private void cancelStatement() {
        Session s = session;
        if (s != null) {
            try {
                s.cancel();
            } catch (RuntimeException e) {
                log.warn("connection {}: cancelling the statement failed", id, e);
            }
        }
    }

    private void loop(ResponseWriter out) {
        RpcExecutor rpc = new RpcExecutor(session);
        TransactionManagerRequest tm = new TransactionManagerRequest(session);
        while (true) {
            Message m;
            try {
                m = requests.take();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
            if (m == END) {
                return;
            }
            if (m.type() == Tds.PKT_ATTENTION) {
                acknowledgeAttention(out);
                continue;
            }
            TokenSink sink = new TokenSink(out, () -> attention, serverName, id);
            if (!attention) { // an ATTENTION already queued behind this request cancels it before it starts
                handle(m, rpc, tm, sink);
            }
            sink.finish();
        }
    }

    private void acknowledgeAttention(ResponseWriter out) {
        log.debug("connection {}: ATTENTION acknowledged", id);
        attention = false;
        Tokens.done(out, Tds.TOKEN_DONE, Tds.DONE_ATTN, Tds.CMD_NONE, 0);
        out.endMessage();
    }

    private void handle(Message m, RpcExecutor rpc, TransactionManagerRequest tm, TokenSink sink) {
        try {
            switch (m.type()) {
                case Tds.PKT_SQL_BATCH -> sqlBatch(m.payload(), sink);
                case Tds.PKT_RPC -> rpc(m.payload(), rpc, sink);
                case Tds.PKT_TRANSACTION_MANAGER -> {
                    log.debug("connection {}: TRANSACTION_MANAGER {}", id, TransactionManagerRequest.describe(m.payload()));
                    tm.run(m.payload(), sink);
                }
                default -> {
                    log.warn("connection {}: unsupported request packet type 0x{}", id, Integer.toHexString(m.type()));
                    sink.fail(SqlError.of(8009, "The emulator does not support TDS request packet type 0x"
                            + Integer.toHexString(m.type()) + "."));
                }
            }
        } catch (SqlError e) {
            sink.fail(e);
        } catch (UncheckedIOException e) {
            throw e;
        } catch (RuntimeException e) {
            log.warn("connection {}: request failed inside the emulator", id, e);
            sink.fail(SqlError.of(50000, "The emulator failed while running the request: " + e));
        }
    }

    private void sqlBatch(byte[] payload, TokenSink sink) {
        PayloadReader r = new PayloadReader(payload);
        r.skipAllHeaders();
        String sql = r.utf16(r.remaining() / 2);
        if (log.isDebugEnabled()) {
            log.debug("connection {}: SQL_BATCH {}", id, abbreviate(sql));
        }
        sink.sql(sql);
        session.execute(sql, List.of(), sink);
    }

    private void rpc(byte[] payload, RpcExecutor rpc, TokenSink sink) {
        List<RpcCall> calls = RpcCall.parse(payload);
        for (RpcCall call : calls) {
            if (attention) {
                return;
            }
            if (log.isDebugEnabled()) {
                log.debug("connection {}: RPC {}", id, abbreviate(call.describe()));
            }
            rpc.run(call, sink);
        }
    }

    private static String abbreviate(String sql) {
        String oneLine = sql.replaceAll("\\s+", " ").strip();
        return oneLine.length() <= MAX_LOGGED_SQL ? oneLine : oneLine.substring(0, MAX_LOGGED_SQL) + "…";
    }
}
