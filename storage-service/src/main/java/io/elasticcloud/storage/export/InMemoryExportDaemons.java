package io.elasticcloud.storage.export;

import java.nio.file.Path;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Export daemons that only "run" in a map, as {@link io.elasticcloud.storage.volume.InMemoryVolumeBackend}'s volumes live in
 * memory: a storage node's real export bookkeeping (holders, ports, records) without starting
 * qemu-storage-daemon, for tests whose hypervisor reads no export.
 */
public class InMemoryExportDaemons implements ExportDaemons {
    /** The daemons "running", by pid. */
    protected final Map<Long, Launch> running = new ConcurrentHashMap<>();
    private final AtomicLong pids = new AtomicLong(1000);

    @Override
    public synchronized long start(Launch launch) throws LaunchFailure {
        long pid = nextPid();
        running.put(pid, launch);
        return pid;
    }

    /** A pid no daemon had. */
    protected long nextPid() {
        return pids.incrementAndGet();
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
}
