package io.elasticcloud.storage.node;

import static io.elasticcloud.storage.node.HttpDataPathTest.assertType;
import static io.elasticcloud.storage.node.HttpDataPathTest.readAll;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.elasticcloud.protocol.ErrorType;
import io.elasticcloud.protocol.datapath.DataPathTls;
import io.elasticcloud.protocol.datapath.HttpVolumeDataPath;
import io.elasticcloud.protocol.secret.MasterKey;
import io.elasticcloud.protocol.storage.Cipher;
import io.elasticcloud.protocol.storage.VolumeRef;
import io.elasticcloud.storage.testing.InternalCa;
import io.elasticcloud.storage.volume.FileVolumeBackend;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.math.BigInteger;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.List;
import java.util.Random;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The data path over mutual TLS on loopback, with the files of the operator's {@code
 * deploy/internal-ca.sh}: a caller with a certificate of the internal CA and the secret reads and
 * writes; one without a certificate, with another CA's, with the wrong secret, or with TLS 1.2 gets
 * no byte and changes none; a server whose certificate is another CA's or names another host is
 * not called; an old secret works while it is listed; a relay between the two sees neither the
 * bytes nor the secret; a renewed certificate is taken without a restart.
 */
class TlsDataPathTest {
    static final String SECRET = "current-secret-of-the-cloud";
    static final String OLD_SECRET = "previous-secret-of-the-cloud";
    static final String NODE = "pool-tls";

    @TempDir
    static Path certs;
    static InternalCa ca;
    static Path serverFiles;
    static Path clientFiles;
    /** A certificate of another CA that trusts our CA: only the server's check can refuse it. */
    static Path strangerFiles;
    /** A certificate of our CA for another host name. */
    static Path elsewhereFiles;

    @TempDir
    Path dir;
    FileVolumeBackend volumes;
    LocalVolumeDataPath local = new LocalVolumeDataPath();
    DataPathServer server;

