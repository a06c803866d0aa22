package io.elasticcloud.storage.export;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/** Export daemons in memory: what was started, on which port, and which still "run". */
final class FakeDaemons implements ExportDaemons {
    final Map<Long, Launch> running = new ConcurrentHashMap<>();
    final List<Launch> started = new ArrayList<>();
    final Set<Integer> portsTakenElsewhere = new HashSet<>();
    boolean broken;
    private final AtomicLong pids = new AtomicLong(1000);

    @Override
    public synchronized long start(Launch launch) throws LaunchFailure {
        if (broken) {
            throw new LaunchFailure("qemu-storage-daemon: Could not open '" + launch.file() + "'", false);
        }
        if (portsTakenElsewhere.contains(launch.port())
                || running.values().stream().anyMatch(l -> l.port() == launch.port())) {
            throw new LaunchFailure("Failed to find an available port: Address already in use", true);
        }
        long pid = pids.incrementAndGet();
        running.put(pid, launch);
        started.add(launch);
        try {
            java.nio.file.Files.writeString(launch.pidFile(), pid + "\n");
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
        return pid;
    }

    @Override
    public boolean alive(long pid, Path pidFile) {
        Launch launch = running.get(pid);
        return launch != null && launch.pidFile().equals(pidFile);
    }

    @Override
    public void stop(long pid) {
        running.remove(pid);
    }

    @Override
    public Set<Long> running(Path directory) {
        Set<Long> ours = new HashSet<>();
        running.forEach((pid, launch) -> {
            if (launch.pidFile().startsWith(directory)) {
                ours.add(pid);
            }
        });
        return ours;
    }

    /** A daemon of ours that no record names (its record was lost). */
    long stray(Path directory) {
        long pid = pids.incrementAndGet();
        running.put(pid, new Launch(Path.of("/nowhere"), "127.0.0.1", 1, "lost", directory.resolve("lost.pid"), false));
        return pid;
    }

    int ports() {
        return (int) running.values().stream().map(Launch::port).distinct().count();
    }
}
