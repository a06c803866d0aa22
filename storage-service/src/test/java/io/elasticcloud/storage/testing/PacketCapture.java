package io.elasticcloud.storage.testing;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * tcpdump on the loopback interface, writing what crosses one TCP port to a pcap file, so that a
 * test can look for bytes in what a listener on the wire saw. Needs root (CI runs as root) and
 * tcpdump ({@code deploy/install-deps.sh}). {@link #start} returns once tcpdump says it is
 * listening, so no traffic sent after it is missed; {@link #stop} ends it with SIGINT (it flushes
 * its file and exits) and returns the file's bytes, or fails if the kernel dropped any packet.
 * {@link #close} kills it if still running.
 */
public final class PacketCapture implements AutoCloseable {
    private static final long WAIT_MILLIS = 15_000;

    private final Process tcpdump;
    private final Path file;
    private final Path log;

    private PacketCapture(Process tcpdump, Path file, Path log) {
        this.tcpdump = tcpdump;
        this.file = file;
        this.log = log;
    }

    /** Captures TCP port {@code port} on {@code lo} into {@code dir/capture-PORT.pcap}. */
    public static PacketCapture start(Path dir, int port) throws IOException, InterruptedException {
        Path file = dir.resolve("capture-" + port + ".pcap");
        Path log = dir.resolve("capture-" + port + ".log");
        // --immediate-mode, -U: each packet read from the kernel and written as it comes (else the
        // last second's may still wait in the kernel's buffer when SIGINT ends tcpdump); -B: 64 MiB
        // of kernel buffer, as loopback's 64 KiB segments overrun the default 2 MiB within a read of
        // a few MiB; -Z root: keep root, the file's directory may be root's only
        Process p = new ProcessBuilder("tcpdump", "-i", "lo", "-n", "--immediate-mode", "-U", "-B", "65536",
                "-Z", "root", "-w", file.toString(), "tcp port " + port)
                .redirectOutput(log.toFile()).redirectErrorStream(true).start();
        PacketCapture capture = new PacketCapture(p, file, log);
        long deadline = System.currentTimeMillis() + WAIT_MILLIS;
        while (!capture.log().contains("listening on")) {
            if (!p.isAlive() || System.currentTimeMillis() > deadline) {
                capture.close();
                throw new IOException("tcpdump did not start listening on port " + port + ": " + capture.log());
            }
            Thread.sleep(50);
        }
        return capture;
    }

    /** Stops the capture and returns the pcap file's bytes (headers and every packet captured). */
    public byte[] stop() throws IOException, InterruptedException {
        Process kill = new ProcessBuilder("kill", "-INT", Long.toString(tcpdump.pid())).inheritIO().start();
        if (!kill.waitFor(5, TimeUnit.SECONDS) || kill.exitValue() != 0 || !tcpdump.waitFor(10, TimeUnit.SECONDS)) {
            close();
            throw new IOException("tcpdump did not stop on SIGINT: " + log());
        }
        // a capture with holes proves nothing about what it did not see
        if (!log().contains("\n0 packets dropped by kernel")) {
            throw new IOException("tcpdump dropped packets: " + log());
        }
        return Files.readAllBytes(file);
    }

    /** What tcpdump said (it counts the packets it captured when it stops). */
    public String log() throws IOException {
        return Files.readString(log, StandardCharsets.ISO_8859_1);
    }

    @Override
    public void close() {
        tcpdump.destroyForcibly();
    }

    /** Whether {@code needle} occurs anywhere in {@code haystack}. */
    public static boolean contains(byte[] haystack, byte[] needle) {
        outer:
        for (int i = 0; i + needle.length <= haystack.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return true;
        }
        return false;
    }

    /** {@code marker} repeated to {@code length} bytes: a pattern a capture can only show if it saw plaintext. */
    public static byte[] repeated(byte[] marker, int length) {
        byte[] b = new byte[length];
        for (int i = 0; i < length; i++) {
            b[i] = marker[i % marker.length];
        }
        return b;
    }
}
