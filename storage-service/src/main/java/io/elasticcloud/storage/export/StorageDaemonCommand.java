package io.elasticcloud.storage.export;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import tools.jackson.databind.json.JsonMapper;

/**
 * The one command line of a {@code qemu-storage-daemon} serving one block node over NBD, wherever
 * it runs (this host, a storage box): {@code --daemonize}, so the command returns once the server
 * listens or with its reason on stderr. Options are passed as JSON, so no path needs qemu's comma
 * escaping.
 */
public final class StorageDaemonCommand {
    private static final JsonMapper JSON = JsonMapper.builder().build();

    private StorageDaemonCommand() {
    }

    /**
     * @param blockdev what is served (driver and its options); given the node name here, and
     *                 {@code read-only} when {@code readOnly}: opened read-only, a file takes no write
     *                 lock, so a volume's writable export opens beside its read-only one
     * @param name     the export's name
     * @param readOnly the export refuses writes
     */
    public static List<String> argv(String binary, String pidFile, Map<String, Object> blockdev, String address,
                                    int port, String name, boolean readOnly) {
        Map<String, Object> node = new LinkedHashMap<>(blockdev);
        node.put("node-name", "volume");
        if (readOnly) {
            node.put("read-only", true);
        }
        Map<String, Object> server = Map.of("addr", Map.of("type", "inet", "host", address, "port", Integer.toString(port)));
        Map<String, Object> export = new LinkedHashMap<>();
        export.put("type", "nbd");
        export.put("id", "export");
        export.put("node-name", "volume");
        export.put("name", name);
        export.put("writable", !readOnly);
        return List.of(binary, "--daemonize", "--pidfile", pidFile,
                "--blockdev", JSON.writeValueAsString(node),
                "--nbd-server", JSON.writeValueAsString(server),
                "--export", JSON.writeValueAsString(export));
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
