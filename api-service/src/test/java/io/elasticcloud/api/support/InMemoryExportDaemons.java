package io.elasticcloud.api.support;

import io.elasticcloud.storage.export.ExportDaemons;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Export daemons that only "run" in this map: the storage nodes' real export bookkeeping (holders,
 * ports, records) without starting qemu-storage-daemon, whose exports no fake hypervisor reads.
 */
final class InMemoryExportDaemons implements ExportDaemons {
    private final Map<Long, Launch> running = new ConcurrentHashMap<>();
    private final AtomicLong pids = new AtomicLong(1000);

    @Override
    public long start(Launch launch) {
        long pid = pids.incrementAndGet();
        running.put(pid, launch);
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
}
