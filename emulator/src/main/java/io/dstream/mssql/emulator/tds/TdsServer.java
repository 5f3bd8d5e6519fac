package io.dstream.mssql.emulator.tds;

import io.dstream.mssql.emulator.engine.Engine;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A TDS 7.4 server over TCP that runs each connection's requests in an engine
 * {@link io.dstream.mssql.emulator.engine.Session}. A client that asks for encryption
 * ({@code encrypt=true}) gets TLS 1.2 with the {@link ServerCertificate} for the whole session, one
 * with {@code encrypt=false} none at all. Each connection has a request thread and a reader
 * thread; all threads are daemons.
 */
public final class TdsServer implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(TdsServer.class);

    /** The name ERROR and INFO tokens carry as the server's. */
    private static final String SERVER_NAME = "mssql-cdc-emulator";
    /** SQL Server numbers user sessions from 51; the connection id doubles as the SPID. */
    private static final int FIRST_SPID = 51;
    private static final long JOIN_MILLIS = 5_000;

    private final Engine engine;
    private final ServerCertificate certificate;
    private final boolean entraSignIn;
    private final String host;
    private final int requestedPort;
    private final Set<TdsConnection> connections = ConcurrentHashMap.newKeySet();
    private final AtomicInteger nextId = new AtomicInteger(FIRST_SPID);
    private volatile ServerSocket serverSocket;
    private volatile Thread acceptor;
    private volatile boolean closed;

    /**
     * @param engine the engine every connection opens its session in
     * @param host   the address to bind, e.g. {@code 127.0.0.1}
     * @param port   the TCP port; 0 picks any free port (see {@link #port()})
     */
    public TdsServer(Engine engine, String host, int port) {
        this(engine, host, port, ServerCertificate.selfSigned(), false);
    }

    /**
     * @param certificate what clients asking for TLS are shown
     * @param entraSignIn accept Microsoft Entra tokens (for Azure SQL, {@code https://database.windows.net/}), as
     *                    Azure SQL does; when false they are refused as by a SQL Server without Microsoft Entra
     */
    public TdsServer(Engine engine, String host, int port, ServerCertificate certificate, boolean entraSignIn) {
        this.engine = Objects.requireNonNull(engine, "engine");
        this.certificate = Objects.requireNonNull(certificate, "certificate");
        this.entraSignIn = entraSignIn;
        this.host = Objects.requireNonNull(host, "host");
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("port must be 0 (any free port) or 1-65535, was " + port);
        }
        this.requestedPort = port;
    }

    /** Binds the port and accepts connections in a background thread. */
    public synchronized void start() throws IOException {
        if (serverSocket != null) {
            throw new IllegalStateException("TDS server already started on " + host + ":" + port());
        }
        if (closed) {
            throw new IllegalStateException("TDS server is closed; create a new one");
        }
        ServerSocket ss = new ServerSocket();
        try {
            ss.setReuseAddress(true);
            ss.bind(new InetSocketAddress(InetAddress.getByName(host), requestedPort), 128);
        } catch (IOException e) {
            ss.close();
            throw new IOException("cannot listen on " + host + ":" + requestedPort + " (" + e.getMessage()
                    + "); is the port in use? Port 0 picks a free one", e);
        }
        serverSocket = ss;
        Thread t = new Thread(this::acceptLoop, "tds-accept-" + ss.getLocalPort());
        t.setDaemon(true);
        acceptor = t;
        t.start();
        log.info("TDS server listening on {}:{}", host, ss.getLocalPort());
    }

    /** The bound port (the real one when constructed with port 0). */
    public int port() {
        ServerSocket ss = serverSocket;
        if (ss == null) {
            throw new IllegalStateException("TDS server not started; call start() first");
        }
        return ss.getLocalPort();
    }

    public String host() {
        return host;
    }

    /** Closes every open client socket; clients see a broken connection. The server keeps accepting. */
    public void dropConnections() {
        List<TdsConnection> open = List.copyOf(connections);
        log.info("dropping {} client connection(s)", open.size());
        open.forEach(TdsConnection::abort);
    }

    /** Connections accepted and not yet ended. */
    public int openConnections() {
        return connections.size();
    }

    /** Stops accepting, closes all connections and waits for their threads to end. */
    @Override
    public void close() {
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
        }
        ServerSocket ss = serverSocket;
        if (ss != null) {
            try {
                ss.close();
            } catch (IOException e) {
                log.debug("closing the server socket failed: {}", e.toString());
            }
        }
        List<TdsConnection> open = List.copyOf(connections);
        open.forEach(TdsConnection::abort);
        try {
            Thread t = acceptor;
            if (t != null) {
                t.join(JOIN_MILLIS);
            }
            for (TdsConnection c : open) {
                c.join(JOIN_MILLIS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        log.info("TDS server on {}:{} closed", host, ss == null ? requestedPort : ss.getLocalPort());
    }

    private void acceptLoop() {
        ServerSocket ss = serverSocket;
        while (!closed) {
            Socket socket;
            try {
                socket = ss.accept();
            } catch (IOException e) {
                if (!closed) {
                    log.warn("accepting connections on {}:{} failed; the server stops accepting", host,
                            ss.getLocalPort(), e);
                }
                return;
            }
            accepted(socket);
        }
    }

    private void accepted(Socket socket) {
        try {
            socket.setTcpNoDelay(true);
        } catch (IOException e) {
            log.debug("TCP_NODELAY not set: {}", e.toString());
        }
        int id = nextId.getAndIncrement();
        TdsConnection c = new TdsConnection(id, socket, engine, SERVER_NAME,
                new Handshake(id, engine, SERVER_NAME, certificate, entraSignIn), connections::remove);
        connections.add(c);
        if (closed) { // close() ran between accept and add: do not leave this one behind
            c.abort();
        }
        log.debug("connection {} from {}", id, socket.getRemoteSocketAddress());
        c.start();
    }
}