    @BeforeAll
    static void issueCertificates() throws Exception {
        ca = InternalCa.create(certs.resolve("ca"));
        serverFiles = ca.host(certs.resolve("storage"), "127.0.0.1", "localhost");
        clientFiles = ca.host(certs.resolve("api"), "api.internal.test");
        elsewhereFiles = ca.host(certs.resolve("elsewhere"), "storage.elsewhere.test", "169.254.9.9");
        InternalCa other = InternalCa.create(certs.resolve("other-ca"));
        strangerFiles = other.host(certs.resolve("stranger"), "127.0.0.1");
        Files.copy(serverFiles.resolve("ca.pem"), strangerFiles.resolve("ca.pem"), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    }

    @BeforeEach
    void start() throws IOException {
        volumes = new FileVolumeBackend(dir.resolve("volumes"), MasterKey.random(), 8);
        local.register(NODE, volumes);
        server = serve(List.of(SECRET), serverFiles);
    }

    @AfterEach
    void stop() {
        server.close();
        volumes.close();
    }

    DataPathServer serve(List<String> secrets, Path files) throws IOException {
        return new DataPathServer("127.0.0.1", 0, 4, secrets, InternalCa.tls(files), local);
    }

    HttpVolumeDataPath client(String secret, DataPathTls tls, int port) {
        URI url = URI.create("https://127.0.0.1:" + port);
        return new HttpVolumeDataPath(node -> url, secret, tls, Duration.ofSeconds(5), Duration.ofSeconds(30));
    }

    HttpVolumeDataPath client(String secret) throws IOException {
        return client(secret, InternalCa.tls(clientFiles), server.port());
    }

    @Test
    void aCallerWithACertificateOfTheCaReadsAndWritesRawAndEncryptedVolumes() throws IOException {
        HttpVolumeDataPath remote = client(SECRET);
        for (Cipher cipher : new Cipher[] {Cipher.NONE, Cipher.AES_XTS_PLAIN}) {
            String volume = "v-" + cipher.name().toLowerCase().replace('_', '-');
            volumes.create(volume, 4L << 20, cipher, null);
            byte[] data = new byte[(2 << 20) + 17];
            new Random(cipher.ordinal()).nextBytes(data);
            VolumeRef ref = new VolumeRef(NODE, volume);
            remote.write(ref, 4096, data.length, new ByteArrayInputStream(data));
            assertThat(readAll(local, ref, 4096, data.length)).isEqualTo(data);
            assertThat(readAll(remote, ref, 4096, data.length)).isEqualTo(data);
        }
    }

    @Test
    void callersWithoutTheCasCertificateOrTheSecretGetNoByteAndChangeNone() throws Exception {
        VolumeRef ref = secretVolume();
        byte[] ones = new byte[4096];
        java.util.Arrays.fill(ones, (byte) 1);
        HttpVolumeDataPath stranger = client(SECRET, InternalCa.tls(strangerFiles), server.port());
        HttpVolumeDataPath wrongSecret = client("not-the-secret");
        for (HttpVolumeDataPath refused : List.of(stranger, wrongSecret)) {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            assertType(() -> refused.read(ref, 0, 4096, out), ErrorType.SYSTEM);
            assertThat(out.size()).isZero();
            assertType(() -> refused.write(ref, 0, ones.length, new ByteArrayInputStream(ones)), ErrorType.SYSTEM);
        }
        // no certificate at all, the secret right: the handshake fails, no reply comes
        URI uri = URI.create("https://127.0.0.1:" + server.port() + "/volumes/" + NODE + "/" + ref.volume()
                + "?offset=0&length=4096");
        HttpRequest get = HttpRequest.newBuilder(uri).header("Authorization", "Bearer " + SECRET).build();
        HttpClient noCertificate = HttpClient.newBuilder().sslContext(trustingOnly(serverFiles.resolve("ca.pem"))).build();
        assertThatThrownBy(() -> noCertificate.send(get, HttpResponse.BodyHandlers.ofByteArray())).isInstanceOf(IOException.class);
        // the same request with the CA's certificate and TLS 1.3 is answered (the refusals are the certificate's)
        HttpClient withCertificate = HttpClient.newBuilder().sslContext(InternalCa.tls(clientFiles).context()).build();
        HttpResponse<byte[]> answered = withCertificate.send(get, HttpResponse.BodyHandlers.ofByteArray());
        assertThat(answered.statusCode()).isEqualTo(200);
        assertThat(answered.body()).startsWith("drive secret".getBytes(StandardCharsets.US_ASCII));
        // TLS 1.2, even with the right certificate: refused
        SSLParameters tls12 = new SSLParameters();
        tls12.setProtocols(new String[] {"TLSv1.2"});
        HttpClient old = HttpClient.newBuilder().sslContext(InternalCa.tls(clientFiles).context()).sslParameters(tls12).build();
        assertThatThrownBy(() -> old.send(get, HttpResponse.BodyHandlers.ofByteArray())).isInstanceOf(IOException.class);
        // plaintext to the TLS port: no answer that carries a byte
        HttpClient plain = HttpClient.newHttpClient();
        URI plainUri = URI.create("http://127.0.0.1:" + server.port() + uri.getRawPath() + "?" + uri.getRawQuery());
        try {
            HttpResponse<byte[]> r = plain.send(HttpRequest.newBuilder(plainUri).header("Authorization", "Bearer " + SECRET)
                    .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofByteArray());
            assertThat(r.statusCode()).isNotEqualTo(200);
            assertThat(new String(r.body(), StandardCharsets.ISO_8859_1)).doesNotContain("drive secret");
        } catch (IOException expected) {
            // the server closes the connection: as good
        }
        assertThat(new String(readAll(local, ref, 0, 12), StandardCharsets.US_ASCII)).isEqualTo("drive secret");
    }

    @Test
    void aServerWithAnotherCasCertificateOrAnotherHostsIsNotCalled() throws Exception {
        for (Path files : List.of(strangerFiles, elsewhereFiles)) {
            server.close();
            server = serve(List.of(SECRET), files);
            VolumeRef ref = secretVolume();
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            assertType(() -> client(SECRET).read(ref, 0, 12, out), ErrorType.SYSTEM);
            assertThat(out.size()).isZero();
            volumes.destroy(ref.volume());
        }
    }

    @Test
    void anOldSecretIsTakenWhileItIsListedAndRefusedOnceRemoved() throws Exception {
        server.close();
        server = serve(List.of(SECRET, OLD_SECRET), serverFiles);
        VolumeRef ref = secretVolume();
        assertThat(new String(readAll(client(OLD_SECRET), ref, 0, 12), StandardCharsets.US_ASCII)).isEqualTo("drive secret");
        assertThat(new String(readAll(client(SECRET), ref, 0, 12), StandardCharsets.US_ASCII)).isEqualTo("drive secret");

        server.close();
        server = serve(List.of(SECRET), serverFiles);
        assertType(() -> client(OLD_SECRET).read(ref, 0, 12, new ByteArrayOutputStream()), ErrorType.SYSTEM);
        assertThat(new String(readAll(client(SECRET), ref, 0, 12), StandardCharsets.US_ASCII)).isEqualTo("drive secret");
    }

    @Test
    void aRelayBetweenTheProcessesSeesNeitherTheBytesNorTheSecret() throws Exception {
        byte[] pattern = "PLAINTEXT-OF-A-CUSTOMERS-DRIVE;".repeat(10_000).getBytes(StandardCharsets.US_ASCII);
        volumes.create("seen", 1 << 20, Cipher.NONE, null);
        VolumeRef ref = new VolumeRef(NODE, "seen");
        try (TcpRelay relay = new TcpRelay(server.port())) {
            HttpVolumeDataPath through = client(SECRET, InternalCa.tls(clientFiles), relay.port());
            through.write(ref, 0, pattern.length, new ByteArrayInputStream(pattern));
            assertThat(readAll(through, ref, 0, pattern.length)).isEqualTo(pattern);
            byte[] wire = relay.recorded();
            assertThat(wire.length).as("bytes through the relay").isGreaterThan(2 * pattern.length);
            assertThat(indexOf(wire, "PLAINTEXT-OF-A-CUSTOMERS".getBytes(StandardCharsets.US_ASCII))).isEqualTo(-1);
            assertThat(indexOf(wire, SECRET.getBytes(StandardCharsets.US_ASCII))).isEqualTo(-1);
            assertThat(indexOf(wire, "/volumes/".getBytes(StandardCharsets.US_ASCII))).isEqualTo(-1);
        }
        // the same relay in front of a plaintext data path sees them: it records what passes
        try (DataPathServer plain = new DataPathServer("127.0.0.1", 0, 2, List.of(SECRET), null, local);
             TcpRelay relay = new TcpRelay(plain.port())) {
            URI url = URI.create("http://127.0.0.1:" + relay.port());
            HttpVolumeDataPath through = new HttpVolumeDataPath(node -> url, SECRET, null, Duration.ofSeconds(5), Duration.ofSeconds(30));
            readAll(through, ref, 0, 4096);
            assertThat(indexOf(relay.recorded(), "PLAINTEXT-OF-A-CUSTOMERS".getBytes(StandardCharsets.US_ASCII))).isNotEqualTo(-1);
            assertThat(indexOf(relay.recorded(), SECRET.getBytes(StandardCharsets.US_ASCII))).isNotEqualTo(-1);
        }
    }

    @Test
    void aRenewedCertificateIsServedWithoutARestart() throws Exception {
        Path renewing = certs.resolve("renewing");
        ca.host(renewing, "127.0.0.1");
        server.close();
        server = serve(List.of(SECRET), renewing);
        BigInteger before = servedSerial();
        assertThat(before).isEqualTo(serial(renewing.resolve("host-cert.pem")));

        ca.host(renewing, List.of("--renew"), "127.0.0.1");
        BigInteger renewed = serial(renewing.resolve("host-cert.pem"));
        assertThat(renewed).isNotEqualTo(before);
        long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
        while (!servedSerial().equals(renewed) && System.nanoTime() < deadline) {
            Thread.sleep(250);
        }
        assertThat(servedSerial()).isEqualTo(renewed);
        VolumeRef ref = secretVolume();
        assertThat(new String(readAll(client(SECRET), ref, 0, 12), StandardCharsets.US_ASCII)).isEqualTo("drive secret");
    }

    /** A volume whose first bytes are {@code drive secret}. */
    VolumeRef secretVolume() throws IOException {
        String name = "secret-" + System.nanoTime();
        volumes.create(name, 8192, Cipher.NONE, null);
        VolumeRef ref = new VolumeRef(NODE, name);
        local.write(ref, 0, 12, new ByteArrayInputStream("drive secret".getBytes(StandardCharsets.US_ASCII)));
        return ref;
    }

    /** The serial of the certificate the server shows now, to a caller of the CA. */
    BigInteger servedSerial() throws IOException {
        try (SSLSocket s = (SSLSocket) InternalCa.tls(clientFiles).clientSockets().createSocket("127.0.0.1", server.port())) {
            s.startHandshake();
            return ((X509Certificate) s.getSession().getPeerCertificates()[0]).getSerialNumber();
        }
    }

    static BigInteger serial(Path pem) throws Exception {
        try (InputStream in = Files.newInputStream(pem)) {
            return ((X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(in)).getSerialNumber();
        }
    }

    /** Trusts the CA of {@code pem}, shows no certificate. */
    static SSLContext trustingOnly(Path pem) throws Exception {
        KeyStore trusted = KeyStore.getInstance(KeyStore.getDefaultType());
        trusted.load(null, null);
        try (InputStream in = Files.newInputStream(pem)) {
            trusted.setCertificateEntry("ca", CertificateFactory.getInstance("X.509").generateCertificate(in));
        }
        TrustManagerFactory tmf = TrustManagerFactory.getInstance("PKIX");
        tmf.init(trusted);
        SSLContext context = SSLContext.getInstance("TLSv1.3");
        context.init(null, tmf.getTrustManagers(), null);
        return context;
    }

    static int indexOf(byte[] haystack, byte[] needle) {
        outer:
        for (int i = 0; i + needle.length <= haystack.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }
}
