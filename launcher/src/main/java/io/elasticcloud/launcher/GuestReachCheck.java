package io.elasticcloud.launcher;

import io.elasticcloud.agent.hypervisor.GuestReach;
import io.elasticcloud.agent.hypervisor.GuestUser;
import io.elasticcloud.agent.hypervisor.Hypervisor;
import io.elasticcloud.protocol.ElasticException;
import io.elasticcloud.storage.StoragePools;
import io.elasticcloud.storage.node.StorageNode;
import io.elasticcloud.storage.volume.FileVolumeBackend;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.SmartInitializingSingleton;

/**
 * Refuses to start a process whose guests could not open their drives: where a node agent and
 * storage pools run together, their guests get each drive's file by path, so the hypervisor's
 * guest user ({@code libvirt-qemu}) must reach every pool directory. Checked once every bean is
 * made and before the HTTP port opens; a pool it cannot reach is logged, written to stderr, and
 * ends the start (status non-zero), naming the directory that blocks it and what to do.
 */
public final class GuestReachCheck implements SmartInitializingSingleton {
    private static final Logger log = LoggerFactory.getLogger(GuestReachCheck.class);

    private final ObjectProvider<Hypervisor> hypervisor;
    private final ObjectProvider<StoragePools> pools;

    GuestReachCheck(ObjectProvider<Hypervisor> hypervisor, ObjectProvider<StoragePools> pools) {
        this.hypervisor = hypervisor;
        this.pools = pools;
    }

    @Override
    public void afterSingletonsInstantiated() {
        Hypervisor h = hypervisor.getIfAvailable();
        StoragePools p = pools.getIfAvailable();
        if (h == null || p == null) {
            // no agent and pools in one process: no guest of this process opens a pool's file
            return;
        }
        Optional<GuestUser> user;
        try {
            user = h.guestUser();
        } catch (ElasticException e) {
            log.warn("cannot learn the hypervisor's guest user, pools not checked: {}", e.getMessage());
            return;
        }
        if (user.isEmpty()) {
            return;
        }
        Map<String, Path> directories = new LinkedHashMap<>();
        for (StorageNode node : p.nodes()) {
            if (node.backend() instanceof FileVolumeBackend files) {
                directories.put("storage pool " + node.name(), files.directory());
            }
        }
        List<String> problems = GuestReach.problems(user.get(), directories, GuestUser.FILES);
        if (problems.isEmpty()) {
            log.info("the hypervisor's guest user {} reaches every storage pool: {}", user.get().describe(),
                    directories.values());
            return;
        }
        for (String problem : problems) {
            log.error("refusing to start: {}", problem);
            System.err.println("elastic-cloud: refusing to start: " + problem);
        }
        throw new Unreachable(problems);
    }

    /** The start refused: what the hypervisor's guest user cannot reach, one line each. */
    public static final class Unreachable extends IllegalStateException {
        private final List<String> problems;

        Unreachable(List<String> problems) {
            super("refusing to start: " + String.join("; ", problems));
            this.problems = List.copyOf(problems);
        }

        List<String> problems() {
            return problems;
        }
    }
}
