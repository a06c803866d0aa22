package io.elasticcloud.protocol.datapath;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.Principal;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.Collection;
import java.util.concurrent.atomic.AtomicLong;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.SSLSocketFactory;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509ExtendedKeyManager;
import javax.net.ssl.X509ExtendedTrustManager;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The TLS of the internal data path: TLS 1.3 only, and both ends show a certificate of the
 * internal CA ({@code deploy/internal-ca.sh}): the storage node's server asks every caller for
 * one, the caller checks that the node's certificate names the host of its data URL. The files
 * are read again when they change (checked at most every {@link #RECHECK_MILLIS}), so renewed
 * certificates and an added CA are taken without a restart; a file that does not load keeps the
 * previous material in use (a warning).
 */
public final class DataPathTls {
    private static final Logger log = LoggerFactory.getLogger(DataPathTls.class);
    static final String[] PROTOCOLS = {"TLSv1.3"};
    static final long RECHECK_MILLIS = 2000;

    private final Path keystore;
    private final Path passwordFile;
    private final Path caFile;
    private final SSLContext context;
    private final AtomicLong generation = new AtomicLong();
    private volatile Material current;
    private volatile Material previous;
    private volatile long checkedAt;
    private volatile String failedStamp;

    /** What one reading of the files gave; {@code generation} tags the key aliases it hands out. */
    private record Material(long generation, String stamp, X509ExtendedKeyManager keys, X509ExtendedTrustManager trust) {
    }

    /**
     * @param keystore     PKCS12: this host's key and certificate chain
     * @param passwordFile the keystore's password, its first line
     * @param caFile       PEM: the CA certificate(s) whose certificates are trusted, at both ends
     * @throws IOException when a file is missing or does not load (the process should not start)
     */
    public DataPathTls(Path keystore, Path passwordFile, Path caFile) throws IOException {
        this.keystore = keystore;
        this.passwordFile = passwordFile;
        this.caFile = caFile;
        try {
            this.current = load(stamp());
            this.context = SSLContext.getInstance("TLSv1.3");
            context.init(new Keys[] {new Keys()}, new Trust[] {new Trust()}, null);
        } catch (GeneralSecurityException e) {
            throw new IOException("the data path's TLS files do not load (" + keystore + ", " + passwordFile + ", "
                    + caFile + "): " + e.getMessage(), e);
        }
    }

    /**
     * The TLS of {@code elastic.data-path.tls.*}: null when none of the three files is named (the
     * data path is then plaintext, which storage allows on loopback only); all three or none.
     */
    public static DataPathTls of(DataPathConfiguration.Tls settings) throws IOException {
        if (settings == null || settings.keystore() == null && settings.passwordFile() == null && settings.caFile() == null) {
            return null;
        }
        if (settings.keystore() == null || settings.passwordFile() == null || settings.caFile() == null) {
            throw new IllegalArgumentException("the data path's TLS needs all three of elastic.data-path.tls.keystore, "
                    + ".password-file and .ca-file (deploy/internal-ca.sh makes them)");
        }
        return new DataPathTls(settings.keystore(), settings.passwordFile(), settings.caFile());
    }

    /** The server's side: TLS 1.3 only, a certificate of the CA required of every caller. */
    public SSLContext context() {
        return context;
    }

    public SSLParameters serverParameters() {
        SSLParameters p = context.getDefaultSSLParameters();
        p.setProtocols(PROTOCOLS);
        p.setNeedClientAuth(true);
        return p;
    }

    /** The caller's side: sockets that speak TLS 1.3 only and verify the server's name (HTTPS rules). */
    public SSLSocketFactory clientSockets() {
        return new ClientSockets(context.getSocketFactory());
    }

    /** Whether {@code host} (a name or an address) is this machine's loopback only. */
    public static boolean loopback(String host) {
        try {
            for (InetAddress a : InetAddress.getAllByName(host)) {
                if (!a.isLoopbackAddress()) {
                    return false;
                }
            }
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private Material material() {
        long now = System.currentTimeMillis();
        if (now - checkedAt >= RECHECK_MILLIS) {
            checkedAt = now;
            reloadIfChanged();
        }
        return current;
    }

    private synchronized void reloadIfChanged() {
        String stamp;
        try {
            stamp = stamp();
        } catch (IOException e) {
            warnOnce("?", "the data path's TLS files cannot be read, the loaded ones stay in use: " + e.getMessage());
            return;
        }
        if (stamp.equals(current.stamp()) || stamp.equals(failedStamp)) {
            return;
        }
        try {
            Material fresh = load(stamp);
            previous = current;
            current = fresh;
            failedStamp = null;
            log.info("data path TLS: loaded {} and {} again", keystore, caFile);
        } catch (IOException | GeneralSecurityException e) {
            warnOnce(stamp, "the data path's TLS files changed but do not load, the previous ones stay in use: " + e);
        }
    }

    private void warnOnce(String stamp, String message) {
        if (!stamp.equals(failedStamp)) {
            failedStamp = stamp;
            log.warn(message);
        }
    }

    /** What changes when any of the files is replaced or rewritten. */
    private String stamp() throws IOException {
        StringBuilder s = new StringBuilder();
        for (Path p : new Path[] {keystore, passwordFile, caFile}) {
            BasicFileAttributes a = Files.readAttributes(p, BasicFileAttributes.class);
            s.append(a.fileKey()).append('/').append(a.lastModifiedTime().toMillis()).append('/').append(a.size()).append(';');
        }
        return s.toString();
    }

    private Material load(String stamp) throws IOException, GeneralSecurityException {
        String text = Files.readString(passwordFile, StandardCharsets.UTF_8);
        char[] password = text.lines().findFirst().orElse("").strip().toCharArray();
        KeyStore keys = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(keystore)) {
            keys.load(in, password);
        }
        KeyManagerFactory kmf = KeyManagerFactory.getInstance("PKIX");
        kmf.init(keys, password);

        KeyStore trusted = KeyStore.getInstance(KeyStore.getDefaultType());
        trusted.load(null, null);
        Collection<? extends Certificate> cas;
        try (InputStream in = Files.newInputStream(caFile)) {
            cas = CertificateFactory.getInstance("X.509").generateCertificates(in);
        }
        if (cas.isEmpty()) {
            throw new CertificateException(caFile + " holds no certificate");
        }
        int i = 0;
        for (Certificate ca : cas) {
            trusted.setCertificateEntry("ca-" + i++, ca);
        }
        TrustManagerFactory tmf = TrustManagerFactory.getInstance("PKIX");
        tmf.init(trusted);
        return new Material(generation.incrementAndGet(), stamp, (X509ExtendedKeyManager) kmf.getKeyManagers()[0],
                (X509ExtendedTrustManager) tmf.getTrustManagers()[0]);
    }

    private record Tagged(Material material, String alias) {
    }

    /**
     * The current material's keys. An alias is tagged with its material's generation, so that the
     * key and the chain of one handshake come from one reading even when the files change during it.
     */
    private final class Keys extends X509ExtendedKeyManager {
        private String tag(Material m, String alias) {
            return alias == null ? null : m.generation() + ":" + alias;
        }

        private String[] tag(Material m, String[] aliases) {
            if (aliases == null) {
                return null;
            }
            String[] tagged = new String[aliases.length];
            for (int i = 0; i < aliases.length; i++) {
                tagged[i] = tag(m, aliases[i]);
            }
            return tagged;
        }

        /** The material an alias was handed out from and its own alias there; null when gone. */
        private Tagged untag(String alias) {
            int colon = alias == null ? -1 : alias.indexOf(':');
            if (colon < 0) {
                return null;
            }
            long g = Long.parseLong(alias.substring(0, colon));
            for (Material m : new Material[] {current, previous}) {
                if (m != null && m.generation() == g) {
                    return new Tagged(m, alias.substring(colon + 1));
                }
            }
            return null;
        }

        @Override
        public String[] getClientAliases(String keyType, Principal[] issuers) {
            Material m = material();
            return tag(m, m.keys().getClientAliases(keyType, issuers));
        }

        @Override
        public String chooseClientAlias(String[] keyType, Principal[] issuers, Socket socket) {
            Material m = material();
            return tag(m, m.keys().chooseClientAlias(keyType, issuers, socket));
        }

        @Override
        public String chooseEngineClientAlias(String[] keyType, Principal[] issuers, SSLEngine engine) {
            Material m = material();
            return tag(m, m.keys().chooseEngineClientAlias(keyType, issuers, engine));
        }

        @Override
        public String[] getServerAliases(String keyType, Principal[] issuers) {
            Material m = material();
            return tag(m, m.keys().getServerAliases(keyType, issuers));
        }

        @Override
        public String chooseServerAlias(String keyType, Principal[] issuers, Socket socket) {
            Material m = material();
            return tag(m, m.keys().chooseServerAlias(keyType, issuers, socket));
        }

        @Override
        public String chooseEngineServerAlias(String keyType, Principal[] issuers, SSLEngine engine) {
            Material m = material();
            return tag(m, m.keys().chooseEngineServerAlias(keyType, issuers, engine));
        }

        @Override
        public X509Certificate[] getCertificateChain(String alias) {
            Tagged found = untag(alias);
            return found == null ? null : found.material().keys().getCertificateChain(found.alias());
        }

        @Override
        public PrivateKey getPrivateKey(String alias) {
            Tagged found = untag(alias);
            return found == null ? null : found.material().keys().getPrivateKey(found.alias());
        }
    }

    /** The current material's CAs; the peer's name is checked by the JDK's own manager behind it. */
    private final class Trust extends X509ExtendedTrustManager {
        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket) throws CertificateException {
            material().trust().checkClientTrusted(chain, authType, socket);
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket) throws CertificateException {
            material().trust().checkServerTrusted(chain, authType, socket);
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine) throws CertificateException {
            material().trust().checkClientTrusted(chain, authType, engine);
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine) throws CertificateException {
            material().trust().checkServerTrusted(chain, authType, engine);
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType) throws CertificateException {
            material().trust().checkClientTrusted(chain, authType);
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType) throws CertificateException {
            material().trust().checkServerTrusted(chain, authType);
        }

        @Override
        public X509Certificate[] getAcceptedIssuers() {
            return material().trust().getAcceptedIssuers();
        }
    }

    /** Every socket it makes speaks TLS 1.3 only and checks the server's certificate names its host. */
    private static final class ClientSockets extends SSLSocketFactory {
        private final SSLSocketFactory inner;

        ClientSockets(SSLSocketFactory inner) {
            this.inner = inner;
        }

        private static Socket configure(Socket socket) {
            SSLSocket s = (SSLSocket) socket;
            SSLParameters p = s.getSSLParameters();
            p.setProtocols(PROTOCOLS);
            p.setEndpointIdentificationAlgorithm("HTTPS");
            s.setSSLParameters(p);
            return s;
        }

        @Override
        public String[] getDefaultCipherSuites() {
            return inner.getDefaultCipherSuites();
        }

        @Override
        public String[] getSupportedCipherSuites() {
            return inner.getSupportedCipherSuites();
        }

        @Override
        public Socket createSocket() throws IOException {
            return configure(inner.createSocket());
        }

        @Override
        public Socket createSocket(Socket s, String host, int port, boolean autoClose) throws IOException {
            return configure(inner.createSocket(s, host, port, autoClose));
        }

        @Override
        public Socket createSocket(String host, int port) throws IOException {
            return configure(inner.createSocket(host, port));
        }

        @Override
        public Socket createSocket(String host, int port, InetAddress localHost, int localPort) throws IOException {
            return configure(inner.createSocket(host, port, localHost, localPort));
        }

        @Override
        public Socket createSocket(InetAddress host, int port) throws IOException {
            return configure(inner.createSocket(host, port));
        }

        @Override
        public Socket createSocket(InetAddress address, int port, InetAddress localAddress, int localPort) throws IOException {
            return configure(inner.createSocket(address, port, localAddress, localPort));
        }
    }
}
