package io.elasticcloud.api.console;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.util.Optional;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.springframework.stereotype.Component;

/**
 * The TLS context for {@code vnc:tls on} consoles: trusting only the CA of the hosts' VNC
 * certificates ({@code elastic.console.vnc-tls-ca}), not the JVM's public CAs. Read at start, so a
 * wrong path stops the API then rather than failing each console later.
 */
@Component
class VncTrust {
    private final Optional<SSLContext> context;

    VncTrust(ConsoleProperties properties) throws IOException, GeneralSecurityException {
        this.context = properties.vncTlsCa() == null ? Optional.empty() : Optional.of(trusting(properties.vncTlsCa()));
    }

    Optional<SSLContext> context() {
        return context;
    }

    static SSLContext trusting(Path caPem) throws IOException, GeneralSecurityException {
        KeyStore trust = KeyStore.getInstance(KeyStore.getDefaultType());
        trust.load(null, null);
        try (InputStream in = Files.newInputStream(caPem)) {
            int n = 0;
            for (Certificate ca : CertificateFactory.getInstance("X.509").generateCertificates(in)) {
                trust.setCertificateEntry("vnc-ca-" + n++, ca);
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
