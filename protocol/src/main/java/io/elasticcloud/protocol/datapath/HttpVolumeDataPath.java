package io.elasticcloud.protocol.datapath;

import io.elasticcloud.protocol.ElasticException;
import io.elasticcloud.protocol.ErrorType;
import io.elasticcloud.protocol.storage.VolumeDataPath;
import io.elasticcloud.protocol.storage.VolumeRef;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.HttpURLConnection;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.function.Function;
import javax.net.ssl.HttpsURLConnection;
import javax.net.ssl.SSLSocketFactory;

/**
 * The data path to storage nodes of other processes: the internal HTTP endpoint each node
 * advertises ({@link DataPathHttp}). Bytes are streamed through one 64 KiB buffer per call
 * whatever the length; a node's typed error comes back as the same {@link ElasticException} the
 * local path raises, and a node that cannot be reached, or refuses the secret, as {@code system}.
 * An {@code https://} node is called over {@link DataPathTls} (this host's certificate shown, the
 * node's checked against the internal CA and its URL's host); an {@code http://} node only on
 * loopback, so that neither the secret nor a drive's bytes cross a network in the clear.
 */
public final class HttpVolumeDataPath implements VolumeDataPath {
    static final int BUFFER = 64 * 1024;
    private static final int MAX_MESSAGE = 1024;

    private final Function<String, URI> urlOf;
    private final String secret;
    private final SSLSocketFactory tls;
    private final int connectTimeoutMillis;
    private final int readTimeoutMillis;

    /**
     * @param urlOf  a node's data URL; throws {@code system} for a node whose URL is not known
     * @param secret the shared secret ({@code elastic.data-path.secret}); null or blank: every call
     *               fails with {@code system}, as no node would accept it
     * @param tls    this host's TLS for {@code https://} nodes; null: loopback {@code http://} nodes only
     */
    public HttpVolumeDataPath(Function<String, URI> urlOf, String secret, DataPathTls tls, Duration connectTimeout,
                              Duration readTimeout) {
        this.urlOf = urlOf;
        this.secret = secret == null || secret.isBlank() ? null : secret.strip();
        this.tls = tls == null ? null : tls.clientSockets();
        this.connectTimeoutMillis = (int) connectTimeout.toMillis();
        this.readTimeoutMillis = (int) readTimeout.toMillis();
    }

    @Override
    public long read(VolumeRef volume, long offset, long length, OutputStream out) throws IOException {
        if (offset < 0 || length < 0) {
            throw ElasticException.usage("negative offset or length");
        }
        HttpURLConnection c = open(volume, "offset=" + offset + "&length=" + length, "GET");
        try {
            check(c, volume, 200);
            long done = 0;
            try (InputStream in = c.getInputStream()) {
                byte[] buf = new byte[(int) Math.min(BUFFER, Math.max(length, 1))];
                int n;
                while ((n = in.read(buf)) > 0) {
                    if (done + n > length) {
                        throw unreachable(volume, "it sent more bytes than asked for", null);
                    }
                    out.write(buf, 0, n);
                    done += n;
                }
            } catch (IOException e) {
                throw unreachable(volume, "the read broke off", e);
            }
            return done;
        } catch (RuntimeException | IOException e) {
            c.disconnect();
            throw e;
        }
    }

