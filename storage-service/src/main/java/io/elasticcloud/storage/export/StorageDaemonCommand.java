package io.elasticcloud.storage.export;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import tools.jackson.databind.json.JsonMapper;

/**
 * The one command line of a {@code qemu-storage-daemon} serving one block node over NBD, wherever
 * it runs (this host, a storage box): {@code --daemonize}, so the command returns once the server
 * listens or with its reason on stderr. Options are passed as JSON, so no path needs qemu's comma
 * escaping. qemu reads the TLS certificates once, when the daemon starts: renewed certificates
 * take effect as each daemon is started again.
 */
public final class StorageDaemonCommand {
    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final String TLS_ID = "tls";

    private StorageDaemonCommand() {
    }

    /**
     * @param blockdev what is served (driver and its options); given the node name here, and
     *                 {@code read-only} when {@code readOnly}: opened read-only, a file takes no write
     *                 lock, so a volume's writable export opens beside its read-only one
     * @param name     the export's name
     * @param readOnly the export refuses writes
     * @param tlsDir   null for plain NBD; else the server's x509 directory ({@code ca-cert.pem},
     *                 {@code server-cert.pem}, {@code server-key.pem}): the server speaks only
     *                 TLS and {@code verify-peer} admits only a client whose certificate that CA
     *                 signed, so a host of the storage network without one reads and writes nothing
     */
    public static List<String> argv(String binary, String pidFile, Map<String, Object> blockdev, String address,
                                    int port, String name, boolean readOnly, String tlsDir) {
        Map<String, Object> node = new LinkedHashMap<>(blockdev);
        node.put("node-name", "volume");
        if (readOnly) {
            node.put("read-only", true);
        }
        Map<String, Object> server = new LinkedHashMap<>();
        server.put("addr", Map.of("type", "inet", "host", address, "port", Integer.toString(port)));
        Map<String, Object> export = new LinkedHashMap<>();
        export.put("type", "nbd");
        export.put("id", "export");
        export.put("node-name", "volume");
        export.put("name", name);
        export.put("writable", !readOnly);
        List<String> argv = new ArrayList<>(List.of(binary, "--daemonize", "--pidfile", pidFile));
        if (tlsDir != null) {
            Map<String, Object> creds = new LinkedHashMap<>();
            creds.put("qom-type", "tls-creds-x509");
            creds.put("id", TLS_ID);
            creds.put("endpoint", "server");
            creds.put("dir", tlsDir);
            creds.put("verify-peer", true);
            argv.addAll(List.of("--object", JSON.writeValueAsString(creds)));
            server.put("tls-creds", TLS_ID);
        }
        argv.addAll(List.of("--blockdev", JSON.writeValueAsString(node),
                "--nbd-server", JSON.writeValueAsString(server),
                "--export", JSON.writeValueAsString(export)));
        return List.copyOf(argv);
    }

    /**
     * {@code dir} as a server's x509 directory, absolute: it must hold {@code ca-cert.pem}, {@code
     * server-cert.pem} and {@code server-key.pem}, readable, so that a missing file stops the
     * service at start rather than every export at its first attach.
     *
     * @throws IllegalArgumentException naming the first file missing
     */
    public static Path serverTlsDir(Path dir) {
        Path absolute = dir.toAbsolutePath().normalize();
        for (String name : List.of("ca-cert.pem", "server-cert.pem", "server-key.pem")) {
            Path file = absolute.resolve(name);
            if (!Files.isRegularFile(file) || !Files.isReadable(file)) {
                throw new IllegalArgumentException("elastic.storage.nbd.tls-dir " + absolute + " has no readable " + name
                        + " (it needs ca-cert.pem, server-cert.pem and server-key.pem)");
            }
        }
        return absolute;
    }

    /**
     * A block device opened with O_DIRECT and native AIO: through a storage box's small page cache,
     * writes ran at a third of the speed and concurrent ones got the daemon killed for memory.
     */
    public static Map<String, Object> device(String path) {
        Map<String, Object> device = new LinkedHashMap<>();
        device.put("driver", "host_device");
        device.put("filename", path);
        device.put("cache", Map.of("direct", true));
        device.put("aio", "native");
        return device;
    }
}
