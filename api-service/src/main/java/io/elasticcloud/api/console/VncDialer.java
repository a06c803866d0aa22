package io.elasticcloud.api.console;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.time.Duration;

/**
 * Opens the TCP connection to a guest's VNC at the address and port its server's row and host
 * name. A seam for the fast tests only (they point it at an RFB server of their own); the target
 * is never the client's choice.
 */
@FunctionalInterface
public interface VncDialer {
    Socket connect(String address, int port, Duration timeout) throws IOException;

    /** A plain TCP connection. */
    static Socket tcp(String address, int port, Duration timeout) throws IOException {
        Socket socket = new Socket();
        try {
            socket.connect(new InetSocketAddress(address, port), (int) timeout.toMillis());
            socket.setTcpNoDelay(true);
            return socket;
        } catch (IOException e) {
            socket.close();
            throw e;
        }
    }
}
