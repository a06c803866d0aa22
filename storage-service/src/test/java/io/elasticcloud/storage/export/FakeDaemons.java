package io.elasticcloud.storage.export;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/** Export daemons in memory that can fail to start (broken, a port taken), and write their pid files. */
final class FakeDaemons extends InMemoryExportDaemons {
    final List<Launch> started = new ArrayList<>();
    final Set<Integer> portsTakenElsewhere = new HashSet<>();
    boolean broken;

    @Override
    public synchronized long start(Launch launch) throws LaunchFailure {
        if (broken) {
            throw new LaunchFailure("qemu-storage-daemon: Could not open '" + launch.file() + "'", false);
        }
        if (portsTakenElsewhere.contains(launch.port())
                || running.values().stream().anyMatch(l -> l.port() == launch.port())) {
            throw new LaunchFailure("Failed to find an available port: Address already in use", true);
        }
        long pid = super.start(launch);
        started.add(launch);
        try {
            java.nio.file.Files.writeString(launch.pidFile(), pid + "\n");
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
        return pid;
    }

    /** A daemon of ours that no record names (its record was lost). */
    long stray(Path directory) {
        long pid = nextPid();
        running.put(pid, new Launch(Path.of("/nowhere"), "127.0.0.1", 1, "lost", directory.resolve("lost.pid"), false));
        return pid;
    }

    int ports() {
        return (int) running.values().stream().map(Launch::port).distinct().count();
    }
}
