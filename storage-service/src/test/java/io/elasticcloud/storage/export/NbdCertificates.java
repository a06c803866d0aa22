package io.elasticcloud.storage.export;

import io.elasticcloud.storage.volume.QemuTool;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * A throwaway CA for tests, made with openssl, and the x509 directories qemu reads: a server's
 * ({@code ca-cert.pem}, {@code server-cert.pem}, {@code server-key.pem}) and a client's ({@code
 * ca-cert.pem}, {@code client-cert.pem}, {@code client-key.pem}), as an operator's CA gives them.
 * P-256 keys, valid one day.
 */
final class NbdCertificates {
    private final Path dir;
    private final Path caKey;
    private final Path caCert;

    private NbdCertificates(Path dir) {
        this.dir = dir;
        this.caKey = dir.resolve("ca-key.pem");
        this.caCert = dir.resolve("ca-cert.pem");
    }

    /** A new CA in {@code dir} (made), named {@code name}. */
    static NbdCertificates ca(Path dir, String name) throws IOException {
        NbdCertificates ca = new NbdCertificates(Files.createDirectories(dir));
        openssl("req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes", "-keyout",
                ca.caKey.toString(), "-out", ca.caCert.toString(), "-days", "1", "-subj", "/CN=" + name,
                "-addext", "basicConstraints=critical,CA:TRUE", "-addext", "keyUsage=critical,keyCertSign,cRLSign");
        return ca;
    }

    Path caCert() {
        return caCert;
    }

    /** A server's directory {@code DIR/NAME} for a server reached at {@code ip}. */
    Path server(String name, String ip) throws IOException {
        Path out = Files.createDirectories(dir.resolve(name));
        Files.copy(caCert, out.resolve("ca-cert.pem"));
        issue(out.resolve("server-key.pem"), out.resolve("server-cert.pem"), ip,
                "subjectAltName=IP:" + ip + "\nextendedKeyUsage=serverAuth\n");
        return out;
    }

    /** A client's directory {@code DIR/NAME} that trusts servers of {@code trusted} (this CA or another). */
    Path client(String name, Path trusted) throws IOException {
        Path out = Files.createDirectories(dir.resolve(name));
        Files.copy(trusted, out.resolve("ca-cert.pem"));
        issue(out.resolve("client-key.pem"), out.resolve("client-cert.pem"), name, "extendedKeyUsage=clientAuth\n");
        return out;
    }

    private void issue(Path key, Path cert, String commonName, String extensions) throws IOException {
        Path request = dir.resolve(commonName + ".csr");
        Path ext = Files.writeString(dir.resolve(commonName + ".ext"),
                "basicConstraints=CA:FALSE\nkeyUsage=digitalSignature,keyEncipherment\n" + extensions);
        openssl("req", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes", "-keyout", key.toString(),
                "-out", request.toString(), "-subj", "/CN=" + commonName);
        openssl("x509", "-req", "-in", request.toString(), "-CA", caCert.toString(), "-CAkey", caKey.toString(),
                "-CAcreateserial", "-out", cert.toString(), "-days", "1", "-extfile", ext.toString());
    }

    private static void openssl(String... args) throws IOException {
        List<String> command = new java.util.ArrayList<>(List.of("openssl"));
        command.addAll(List.of(args));
        QemuTool.run(command);
    }
}
