package io.elasticcloud.storage.lvm;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A storage box for tests, started by the operator's own {@code deploy/storage-box/start.sh}
 * (root: it makes a bridge and a tap) and stopped by {@code stop.sh}. {@link #shared()} is one box
 * for the whole test JVM, stopped and deleted at its exit.
 *
 * @param dir     the box's directory (its disks, console log, agent socket)
 * @param agent   its guest agent socket
 * @param address its address on the box bridge, where its exports listen
 * @param vg      its volume group (the thin pool in it is {@code thinpool})
 */
record StorageBox(Path dir, Path agent, String address, String vg) {
    private static final long START_SECONDS = 240;
    private static StorageBox shared;

    /** The JVM's box (169.254.77.30, two 4 GiB disks), started at the first call. */
    static synchronized StorageBox shared() throws IOException {
        if (shared == null) {
            Path dir = Files.createTempDirectory("storage-box-");
            shared = start("test", dir, "169.254.77.30", "4G");
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                shared.stop();
                deleteTree(dir);
            }));
        }
        return shared;
    }

    /** Starts (or starts again, keeping its disks) the box kept in {@code dir}. */
    static StorageBox start(String name, Path dir, String address, String diskSize) throws IOException {
        String out = run(START_SECONDS, script("start.sh").toString(), name, dir.toString(), "--ip", address,
                "--disk-size", diskSize, "--vg", "elastic");
        Map<String, String> said = new HashMap<>();
        for (String word : out.strip().split("\\s+")) {
            int eq = word.indexOf('=');
            if (eq > 0) {
                said.put(word.substring(0, eq), word.substring(eq + 1));
            }
        }
        return new StorageBox(dir, Path.of(said.get("agent")), said.get("address"), said.get("vg"));
    }

    /** Stops the box (its disks stay). */
    void stop() {
        try {
            run(30, script("stop.sh").toString(), dir.toString());
        } catch (IOException e) {
            System.err.println("could not stop the storage box in " + dir + ": " + e.getMessage());
        }
    }

    private static Path script(String name) {
        for (Path p = Path.of("").toAbsolutePath(); p != null; p = p.getParent()) {
            Path script = p.resolve("deploy/storage-box").resolve(name);
            if (Files.isRegularFile(script)) {
                return script;
            }
        }
        throw new IllegalStateException("cannot find deploy/storage-box/" + name + " above " + Path.of("").toAbsolutePath());
    }

    private static String run(long seconds, String... argv) throws IOException {
        Process p = new ProcessBuilder(argv).redirectErrorStream(true).start();
        try {
            if (!p.waitFor(seconds, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IOException(argv[0] + " did not finish within " + seconds + " s");
            }
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (p.exitValue() != 0) {
                throw new IOException(argv[0] + " failed (exit " + p.exitValue() + "):\n" + out);
            }
            return out.lines().reduce((a, b) -> b).orElse("");
        } catch (InterruptedException e) {
            p.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
    }

    private static void deleteTree(Path dir) {
        try (Stream<Path> paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException ignored) {
            // a temporary directory: the system cleans it in the end
        }
    }
}
