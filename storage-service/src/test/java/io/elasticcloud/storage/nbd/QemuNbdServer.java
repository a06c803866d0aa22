package io.elasticcloud.storage.nbd;

import io.elasticcloud.storage.export.ExportDaemons.Launch;
import io.elasticcloud.storage.export.ExportDaemons.LaunchFailure;
import io.elasticcloud.storage.export.QemuStorageDaemons;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;

/**
 * One qemu-storage-daemon exporting a file over NBD on 127.0.0.1, started as the storage service
 * starts its exports ({@link QemuStorageDaemons}), on a port that was free a moment before (a port
 * taken in between is retried on another). Closing it stops the daemon.
 */
final class QemuNbdServer implements AutoCloseable {
    private static final QemuStorageDaemons DAEMONS = new QemuStorageDaemons("qemu-storage-daemon", Duration.ofSeconds(20));

    final long pid;
    final NbdTarget target;

    private QemuNbdServer(long pid, NbdTarget target) {
        this.pid = pid;
        this.target = target;
    }

    static QemuNbdServer start(Path file, String export, boolean readOnly, Path pidFile) throws IOException {
        for (int attempt = 1; ; attempt++) {
            int port = freePort();
            try {
                long pid = DAEMONS.start(new Launch(file, "127.0.0.1", port, export, pidFile, readOnly));
                return new QemuNbdServer(pid, new NbdTarget("127.0.0.1", port, export));
            } catch (LaunchFailure e) {
                if (!e.portTaken() || attempt >= 5) {
                    throw e;
                }
            }
        }
    }

    /**
     * A daemon whose every write fails with {@code errno} on the server side (qemu's blkdebug
     * driver over the file), so error replies come from the real server. The rule is limited to
     * writes: once triggered, a blkdebug rule otherwise fails every later request, reads included.
     */
    static QemuNbdServer failingWrites(Path file, int errno, Path pidFile) throws IOException, InterruptedException {
        String blockdev = "{\"driver\":\"blkdebug\",\"node-name\":\"volume\",\"image\":{\"driver\":\"file\","
                + "\"filename\":\"" + file + "\"},\"inject-error\":[{\"event\":\"pwritev\",\"errno\":" + errno + ",\"iotype\":\"write\"}]}";
        for (int attempt = 1; ; attempt++) {
            int port = freePort();
            String server = "{\"addr\":{\"type\":\"inet\",\"host\":\"127.0.0.1\",\"port\":\"" + port + "\"}}";
            Process p = new ProcessBuilder("qemu-storage-daemon", "--daemonize", "--pidfile", pidFile.toString(),
                    "--blockdev", blockdev, "--nbd-server", server, "--export",
                    "{\"type\":\"nbd\",\"id\":\"export\",\"node-name\":\"volume\",\"name\":\"vol\",\"writable\":true}")
                    .redirectErrorStream(true).start();
            if (!p.waitFor(20, java.util.concurrent.TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IOException("qemu-storage-daemon did not start within 20 s");
            }
            String said = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
            if (p.exitValue() == 0) {
                long pid = Long.parseLong(java.nio.file.Files.readString(pidFile).strip());
                return new QemuNbdServer(pid, new NbdTarget("127.0.0.1", port, "vol"));
            }
            if (!said.contains("Address already in use") || attempt >= 5) {
                throw new IOException("qemu-storage-daemon failed: " + said.strip());
            }
        }
    }

    /** Sends the daemon a signal ({@code STOP}, {@code CONT}, {@code KILL}). */
    void signal(String name) throws IOException, InterruptedException {
        Process kill = new ProcessBuilder("kill", "-" + name, Long.toString(pid)).inheritIO().start();
        if (!kill.waitFor(10, java.util.concurrent.TimeUnit.SECONDS) || kill.exitValue() != 0) {
            throw new IOException("kill -" + name + " " + pid + " failed");
        }
    }

    @Override
    public void close() throws IOException, InterruptedException {
        if (ProcessHandle.of(pid).isPresent()) {
            signal("CONT"); // a stopped daemon would not act on the terminate signal
            DAEMONS.stop(pid);
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return probe.getLocalPort();
        }
    }
}
