package io.elasticcloud.protocol.bus;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A loopback TCP relay to the test broker, so that a test can take the broker away from one
 * connection factory (and give it back on the same port) without touching the broker others use:
 * {@link #stop} refuses, as a broker that is down; {@link #freeze} stops carrying bytes but keeps
 * every connection and accepts new ones, as a broker behind a network partition (or {@code docker
 * pause}d).
 */
final class TcpRelay implements AutoCloseable {
    private final int targetPort;
    private final List<Socket> sockets = new CopyOnWriteArrayList<>();
    private volatile ServerSocket listening;
    private volatile int port;
    private volatile boolean frozen;

    TcpRelay(int targetPort) {
        this.targetPort = targetPort;
    }

    int port() {
        return port;
    }

    /** Listens (again, on the same port after a {@link #stop}) and relays every connection. */
    TcpRelay start() {
        try {
            ServerSocket socket = new ServerSocket();
            socket.setReuseAddress(true);
            socket.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
            port = socket.getLocalPort();
            listening = socket;
            daemon("relay-accept", () -> accept(socket));
            return this;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Stops listening and cuts every relayed connection, as a broker that went away. */
    void stop() {
        ServerSocket socket = listening;
        listening = null;
        closeQuietly(socket);
        sockets.forEach(TcpRelay::closeQuietly);
        sockets.clear();
    }

    /** Holds every byte in either direction until {@link #thaw}; connections stay open. */
    void freeze() {
        frozen = true;
    }

    /** Carries bytes again, what was held first. */
    void thaw() {
        frozen = false;
    }

    @Override
    public void close() {
        stop();
    }

    private void accept(ServerSocket socket) {
        while (!socket.isClosed()) {
            try {
                Socket client = socket.accept();
                Socket broker = new Socket(InetAddress.getLoopbackAddress(), targetPort);
                sockets.add(client);
                sockets.add(broker);
                pipe(client, broker);
                pipe(broker, client);
            } catch (IOException e) {
                return; // closed by stop()
            }
        }
    }

    private void pipe(Socket from, Socket to) {
        daemon("relay-pipe", () -> {
            try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
                byte[] buffer = new byte[8192];
                for (int n = in.read(buffer); n >= 0; n = in.read(buffer)) {
                    // held while frozen: the sender's writes then fill its socket and block, as at a partition
                    while (frozen && !to.isClosed()) {
                        Thread.sleep(20);
                    }
                    out.write(buffer, 0, n);
                    out.flush();
                }
            } catch (IOException | InterruptedException e) {
                // one side closed: close both below
            } finally {
                closeQuietly(from);
                closeQuietly(to);
            }
        });
    }

    private static void daemon(String name, Runnable body) {
        Thread thread = new Thread(body, name);
        thread.setDaemon(true);
        thread.start();
    }

    private static void closeQuietly(AutoCloseable closeable) {
        if (closeable != null) {
            try {
                closeable.close();
            } catch (Exception e) {
                // already closed
            }
        }
    }
}
