package io.elasticcloud.api.frontdoor;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.channels.SocketChannel;
import org.apache.coyote.http11.Http11NioProtocol;
import org.apache.juli.logging.Log;
import org.apache.juli.logging.LogFactory;
import org.apache.tomcat.util.net.NioChannel;
import org.apache.tomcat.util.net.NioEndpoint;
import org.apache.tomcat.util.net.SocketWrapperBase;

/**
 * Tomcat's NIO HTTP/1.1 connector with a limit on the connections one source address
 * ({@link SourceAddress}: an IPv4 address, or an IPv6 /64) may hold open, checked at accept: the
 * connection over the limit is closed at once, before any request (no HTTP answer is possible
 * yet). Without it, one client could hold all of {@code server.tomcat.max-connections} with idle
 * or slow-header connections and every other customer would wait at accept.
 *
 * <p>The count is the endpoint's own table of open connections, scanned on each accept (at most
 * max-connections entries), so nothing can leak: a connection stops counting when Tomcat forgets it.
 */
public class AddressLimitedProtocol extends Http11NioProtocol {

    public AddressLimitedProtocol() {
        super(new Endpoint());
    }

    /** Connections one source address may hold open at once. */
    public void setMaxConnectionsPerAddress(int limit) {
        if (limit < 1) {
            throw new IllegalArgumentException("maxConnectionsPerAddress must be positive: " + limit);
        }
        ((Endpoint) getEndpoint()).limit = limit;
    }

    public int getMaxConnectionsPerAddress() {
        return ((Endpoint) getEndpoint()).limit;
    }

    static final class Endpoint extends NioEndpoint {
        private static final Log log = LogFactory.getLog(AddressLimitedProtocol.class);

        private volatile int limit = Integer.MAX_VALUE;

        @Override
        protected boolean setSocketOptions(SocketChannel socket) {
            if (getUnixDomainSocketPath() == null && limit < Integer.MAX_VALUE) {
                String source = sourceOf(socket);
                if (source == null || openFrom(source) >= limit) {
                    if (log.isDebugEnabled()) {
                        log.debug("Connection refused: " + source + " holds " + limit + " open connections");
                    }
                    // as NioEndpoint does for a socket it has no wrapper for: the acceptor's
                    // closeSocket() only closes sockets that have one
                    destroySocket(socket);
                    return false;
                }
            }
            return super.setSocketOptions(socket);
        }

        /** Open connections from {@code source}: the endpoint's table, scanned (one acceptor thread). */
        private int openFrom(String source) {
            int n = 0;
            for (SocketWrapperBase<NioChannel> wrapper : connections.values()) {
                try {
                    if (source.equals(SourceAddress.of(wrapper.getRemoteAddr()))) {
                        n++;
                    }
                } catch (RuntimeException e) {
                    // a connection closing under the scan: it no longer counts
                }
            }
            return n;
        }

        private static String sourceOf(SocketChannel socket) {
            try {
                SocketAddress peer = socket.getRemoteAddress();
                if (peer instanceof InetSocketAddress inet && inet.getAddress() != null) {
                    return SourceAddress.of(inet.getAddress().getHostAddress());
                }
                return null;
            } catch (IOException e) {
                return null; // already gone
            }
        }
    }
}
