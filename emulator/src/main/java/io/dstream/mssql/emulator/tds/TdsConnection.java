package io.dstream.mssql.emulator.tds;

import io.dstream.mssql.emulator.engine.Engine;
import io.dstream.mssql.emulator.engine.Session;
import io.dstream.mssql.emulator.engine.SqlError;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.BufferedInputStream;
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
    /** A client that connects but does not complete PRELOGIN/LOGIN7 in this time is dropped. */
    private static final int LOGIN_TIMEOUT_MILLIS = 30_000;
    private static final int ERR_LOGIN_FAILED = 18456;
    /**
     * How often an ATTENTION re-sends the cancel while the request still runs: a cancel that
     * reaches the engine just before it starts the statement would otherwise be lost.
     */
    private static final long CANCEL_RETRY_MILLIS = 100;
    /** TDS 7.2 (SQL Server 2005) introduced ALL_HEADERS and the (max) types the emulator relies on. */
    private static final int TDS_72 = 0x72090002;

    private final int id;
    private final Socket socket;
    private final Engine engine;
    private final String serverName;
    private final Handshake handshake;
    private final Consumer<TdsConnection> onEnd;
    private final BlockingQueue<Message> requests = new LinkedBlockingQueue<>();
    private final Thread worker;
    private volatile Thread reader;
    private volatile Session session;
    private volatile boolean attention;
    private volatile boolean requestRunning;
    private final Object requestEnded = new Object();

    TdsConnection(int id, Socket socket, Engine engine, String serverName, Handshake handshake,
                  Consumer<TdsConnection> onEnd) {
        this.id = id;
        this.socket = socket;
        this.engine = engine;
        this.serverName = serverName;
        this.handshake = handshake;
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
            socket.setSoTimeout(LOGIN_TIMEOUT_MILLIS);
            Handshake.LoggedIn loggedIn = handshake.perform(new BufferedInputStream(socket.getInputStream()), socket.getOutputStream());
            socket.setSoTimeout(0);
            if (loggedIn != null) {
                session = loggedIn.session();
                startReader(loggedIn.in());
                loop(loggedIn.out());
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
                    requests.add(m);
                    cancelUntilRequestEnds();
                } else {
                    requests.add(m);
                }
            }
        } catch (IOException e) {
            log.debug("connection {}: read ended: {}", id, e.toString());
        }
        cancelStatement(); // the client is gone: nobody waits for the statement any more
        requests.add(END);
    }

    /**
     * The client sends nothing after an ATTENTION until it has the acknowledgement, so the reader
     * can spend its time here. {@code attention} is set before {@code requestRunning} is read, and
     * the request thread sets {@code requestRunning} before it reads {@code attention}: either the
     * request thread skips the request, or this loop cancels it.
     */
    private void cancelUntilRequestEnds() {
        synchronized (requestEnded) {
            while (attention && requestRunning) {
                cancelStatement();
                try {
                    requestEnded.wait(CANCEL_RETRY_MILLIS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        }
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
            requestRunning = true;
            try {
                if (!attention) { // an ATTENTION already queued behind this request cancels it before it starts
                    handle(m, rpc, tm, sink);
                }
                sink.finish();
            } finally {
                synchronized (requestEnded) {
                    requestRunning = false;
                    requestEnded.notifyAll();
                }
            }
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
        String head = sql.length() > 2 * MAX_LOGGED_SQL ? sql.substring(0, 2 * MAX_LOGGED_SQL) : sql;
        String oneLine = head.replaceAll("\\s+", " ").strip();
        return oneLine.length() <= MAX_LOGGED_SQL && head.length() == sql.length() ? oneLine
                : oneLine.substring(0, Math.min(MAX_LOGGED_SQL, oneLine.length())) + "…";
    }
}
