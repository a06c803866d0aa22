package io.elasticcloud.storage.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code deploy/internal-ca.sh} as an operator runs it: the CA made once and kept (replaced only
 * when told), private files private, a host's files kept while current and issued again when its
 * names change or when asked, with the password kept; nothing without a CA.
 */
class InternalCaScriptTest {
    @TempDir
    Path dir;

    @Test
    void theCaIsMadeOnceKeptAndReplacedOnlyWhenTold() throws Exception {
        Path caDir = dir.resolve("ca");
        InternalCa ca = InternalCa.create(caDir);
        assertThat(mode(caDir)).isEqualTo("rwx------");
        assertThat(mode(caDir.resolve("ca-key.pem"))).isEqualTo("rw-------");
        byte[] cert = Files.readAllBytes(caDir.resolve("ca-cert.pem"));
        byte[] key = Files.readAllBytes(caDir.resolve("ca-key.pem"));
        assertThat(ca.run("ca", "--ca-dir", caDir.toString())).contains("kept");
        assertThat(Files.readAllBytes(caDir.resolve("ca-cert.pem"))).isEqualTo(cert);
        assertThat(Files.readAllBytes(caDir.resolve("ca-key.pem"))).isEqualTo(key);
        X509Certificate c = certificate(caDir.resolve("ca-cert.pem"));
        assertThat(c.getBasicConstraints()).isNotNegative();

        ca.run("ca", "--ca-dir", caDir.toString(), "--replace");
        assertThat(Files.readAllBytes(caDir.resolve("ca-cert.pem"))).isNotEqualTo(cert);
        assertThat(Files.readAllBytes(caDir.resolve("ca-key.pem"))).isNotEqualTo(key);
    }

    @Test
    void aHostsFilesAreKeptWhileCurrentAndIssuedAgainWhenTheirNamesChangeOrWhenAsked() throws Exception {
        InternalCa ca = InternalCa.create(dir.resolve("ca"));
        Path host = ca.host(dir.resolve("st1"), "st1.example", "169.254.7.11");
        assertThat(mode(host)).isEqualTo("rwx------");
        assertThat(mode(host.resolve("keystore.p12"))).isEqualTo("rw-------");
        assertThat(mode(host.resolve("password"))).isEqualTo("rw-------");
        X509Certificate first = certificate(host.resolve("host-cert.pem"));
        assertThat(names(first)).containsExactlyInAnyOrder("st1.example", "169.254.7.11");
        assertThat(first.getExtendedKeyUsage()).contains("1.3.6.1.5.5.7.3.1", "1.3.6.1.5.5.7.3.2");
        assertThat(first.getNotAfter().toInstant()).isBetween(Instant.now().plus(Duration.ofDays(89)),
                Instant.now().plus(Duration.ofDays(91)));
        first.verify(certificate(dir.resolve("ca/ca-cert.pem")).getPublicKey());
        assertThat(InternalCa.tls(host)).as("the Java side loads the files").isNotNull();
        byte[] keystore = Files.readAllBytes(host.resolve("keystore.p12"));
        String password = Files.readString(host.resolve("password"));

        // the same names, in another order: kept
        assertThat(ca.run("host", "169.254.7.11", "st1.example", "--ca-dir", ca.dir().toString(), "--out", host.toString()))
                .contains("kept");
        assertThat(Files.readAllBytes(host.resolve("keystore.p12"))).isEqualTo(keystore);
        // another name: a new certificate, the same password
        ca.host(host, "st1.example");
        X509Certificate second = certificate(host.resolve("host-cert.pem"));
        assertThat(second.getSerialNumber()).isNotEqualTo(first.getSerialNumber());
        assertThat(names(second)).containsExactly("st1.example");
        assertThat(Files.readString(host.resolve("password"))).isEqualTo(password);
        // asked, or inside the renewal window: a new one
        ca.host(host, List.of("--renew"), "st1.example");
        X509Certificate third = certificate(host.resolve("host-cert.pem"));
        assertThat(third.getSerialNumber()).isNotEqualTo(second.getSerialNumber());
        ca.host(host, List.of("--renew-within", "100"), "st1.example");
        assertThat(certificate(host.resolve("host-cert.pem")).getSerialNumber()).isNotEqualTo(third.getSerialNumber());
        assertThat(InternalCa.tls(host)).isNotNull();
    }

