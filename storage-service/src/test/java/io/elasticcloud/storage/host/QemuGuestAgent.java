package io.elasticcloud.storage.host;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * The real qemu-guest-agent running on this machine, listening on a UNIX socket as it would on a
 * box's virtio-serial port ({@code qemu-ga -m unix-listen}): what it runs, it runs here. Tests
 * using it fail (never skip) where package qemu-guest-agent is missing.
 */
final class QemuGuestAgent implements AutoCloseable {
    static final Path BINARY = Path.of("/usr/sbin/qemu-ga");
    private static final Duration START_WAIT = Duration.ofSeconds(10);

    private final Path dir;
    private final Path socket;
    private Process process;

    private QemuGuestAgent(Path dir) {
        this.dir = dir;
        this.socket = dir.resolve("qga.sock");
    }

    /** Starts an agent keeping its socket and state in {@code dir}. */
    static QemuGuestAgent start(Path dir) throws IOException, InterruptedException {
        assertThat(BINARY).as("qemu-ga (apt-get install qemu-guest-agent)").isExecutable();
        QemuGuestAgent agent = new QemuGuestAgent(dir);
        agent.launch();
        return agent;
    }

    Path socket() {
        return socket;
    }

    long pid() {
        return process.pid();
    }

    /** Stops the agent and starts a new one on the same socket, as a rebooted box would. */
    void restart() throws IOException, InterruptedException {
        stop();
        launch();
    }

    private void launch() throws IOException, InterruptedException {
        Files.deleteIfExists(socket);
        Path state = Files.createDirectories(dir.resolve("state"));
        process = new ProcessBuilder(BINARY.toString(), "-m", "unix-listen", "-p", socket.toString(),
                "-t", state.toString()).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(dir.resolve("qemu-ga.log").toFile()))
                .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null"))).start();
        long deadline = System.nanoTime() + START_WAIT.toNanos();
        while (System.nanoTime() < deadline) {
            if (Files.exists(socket) && accepts()) {
                return;
            }
            if (!process.isAlive()) {
                throw new IOException("qemu-ga exited with " + process.exitValue() + ": "
                        + Files.readString(dir.resolve("qemu-ga.log")));
            }
            Thread.sleep(20);
        }
        throw new IOException("qemu-ga did not listen on " + socket + " within " + START_WAIT);
    }

    private boolean accepts() {
        try (SocketChannel probe = SocketChannel.open(StandardProtocolFamily.UNIX)) {
            probe.connect(UnixDomainSocketAddress.of(socket));
            return true;
        } catch (IOException notYet) {
            return false;
        }
    }

    void stop() throws InterruptedException {
        if (process != null && process.isAlive()) {
            process.destroy();
            if (!process.waitFor(5, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            }
        }
    }

    @Override
    public void close() throws InterruptedException {
        stop();
    }
}
