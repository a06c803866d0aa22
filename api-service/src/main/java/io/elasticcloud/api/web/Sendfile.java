package io.elasticcloud.api.web;

import jakarta.servlet.http.HttpServletRequest;
import java.nio.file.Path;

/**
 * Tomcat's sendfile: a response whose body is a range of a local file, which the connector sends
 * with sendfile(2) after the handler returns, from the page cache straight to the socket, without
 * copying it through the JVM. Offered by Tomcat's NIO connector on plain HTTP (not over TLS).
 */
public final class Sendfile {
    private static final String SUPPORTED = "org.apache.tomcat.sendfile.support";
    private static final String FILENAME = "org.apache.tomcat.sendfile.filename";
    private static final String START = "org.apache.tomcat.sendfile.start";
    private static final String END = "org.apache.tomcat.sendfile.end";

    private Sendfile() {
    }

    /** Whether the server can send this request's response with sendfile. */
    public static boolean supported(HttpServletRequest request) {
        return Boolean.TRUE.equals(request.getAttribute(SUPPORTED));
    }

    /**
     * Makes {@code length} bytes of {@code file} from {@code offset} the response's body. The
     * handler sets status, type and content length, then writes nothing more.
     */
    public static void send(HttpServletRequest request, Path file, long offset, long length) {
        request.setAttribute(FILENAME, file.toAbsolutePath().toString());
        request.setAttribute(START, offset);
        request.setAttribute(END, offset + length);
    }
}