    @Test
    void qemusFilesHoldTheHostsKeyAndCertificateAndFollowARenewal() throws Exception {
        InternalCa ca = InternalCa.create(dir.resolve("ca"));
        Path qemu = dir.resolve("pki/qemu");
        Path host = ca.host(dir.resolve("st1"), List.of("--qemu-dir", qemu.toString()), "169.254.7.11");
        // QEMU's user reaches the files, and a sibling such as /etc/pki/libvirt-vnc, through the directories made
        assertThat(mode(qemu)).isEqualTo("rwxr-xr-x");
        assertThat(mode(qemu.getParent())).isEqualTo("rwxr-xr-x");
        for (String key : List.of("server-key.pem", "client-key.pem")) {
            assertThat(mode(qemu.resolve(key))).isEqualTo("rw-------");
        }
        assertThat(Files.readString(qemu.resolve("ca-cert.pem"))).isEqualTo(Files.readString(dir.resolve("ca/ca-cert.pem")));
        for (String cert : List.of("server-cert.pem", "client-cert.pem")) {
            assertThat(Files.readString(qemu.resolve(cert))).isEqualTo(Files.readString(host.resolve("host-cert.pem")));
        }
        assertThat(publicKeyOf(qemu.resolve("server-key.pem"))).isEqualTo(publicKeyOf(qemu.resolve("client-key.pem")))
                .isEqualTo(certificatePublicKey(qemu.resolve("server-cert.pem")));

        ca.host(host, List.of("--renew", "--qemu-dir", qemu.toString()), "169.254.7.11");
        assertThat(Files.readString(qemu.resolve("server-cert.pem"))).isEqualTo(Files.readString(host.resolve("host-cert.pem")));
        assertThat(publicKeyOf(qemu.resolve("client-key.pem"))).isEqualTo(certificatePublicKey(host.resolve("host-cert.pem")));
    }

    private static String publicKeyOf(Path key) throws Exception {
        return openssl("pkey", "-in", key.toString(), "-pubout");
    }

    private static String certificatePublicKey(Path cert) throws Exception {
        return openssl("x509", "-in", cert.toString(), "-noout", "-pubkey");
    }

    private static String openssl(String... args) throws Exception {
        List<String> command = new java.util.ArrayList<>(List.of("openssl"));
        command.addAll(List.of(args));
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        assertThat(p.waitFor()).as(out).isZero();
        return out;
    }

    @Test
    void noHostWithoutACaOrWithoutAName() throws Exception {
        InternalCa.Result noCa = InternalCa.script("host", "st1.example", "--ca-dir", dir.resolve("none").toString(),
                "--out", dir.resolve("out").toString());
        assertThat(noCa.exit()).isNotZero();
        assertThat(noCa.output()).contains("no CA in");
        assertThat(dir.resolve("out")).doesNotExist();
        InternalCa ca = InternalCa.create(dir.resolve("ca"));
        InternalCa.Result noName = InternalCa.script("host", "--ca-dir", ca.dir().toString(), "--out", dir.resolve("out").toString());
        assertThat(noName.exit()).isNotZero();
        assertThat(noName.output()).contains("at least one NAME");
    }

    static List<String> names(X509Certificate c) throws Exception {
        return c.getSubjectAlternativeNames().stream().map(n -> String.valueOf(n.get(1))).toList();
    }

    static String mode(Path p) throws Exception {
        return PosixFilePermissions.toString(Files.getPosixFilePermissions(p));
    }

    static X509Certificate certificate(Path pem) throws Exception {
        try (InputStream in = Files.newInputStream(pem)) {
            return (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(in);
        }
    }
}
