package io.elasticcloud.api.console;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A guest's VNC as QEMU serves it with a password, on a loopback port: RFB 3.8, VNC authentication
 * only, then a {@value #WIDTH}×{@value #HEIGHT} framebuffer named {@value #NAME} whose every update
 * is {@link #PIXELS} in raw encoding. Records what each connection sent: the password's answer
 * accepted or not, and the shared flag. Bounded: connections are served until {@link #close}.
 */
final class FakeVncServer implements AutoCloseable {
    static final int WIDTH = 4;
    static final int HEIGHT = 2;
    static final String NAME = "fake guest";
    static final byte[] PIXELS = new byte[WIDTH * HEIGHT * 4];

    static {
        for (int i = 0; i < PIXELS.length; i++) {
            PIXELS[i] = (byte) (i * 7 + 3);
        }
    }

    /** What one connection did. */
    record Seen(boolean passwordAccepted, int shared) {
    }

    /** The address:port each connection was asked for (by the test's dialer). */
    final List<String> dialed = new CopyOnWriteArrayList<>();
    private final ServerSocket listening;
    private final List<Seen> seen = new CopyOnWriteArrayList<>();
    private final List<Socket> open = new CopyOnWriteArrayList<>();
    private volatile String password = "s3cr3t";

    FakeVncServer() throws IOException {
        listening = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        Thread accept = new Thread(this::accept, "fake-vnc");
        accept.setDaemon(true);
        accept.start();
    }

    int port() {
        return listening.getLocalPort();
    }

    void password(String password) {
        this.password = password;
    }

    List<Seen> seen() {
        return List.copyOf(seen);
    }

    /** Connections open now. */
    long connected() {
        return open.stream().filter(s -> !s.isClosed()).count();
    }

    private void accept() {
        while (!listening.isClosed()) {
            try {
                Socket socket = listening.accept();
                open.add(socket);
                Thread serve = new Thread(() -> serve(socket), "fake-vnc-client");
                serve.setDaemon(true);
                serve.start();
            } catch (IOException e) {
                return; // closed
            }
        }
    }

    private void serve(Socket socket) {
        try (socket) {
            DataInputStream in = new DataInputStream(socket.getInputStream());
            DataOutputStream out = new DataOutputStream(socket.getOutputStream());
            out.write("RFB 003.008\n".getBytes(StandardCharsets.US_ASCII));
            in.readFully(new byte[12]);
            out.write(new byte[] {1, 2});
            if (in.readUnsignedByte() != 2) {
                return;
            }
            byte[] challenge = new byte[16];
            new SecureRandom().nextBytes(challenge);
            out.write(challenge);
            byte[] answer = new byte[16];
            in.readFully(answer);
            boolean accepted = Arrays.equals(answer, VncUpstream.des(password, challenge));
            out.writeInt(accepted ? 0 : 1);
            if (!accepted) {
                byte[] reason = "Authentication failed".getBytes(StandardCharsets.US_ASCII);
                out.writeInt(reason.length);
                out.write(reason);
                seen.add(new Seen(false, -1));
                return;
            }
            int shared = in.readUnsignedByte();
            seen.add(new Seen(true, shared));
            out.writeShort(WIDTH);
            out.writeShort(HEIGHT);
            out.write(new byte[] {32, 24, 0, 1, 0, (byte) 255, 0, (byte) 255, 0, (byte) 255, 16, 8, 0, 0, 0, 0});
            byte[] name = NAME.getBytes(StandardCharsets.US_ASCII);
            out.writeInt(name.length);
            out.write(name);
            out.flush();
            while (true) { // only FramebufferUpdateRequests (type 3) come in these tests
                int type = in.readUnsignedByte();
                if (type != 3) {
                    return;
                }
                in.readFully(new byte[9]);
                out.write(new byte[] {0, 0, 0, 1});
                out.writeShort(0);
                out.writeShort(0);
                out.writeShort(WIDTH);
                out.writeShort(HEIGHT);
                out.writeInt(0);
                out.write(PIXELS);
                out.flush();
            }
        } catch (IOException e) {
            // the proxy went away
        }
    }

    /** Drops every connection, as QEMU does when its guest ends. */
    void dropAll() throws IOException {
        for (Socket s : open) {
            s.close();
        }
    }

    @Override
    public void close() throws IOException {
        listening.close();
        dropAll();
    }
}
