package io.dstream.mssql.emulator.tds;

import io.dstream.mssql.emulator.engine.Engine;
import io.dstream.mssql.emulator.engine.Session;
import io.dstream.mssql.emulator.engine.SqlError;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.time.Instant;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLException;

/**
 * PRELOGIN, the TLS handshake when the client asked for encryption, and LOGIN7: opens the engine
 * session and answers as SQL Server does (ENVCHANGE
 * database, collation and language, INFO 5701/5703, LOGINACK, ENVCHANGE packet size, DONE), or
 * sends ERROR 18456 and DONE(ERROR) when the engine refuses the login.
 */
final class Handshake {

    private static final Logger log = LoggerFactory.getLogger(Handshake.class);

    private static final int ERR_LOGIN_FAILED = 18456;
    /**
     * Where FEDAUTHINFO tells clients to get a token: Entra's multi-tenant authority, as the emulator has no
     * tenant of its own. Managed identity clients do not use it (their endpoint is local to the host).
     */
    private static final String ENTRA_AUTHORITY = "https://login.microsoftonline.com/common";
    /**
     * A TLS record of content type handshake starts with 0x16, which is no TDS packet type: a TDS 8
     * client (mssql-jdbc encrypt=strict) sends it first and waits for the server's TLS answer.
     */
    private static final int TLS_HANDSHAKE_RECORD = 0x16;
    /** TDS 7.2 (SQL Server 2005) introduced ALL_HEADERS and the (max) types the emulator relies on. */
    private static final int TDS_72 = 0x72090002;

    private final int id;
    private final Engine engine;
    private final String serverName;
    private final ServerCertificate certificate;
    private final boolean entraSignIn;

    /**
     * @param entraSignIn whether Microsoft Entra tokens are accepted (as Azure SQL does), or refused as by a
     *                    SQL Server without Microsoft Entra configured
     */
    Handshake(int id, Engine engine, String serverName, ServerCertificate certificate, boolean entraSignIn) {
        this.id = id;
        this.engine = engine;
        this.serverName = serverName;
        this.certificate = certificate;
        this.entraSignIn = entraSignIn;
    }

    /** The session, and the streams the connection goes on with: TLS ones after an encrypted PRELOGIN. */
    record LoggedIn(Session session, MessageReader in, ResponseWriter out) {
    }

    /**
     * @param rawIn the socket's stream, buffered (TLS reads on from where the TDS framing stopped)
     * @return the logged-in session, or null when the client went away or the login failed
     */
    LoggedIn perform(InputStream rawIn, OutputStream rawOut) throws IOException {
        MessageReader in = new MessageReader(rawIn);
        ResponseWriter out = new ResponseWriter(rawOut, id, Tds.DEFAULT_PACKET_SIZE);
        if (in.peek() == TLS_HANDSHAKE_RECORD) {
            log.warn("connection {}: the client starts with TLS (TDS 8, encrypt=strict), which the emulator does not"
                    + " speak; connect with encrypt=true (TLS after PRELOGIN, TDS 7.4) or encrypt=false", id);
            return null;
        }
        Message m = in.read();
        if (m != null && m.type() == Tds.PKT_PRELOGIN) {
            SSLContext tls = answerPreLogin(m.payload(), out);
            if (tls != null) {
                TlsChannel channel = startTls(tls, in, rawIn, rawOut);
                if (channel == null) {
                    return null;
                }
                in = new MessageReader(channel.input());
                out = new ResponseWriter(channel.output(), id, Tds.DEFAULT_PACKET_SIZE);
            }
            m = in.read();
        }
        if (m == null) {
            return null;
        }
        if (m.type() != Tds.PKT_LOGIN7) {
            log.warn("connection {}: expected LOGIN7 but got packet type 0x{}; closing", id, Integer.toHexString(m.type()));
            return null;
        }
        Session session = login(Login7.parse(m.payload()), in, out);
        return session == null ? null : new LoggedIn(session, in, out);
    }

    /** Answers PRELOGIN; returns the TLS context when the answer was ENCRYPT_ON, else null. */
    private SSLContext answerPreLogin(byte[] payload, ResponseWriter out) {
        SSLContext tls = PreLogin.wantsEncryption(PreLogin.requestedEncryption(payload)) ? tlsContext() : null;
        PreLogin.writeResponse(out, id, tls == null ? PreLogin.ENCRYPT_NOT_SUP : PreLogin.ENCRYPT_ON,
                entraSignIn && PreLogin.asksForFedAuth(payload));
        return tls;
    }

    /** The certificate's context, or null (the client is told the server has no encryption) when it cannot be had. */
    private SSLContext tlsContext() {
        try {
            return certificate.context();
        } catch (IllegalStateException e) {
            log.warn("connection {}: the client asks for encryption, but {}; answering that the server does not"
                    + " support it (clients with encrypt=false still connect)", id, e.getMessage());
            return null;
        }
    }

    /** The TLS channel, or null when the handshake failed (logged with what to check). */
    private TlsChannel startTls(SSLContext tls, MessageReader in, InputStream rawIn, OutputStream rawOut)
            throws IOException {
        try {
            TlsChannel channel = TlsChannel.handshake(tls, in, rawIn, rawOut, id);
            log.debug("connection {}: TLS handshake done ({})", id, channel.describe());
            return channel;
        } catch (SSLException | EOFException e) {
            log.warn("connection {}: the TLS handshake failed ({}); a client that does not trust the emulator's"
                    + " certificate needs trustServerCertificate=true, or a trust store holding it", id, e.getMessage());
            return null;
        }
    }

