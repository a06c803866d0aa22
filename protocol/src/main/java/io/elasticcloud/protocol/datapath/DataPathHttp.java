package io.elasticcloud.protocol.datapath;

import io.elasticcloud.protocol.ElasticException;
import io.elasticcloud.protocol.ErrorType;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.List;
import java.util.Locale;

/**
 * The wire of the internal HTTP data path, shared by the storage service's server and {@link
 * HttpVolumeDataPath}. On the node's own data URL (never the public API's port):
 * <ul>
 *   <li>{@code GET /volumes/NODE/VOLUME?offset=O&length=L}: {@code 200} and up to L bytes from O
 *   (fewer, or none, where the volume ends), streamed;</li>
 *   <li>{@code PUT /volumes/NODE/VOLUME?offset=O} with a body of exactly {@code Content-Length}
 *   bytes: {@code 204} once they are on disk;</li>
 *   <li>every request carries {@code Authorization: Bearer SECRET}, the shared secret {@code
 *   elastic.data-path.secret} (or, during a rotation, one of {@code elastic.data-path.accepted-secrets});
 *   without it, or with another, {@code 401};</li>
 *   <li>over TLS 1.3 with a certificate of the internal CA at both ends ({@link DataPathTls}),
 *   {@code https://} data URLs; plaintext {@code http://} on loopback only.</li>
 *   <li>a failure answers its {@link ErrorType}'s status with {@code X-Elastic-Error} and a one-line
 *   message, as the public API does, so the caller raises the same {@link ElasticException}.</li>
 * </ul>
 */
public final class DataPathHttp {
    public static final String VOLUMES = "/volumes/";
    public static final String ERROR_HEADER = "X-Elastic-Error";
    public static final String BEARER = "Bearer ";

    private DataPathHttp() {
    }

    /**
     * Whether the {@code Authorization} value presented carries one of {@code secrets} (the
     * current one and those still accepted during a rotation): compared in constant time, each
     * one, all hashed first, so neither which one matched nor any length leaks.
     */
    public static boolean authorized(String authorization, List<String> secrets) {
        if (authorization == null || !authorization.regionMatches(true, 0, BEARER, 0, BEARER.length())) {
            return false;
        }
        byte[] presented = sha256(authorization.substring(BEARER.length()));
        boolean ok = false;
        for (String secret : secrets) {
            if (secret != null && !secret.isEmpty()) {
                ok |= MessageDigest.isEqual(presented, sha256(secret));
            }
        }
        return ok;
    }

    /** The error type a reply's {@code X-Elastic-Error} names; {@code system} for anything else. */
    public static ErrorType errorType(String header) {
        if (header != null) {
            for (ErrorType t : ErrorType.values()) {
                if (t.header().equals(header.strip().toLowerCase(Locale.ROOT))) {
                    return t;
                }
            }
        }
        return ErrorType.SYSTEM;
    }

    private static byte[] sha256(String s) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
