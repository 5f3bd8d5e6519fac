package io.dstream.mssql.emulator;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A TCP relay in front of a server that keeps every byte a client sent, to see what travels on the
 * wire in the clear. One client connection at a time is enough for the tests that use it.
 */
final class RecordingProxy implements AutoCloseable {

    private final ServerSocket listener;
    private final String targetHost;
    private final int targetPort;
    private final ByteArrayOutputStream fromClients = new ByteArrayOutputStream();
    private final List<Socket> sockets = new ArrayList<>();

    RecordingProxy(String targetHost, int targetPort) throws IOException {
        this.targetHost = targetHost;
        this.targetPort = targetPort;
        this.listener = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        Thread acceptor = new Thread(this::accept, "recording-proxy");
        acceptor.setDaemon(true);
        acceptor.start();
    }

    int port() {
        return listener.getLocalPort();
    }

    /** Everything clients sent so far. */
    byte[] clientBytes() {
        synchronized (fromClients) {
            return fromClients.toByteArray();
        }
    }

    /** True when the client bytes hold {@code text} as TDS sends it (UTF-16LE). */
    boolean clientSentInTheClear(String text) {
        byte[] needle = text.getBytes(StandardCharsets.UTF_16LE);
        byte[] haystack = clientBytes();
        for (int i = 0; i + needle.length <= haystack.length; i++) {
            if (Arrays.equals(haystack, i, i + needle.length, needle, 0, needle.length)) {
                return true;
            }
        }
        return false;
    }

    private void accept() {
        try {
            while (true) {
                Socket client = listener.accept();
                Socket server = new Socket(targetHost, targetPort);
                synchronized (sockets) {
                    sockets.add(client);
                    sockets.add(server);
                }
                relay(client.getInputStream(), server.getOutputStream(), true);
                relay(server.getInputStream(), client.getOutputStream(), false);
            }
        } catch (IOException e) {
            // closed
        }
    }

    private void relay(InputStream in, OutputStream out, boolean record) {
        Thread t = new Thread(() -> {
            byte[] buffer = new byte[8192];
            try {
                int n;
                while ((n = in.read(buffer)) > 0) {
                    if (record) {
                        synchronized (fromClients) {
                            fromClients.write(buffer, 0, n);
                        }
                    }
                    out.write(buffer, 0, n);
                    out.flush();
                }
                out.close();
            } catch (IOException e) {
                // either side went away
            }
        }, "recording-proxy-relay");
        t.setDaemon(true);
        t.start();
    }

    @Override
    public void close() throws IOException {
        listener.close();
        synchronized (sockets) {
            for (Socket s : sockets) {
                s.close();
            }
        }
    }
}
