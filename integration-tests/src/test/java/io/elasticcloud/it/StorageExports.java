package io.elasticcloud.it;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * The NBD exports a system's storage service keeps on this host: their records ({@code
 * DATA/exports/*.export}) and their {@code qemu-storage-daemon} processes (each names its pid file
 * in {@code DATA/exports/}).
 */
final class StorageExports {
    private StorageExports() {
    }

    static List<Path> records(RunningSystem system) {
        try (Stream<Path> files = Files.list(system.dataDir().resolve("exports"))) {
            return files.filter(p -> p.getFileName().toString().endsWith(".export")).toList();
        } catch (IOException e) {
            return List.of();
        }
    }

    /** The export daemons of {@code system}, sorted: their pid file lies in its exports directory. */
    static List<Long> daemons(RunningSystem system) {
        String prefix = system.dataDir().resolve("exports").toAbsolutePath().normalize() + "/";
        List<Long> pids = new ArrayList<>();
        try (Stream<Path> procs = Files.list(Path.of("/proc"))) {
            for (Path proc : procs.toList()) {
                String name = proc.getFileName().toString();
                if (!name.chars().allMatch(Character::isDigit)) {
                    continue;
                }
                try {
                    String cmdline = new String(Files.readAllBytes(proc.resolve("cmdline")), StandardCharsets.UTF_8);
                    if (cmdline.contains("--pidfile\0" + prefix)) {
                        pids.add(Long.parseLong(name));
                    }
                } catch (IOException gone) {
                    // exited meanwhile
                }
            }
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        pids.sort(null);
        return pids;
    }

    /** Kills the export daemons of {@code system} (they outlive it on purpose; a test ends them). */
    static void kill(RunningSystem system) {
        daemons(system).forEach(pid -> ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly));
    }
}
