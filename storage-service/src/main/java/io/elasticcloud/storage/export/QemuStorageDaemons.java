package io.elasticcloud.storage.export;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * Exports through {@code qemu-storage-daemon}, one process per export: {@code --daemonize}, so the
 * command returns once the NBD server listens (or fails, with its reason on stderr), and the
 * daemon, reparented away from this JVM, outlives a restart of the storage service, which adopts
 * it again by its pid file. Options are passed as JSON, so no path needs qemu's comma escaping.
 */
public final class QemuStorageDaemons implements ExportDaemons {
    private static final Duration STOP_WAIT = Duration.ofSeconds(5);
    private static final Duration STOP_POLL = Duration.ofMillis(10);

    private final String binary;
    private final Duration startTimeout;

    public QemuStorageDaemons(String binary, Duration startTimeout) {
        this.binary = binary;
        this.startTimeout = startTimeout;
    }

    /** The daemon's command line for {@code launch}. */
    List<String> command(Launch launch) {
        Map<String, Object> file = new LinkedHashMap<>();
        file.put("driver", "file");
        file.put("filename", launch.file().toString());
        return StorageDaemonCommand.argv(binary, launch.pidFile().toString(), file, launch.address(), launch.port(),
                launch.name(), launch.readOnly(), launch.tlsDir());
    }

    @Override
    public long start(Launch launch) throws IOException {
        Path errors = launch.pidFile().resolveSibling(launch.pidFile().getFileName() + ".err");
        Files.deleteIfExists(launch.pidFile());
        Process process;
        try {
            process = new ProcessBuilder(command(launch)).redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD).redirectError(errors.toFile()).start();
        } catch (IOException e) {
            throw new LaunchFailure("cannot run " + binary + ": " + e.getMessage(), false);
        }
        try {
            if (!process.waitFor(startTimeout.toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroyForcibly();
                throw new LaunchFailure(binary + " did not start within " + startTimeout, false);
            }
            String said = Files.exists(errors) ? Files.readString(errors, StandardCharsets.UTF_8).strip() : "";
            if (process.exitValue() != 0) {
                throw new LaunchFailure(binary + " failed (exit " + process.exitValue() + "): " + said,
                        said.contains("Address already in use"));
            }
            return readPid(launch.pidFile()).orElseThrow(
                    () -> new LaunchFailure(binary + " started but wrote no pid file " + launch.pidFile(), false));
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new LaunchFailure("interrupted while " + binary + " started", false);
        } finally {
            Files.deleteIfExists(errors);
        }
    }

    /** The process id a daemon wrote, empty if there is no (readable) pid file. */
    static Optional<Long> readPid(Path pidFile) throws IOException {
        try {
            return Optional.of(Long.parseLong(Files.readString(pidFile, StandardCharsets.US_ASCII).strip()));
        } catch (NoSuchFileException e) {
            return Optional.empty();
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }

    @Override
    public boolean alive(long pid, Path pidFile) {
        return commandLine(pid).map(args -> args.contains(pidFile.toString())).orElse(false);
    }

    @Override
    public void stop(long pid) {
        Optional<ProcessHandle> handle = ProcessHandle.of(pid);
        if (handle.isEmpty()) {
            return;
        }
        handle.get().destroy();
        // polled, and an exited daemon counts as gone though nobody has reaped it yet: it is no
        // child of ours (it outlives this process), so its reaper is init, which may take its time
        // (one init seen here reaped after about 1.4 s, and every stop waited that, one at a time)
        long deadline = System.nanoTime() + STOP_WAIT.toNanos();
        while (handle.get().isAlive() && !exited(pid)) {
            if (System.nanoTime() - deadline > 0) {
                handle.get().destroyForcibly();
                return;
            }
            try {
                Thread.sleep(STOP_POLL.toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                handle.get().destroyForcibly();
                return;
            }
        }
    }

    /**
     * Whether {@code pid} has exited and waits only to be reaped: its main thread a zombie (state Z
     * in /proc/PID/stat) and no other thread left, so its files and sockets are closed.
     */
    static boolean exited(long pid) {
        Path proc = Path.of("/proc", Long.toString(pid));
        try (Stream<Path> threads = Files.list(proc.resolve("task"))) {
            String stat = Files.readString(proc.resolve("stat"));
            int afterName = stat.lastIndexOf(')');
            boolean zombie = afterName < 0 || stat.length() < afterName + 3 || stat.charAt(afterName + 2) == 'Z';
            return zombie && threads.count() <= 1;
        } catch (IOException gone) {
            return true;
        }
    }

    @Override
    public Set<Long> running(Path directory) {
        Set<Long> ours = new HashSet<>();
        String prefix = directory.toAbsolutePath().normalize() + "/";
        try (Stream<Path> procs = Files.list(Path.of("/proc"))) {
            for (Path proc : procs.toList()) {
                String name = proc.getFileName().toString();
                if (!name.chars().allMatch(Character::isDigit)) {
                    continue;
                }
                long pid = Long.parseLong(name);
                commandLine(pid).filter(args -> {
                    int at = args.indexOf("--pidfile");
                    return at > 0 && at + 1 < args.size() && args.get(at + 1).startsWith(prefix);
                }).ifPresent(args -> ours.add(pid));
            }
        } catch (IOException e) {
            throw new IllegalStateException("cannot list processes: " + e.getMessage(), e);
        }
        return ours;
    }

    private static Optional<List<String>> commandLine(long pid) {
        try {
            byte[] raw = Files.readAllBytes(Path.of("/proc", Long.toString(pid), "cmdline"));
            List<String> args = new ArrayList<>();
            int start = 0;
            for (int i = 0; i < raw.length; i++) {
                if (raw[i] == 0) {
                    args.add(new String(raw, start, i - start, StandardCharsets.UTF_8));
                    start = i + 1;
                }
            }
            return args.isEmpty() ? Optional.empty() : Optional.of(args);
        } catch (IOException e) {
            return Optional.empty();
        }
    }
}
