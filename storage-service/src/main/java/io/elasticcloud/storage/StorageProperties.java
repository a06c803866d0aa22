package io.elasticcloud.storage;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;

/**
 * Configuration of the storage service ({@code elastic.storage.*}). Defaults that depend on
 * {@code elastic.data-dir} (default {@code ./data}) are filled in by {@link StorageConfiguration}.
 *
 * @param pools                    the storage nodes of this process; default one pool {@code
 *                                 pool-0} in {@code DATA/volumes/pool-0}, hardware {@code hw-0}
 * @param masterKeyFile            the key that wraps every volume key; default {@code
 *                                 DATA/keys/master.key}, generated (0600) when missing
 * @param heartbeatInterval        how often each node publishes its heartbeat
 * @param imagingThreads           imaging jobs running at once, across all pools of the process
 * @param imagingProgressInterval  the least time between two progress events of a job
 * @param unlockedVolumes          encrypted volumes kept unlocked in memory (no PBKDF2 per call)
 */
@ConfigurationProperties("elastic.storage")
public record StorageProperties(
        List<Pool> pools,
        Path masterKeyFile,
        @DefaultValue("5s") Duration heartbeatInterval,
        @DefaultValue("2") int imagingThreads,
        @DefaultValue("250ms") Duration imagingProgressInterval,
        @DefaultValue("256") int unlockedVolumes) {

    /**
     * One storage node.
     *
     * @param name      its name on the bus
     * @param directory where its volumes live; default {@code DATA/volumes/NAME}
     * @param hardware  the physical storage it is on (for {@code avoid}); default its name
     * @param capacity  what its volume sizes may add up to; default the free space of its
     *                  directory's filesystem at start
     */
    public record Pool(String name, Path directory, String hardware, DataSize capacity) {
    }
}