    @Override
    public void write(VolumeRef volume, long offset, long length, InputStream in) throws IOException {
        if (offset < 0 || length < 0) {
            throw ElasticException.usage("negative offset or length");
        }
        HttpURLConnection c = open(volume, "offset=" + offset, "PUT");
        c.setDoOutput(true);
        c.setFixedLengthStreamingMode(length);
        try {
            long done = 0;
            OutputStream body;
            try {
                body = c.getOutputStream();
            } catch (IOException e) {
                throw unreachable(volume, "no connection", e);
            }
            byte[] buf = new byte[(int) Math.min(BUFFER, Math.max(length, 1))];
            while (done < length) {
                int n = in.read(buf, 0, (int) Math.min(buf.length, length - done));
                if (n < 0) {
                    // the node sees the body end early and keeps what came, as the local path does
                    throw ElasticException.usage("the data ended after %d of %d bytes", done, length);
                }
                try {
                    body.write(buf, 0, n);
                } catch (IOException e) {
                    // the node may have answered early (an error) and closed: its answer says why
                    check(c, volume, 204);
                    throw unreachable(volume, "the write broke off", e);
                }
                done += n;
            }
            try {
                body.close();
            } catch (IOException e) {
                throw unreachable(volume, "the write broke off", e);
            }
            check(c, volume, 204);
            c.getInputStream().close();
        } catch (RuntimeException | IOException e) {
            c.disconnect();
            throw e;
        }
    }

    private HttpURLConnection open(VolumeRef volume, String query, String method) throws IOException {
        if (secret == null) {
            throw ElasticException.system("storage node %s is in another process and elastic.data-path.secret is not set",
                    volume.node());
        }
        URI base = urlOf.apply(volume.node());
        String path = base.getPath().replaceAll("/+$", "") + DataPathHttp.VOLUMES
                + encode(volume.node()) + "/" + encode(volume.volume());
        boolean https = "https".equalsIgnoreCase(base.getScheme());
        if (https && tls == null) {
            throw ElasticException.system("storage node %s serves its data path over TLS (%s) and this process has "
                    + "no elastic.data-path.tls.* to call it with", volume.node(), base);
        }
        if (!https && (!"http".equalsIgnoreCase(base.getScheme()) || base.getHost() == null
                || !DataPathTls.loopback(base.getHost()))) {
            throw ElasticException.system("storage node %s advertises a plaintext data path off loopback (%s): "
                    + "refused, the secret and the bytes would cross the network in the clear; give every API and "
                    + "storage process elastic.data-path.tls.*", volume.node(), base);
        }
        HttpURLConnection c = (HttpURLConnection) base.resolve(path + "?" + query).toURL().openConnection();
        if (c instanceof HttpsURLConnection secured) {
            secured.setSSLSocketFactory(tls);
        }
        c.setRequestMethod(method);
        c.setConnectTimeout(connectTimeoutMillis);
        c.setReadTimeout(readTimeoutMillis);
        c.setUseCaches(false);
        c.setRequestProperty("Authorization", DataPathHttp.BEARER + secret);
        return c;
    }

    /** Returns when the node answered {@code expected}; otherwise throws its error. */
    private void check(HttpURLConnection c, VolumeRef volume, int expected) throws IOException {
        int status;
        try {
            status = c.getResponseCode();
        } catch (IOException e) {
            throw unreachable(volume, "no answer", e);
        }
        if (status == expected) {
            return;
        }
        if (status == 401) {
            throw ElasticException.system("storage node %s refused our data path secret (elastic.data-path.secret)",
                    volume.node());
        }
        String message = message(c);
        ErrorType type = DataPathHttp.errorType(c.getHeaderField(DataPathHttp.ERROR_HEADER));
        if (type == ErrorType.AUTH) {
            type = ErrorType.SYSTEM;
        }
        throw new ElasticException(type, message.isEmpty()
                ? "storage node " + volume.node() + " answered HTTP " + status : message);
    }

    private static String message(HttpURLConnection c) {
        try (InputStream err = c.getErrorStream()) {
            if (err == null) {
                return "";
            }
            return new String(err.readNBytes(MAX_MESSAGE), StandardCharsets.UTF_8).strip();
        } catch (IOException e) {
            return "";
        }
    }

    private static ElasticException unreachable(VolumeRef volume, String what, Throwable cause) {
        return new ElasticException(ErrorType.SYSTEM, "storage node " + volume.node()
                + " cannot be reached on its data path: " + what + (cause == null ? "" : " (" + cause.getMessage() + ")"),
                cause);
    }

    private static String encode(String segment) {
        return URLEncoder.encode(segment, StandardCharsets.UTF_8).replace("+", "%20");
    }
}