    private Session login(Login7 login, MessageReader in, ResponseWriter out) throws IOException {
        String database = login.database().isEmpty() ? "master" : login.database();
        log.debug("connection {}: LOGIN7 {}", id, login);
        if (Integer.compareUnsigned(login.tdsVersion(), TDS_72) < 0) {
            log.warn("connection {}: the client speaks TDS 0x{}; the emulator answers in TDS 7.4 and needs 7.2 or later",
                    id, Integer.toHexString(login.tdsVersion()));
        }
        boolean entra = login.fedAuth().requested();
        Session session;
        try {
            session = entra ? entraSession(login.fedAuth(), database, in, out)
                    : engine.openSession(database, login.userName(), login.password());
        } catch (SqlError e) {
            log.warn("connection {}: login failed for user '{}' (error {}): {}", id, login.userName(), e.number(),
                    e.getMessage());
            refuse(out, e);
            return null;
        } catch (RuntimeException e) {
            log.warn("connection {}: the engine failed to open a session", id, e);
            refuse(out, new SqlError(ERR_LOGIN_FAILED, 1, 14, "Login failed for user '" + login.userName()
                    + "': the emulator could not open a session (" + e + ")."));
            return null;
        }
        int packetSize = negotiatedPacketSize(login.packetSize());
        String db = session.database();
        Tokens.envChange(out, Tds.ENV_DATABASE, db, "master");
        Tokens.envChangeBytes(out, Tds.ENV_COLLATION, Tds.COLLATION, new byte[0]);
        Tokens.envChange(out, Tds.ENV_LANGUAGE, "us_english", "");
        Tokens.message(out, Tds.TOKEN_INFO, 5701, 2, 0, "Changed database context to '" + db + "'.", serverName, "", 1);
        Tokens.message(out, Tds.TOKEN_INFO, 5703, 1, 0, "Changed language setting to us_english.", serverName, "", 1);
        Tokens.loginAck(out);
        if (entra) {
            Tokens.featureExtAckFedAuth(out);
        }
        Tokens.envChange(out, Tds.ENV_PACKET_SIZE, Integer.toString(packetSize), Integer.toString(packetSize));
        Tokens.done(out, Tds.TOKEN_DONE, Tds.DONE_FINAL, Tds.CMD_NONE, 0);
        out.endMessage();
        out.packetSize(packetSize);
        log.debug("connection {}: logged in as '{}' to '{}', packet size {}", id, login.userName(), db, packetSize);
        return session;
    }

    /**
     * Microsoft Entra sign-in (MS-TDS 3.3.5.5 and 3.3.5.7): the token comes in LOGIN7 (security token library), or
     * the server answers FEDAUTHINFO and the client sends it in a FEDAUTH message (MSAL library: managed identity,
     * service principal, access token callback...).
     *
     * @throws SqlError 18456 when Entra sign-in is off, or the token is refused
     */
    private Session entraSession(Login7.FedAuth fedAuth, String database, MessageReader in, ResponseWriter out)
            throws IOException {
        if (!entraSignIn) {
            // like a SQL Server without Microsoft Entra configured: a login failure, not a dropped connection
            log.warn("connection {}: the client signs in with a Microsoft Entra token (federated authentication),"
                    + " which this emulator does not accept (start it with Entra sign-in on); refused with error {}",
                    id, ERR_LOGIN_FAILED);
            throw new SqlError(ERR_LOGIN_FAILED, 1, 14, "Login failed: federated authentication (Microsoft Entra ID) is"
                    + " not supported by the emulator; sign in with a SQL login (user and password).");
        }
        String token = switch (fedAuth.library()) {
            case Login7.FedAuth.LIBRARY_SECURITY_TOKEN -> fedAuth.token();
            case Login7.FedAuth.LIBRARY_MSAL -> {
                Tokens.fedAuthInfo(out, ENTRA_AUTHORITY, EntraToken.AZURE_SQL_RESOURCE);
                out.endMessage();
                yield fedAuthToken(in.read());
            }
            default -> throw new SqlError(ERR_LOGIN_FAILED, 1, 14, "Login failed: federated authentication library "
                    + fedAuth.library() + " is not supported.");
        };
        String principal = EntraToken.principal(token, Instant.now());
        log.debug("connection {}: Microsoft Entra token accepted for principal {}", id, principal);
        return engine.openEntraSession(database, principal);
    }

    /** The token of the client's FEDAUTH message (MS-TDS 2.2.6.3): DataLen, then the token as L_VARBYTE (UTF-16LE). */
    private static String fedAuthToken(Message m) throws IOException {
        if (m == null) {
            throw new EOFException("the client closed the connection instead of sending its Microsoft Entra token");
        }
        if (m.type() != Tds.PKT_FEDAUTH_TOKEN || m.payload().length < 8) {
            throw new SqlError(ERR_LOGIN_FAILED, 1, 14, "Login failed: expected the Microsoft Entra token (packet type"
                    + " 0x08), got packet type 0x" + Integer.toHexString(m.type()) + ".");
        }
        PayloadReader r = new PayloadReader(m.payload());
        r.position(4);
        int length = Math.min(r.i32(), m.payload().length - 8);
        return r.utf16(length / 2);
    }

    private void refuse(ResponseWriter out, SqlError e) {
        Tokens.message(out, Tds.TOKEN_ERROR, e.number(), e.state(), e.severity(), e.getMessage(), serverName, "", 1);
        Tokens.done(out, Tds.TOKEN_DONE, Tds.DONE_ERROR, Tds.CMD_NONE, 0);
        out.endMessage();
    }

    /** 0 lets the server choose; anything else is kept within what TDS allows. */
    private static int negotiatedPacketSize(int requested) {
        if (requested == 0) {
            return Tds.DEFAULT_PACKET_SIZE;
        }
        return Math.max(Tds.MIN_PACKET_SIZE, Math.min(Tds.MAX_PACKET_SIZE, requested));
    }
}
