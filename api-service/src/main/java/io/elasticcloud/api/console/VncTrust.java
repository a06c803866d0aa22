package io.elasticcloud.api.console;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.springframework.stereotype.Component;

/**
 * The TLS context for {@code vnc:tls on} consoles: trusting only the CA of the hosts' VNC
 * certificates ({@code elastic.console.vnc-tls-ca}), not the JVM's public CAs. Read as each such
 * console opens (they are few, the file is small), so a CA put in place or replaced after the start
 * is used without a restart; without one, only {@code vnc:tls on} consoles fail, saying why.
 */
@Component
class VncTrust {
    private final Path ca;

    VncTrust(ConsoleProperties properties) {
        this.ca = properties.vncTlsCa();
    }

    /** A context trusting the configured CA; fails, saying what to set, when there is none. */
    SSLContext context() throws IOException {
        if (ca == null || !Files.isReadable(ca)) {
            throw new IOException("the console of a vnc:tls on server needs the hosts' VNC CA certificate, "
                    + (ca == null ? "elastic.console.vnc-tls-ca is not set" : ca + " cannot be read"));
        }
        try {
            return trusting(ca);
        } catch (GeneralSecurityException e) {
            throw new IOException(ca + " is not a CA certificate: " + e.getMessage(), e);
        }
    }

    static SSLContext trusting(Path caPem) throws IOException, GeneralSecurityException {
        KeyStore trust = KeyStore.getInstance(KeyStore.getDefaultType());
        trust.load(null, null);
        try (InputStream in = Files.newInputStream(caPem)) {
            int n = 0;
            for (Certificate certificate : CertificateFactory.getInstance("X.509").generateCertificates(in)) {
                trust.setCertificateEntry("vnc-ca-" + n++, certificate);
            }
            if (n == 0) {
                throw new GeneralSecurityException(caPem + " holds no certificate");
            }
        }
        TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        factory.init(trust);
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(null, factory.getTrustManagers(), null);
        return context;
    }
}
