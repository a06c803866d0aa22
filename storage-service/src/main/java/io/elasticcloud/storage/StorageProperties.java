package io.elasticcloud.storage;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.ConstructorBinding;
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
 * @param host                     the machine this storage service runs on, compared with the
 *                                 {@code elastic.agent.host} of the guest's agent: the same host
 *                                 attaches a volume by path, another gets an NBD export; default
 *                                 the local host name
 * @param nbd                      how volumes are exported to guests on other hosts
 * @param dataPath                 how the pools serve their bytes to other processes (the API
 *                                 service, imaging on other storage processes)
 * @param headroom                 what each pool keeps free on its disk beyond what its volumes may
 *                                 take (write spools, the database, logs on the same filesystem)
 */
@ConfigurationProperties("elastic.storage")
public record StorageProperties(
        List<Pool> pools,
        Path masterKeyFile,
        @DefaultValue("5s") Duration heartbeatInterval,
        @DefaultValue("2") int imagingThreads,
        @DefaultValue("250ms") Duration imagingProgressInterval,
        @DefaultValue("256") int unlockedVolumes,
        String host,
        @DefaultValue Nbd nbd,
        @DefaultValue DataPath dataPath,
        @DefaultValue("256MB") DataSize headroom) {

    /**
     * The internal HTTP data path ({@code elastic.storage.data-path.*}), served when {@code
     * elastic.data-path.secret} is set (required with the RabbitMQ bus), on a port of its own.
     *
     * @param address where it listens; default every interface (bind it to the storage network)
     * @param port    its port; 0 picks a free one
     * @param url     what the nodes advertise to other processes in their heartbeats; default
     *                {@code http://ADDRESS:PORT}, or {@code http://HOST:PORT} when listening on
     *                every interface
     * @param threads requests served at once
     */
    public record DataPath(String address, @DefaultValue("8091") int port, String url,
                           @DefaultValue("16") int threads) {
    }

    /**
     * NBD exports ({@code elastic.storage.nbd.*}).
     *
     * @param address      where exports listen and what other hosts connect to (the storage
     *                     network address of this host); default {@code host}
     * @param ports        the ports exports may use, {@code FIRST-LAST}, one per exported volume
     * @param daemon       the {@code qemu-storage-daemon} binary
     * @param stateDir     the exports' records and pid files; default {@code DATA/exports}
     * @param startTimeout how long a daemon may take to listen
     * @param tlsDir       unset: plain NBD, which any host of the storage network may read and
     *                     write; set: every export speaks only TLS and admits only a client whose
     *                     certificate this directory's CA signed. The directory holds {@code
     *                     ca-cert.pem}, {@code server-cert.pem} (naming {@code address}) and {@code
     *                     server-key.pem}, on the machine where the daemons run (for a pool in a
     *                     storage box: inside the box)
     */
    public record Nbd(String address, @DefaultValue("10809-10872") String ports,
                      @DefaultValue("qemu-storage-daemon") String daemon, Path stateDir,
                      @DefaultValue("10s") Duration startTimeout, Path tlsDir) {

        @ConstructorBinding
        public Nbd {
        }

        /** Plain NBD. */
        public Nbd(String address, String ports, String daemon, Path stateDir, Duration startTimeout) {
            this(address, ports, daemon, stateDir, startTimeout, null);
        }
    }

    /**
     * One storage node.
     *
     * @param name      its name on the bus
     * @param directory where its volumes live ({@code file} pools); default {@code DATA/volumes/NAME}
     * @param hardware  the physical storage it is on (for {@code avoid}); default its name
     * @param capacity  what its volume sizes may add up to; default the free space of its
     *                  directory's filesystem at start, or the size of its thin pool
     * @param backend   how it keeps volumes: {@code file} (the default) or {@code lvm}
     * @param lvm       the volume group of an {@code lvm} pool and how to reach it
     */
    public record Pool(String name, Path directory, String hardware, DataSize capacity,
                       @DefaultValue("file") Backend backend, Lvm lvm) {

        @ConstructorBinding
        public Pool {
        }

        /** A {@code file} pool. */
        public Pool(String name, Path directory, String hardware, DataSize capacity) {
            this(name, directory, hardware, capacity, Backend.FILE, null);
        }
    }

    /** How a pool keeps its volumes. */
    public enum Backend {
        /** Files in a directory: raw, or LUKS1 made and read by this service. */
        FILE,
        /** Thin LVs of a volume group, encrypted ones opened by dm-crypt: the kernel's volume stack. */
        LVM
    }

    /**
     * The storage host of an {@code lvm} pool ({@code elastic.storage.pools[N].lvm.*}).
     *
     * @param volumeGroup    its volume group
     * @param thinPool       the thin pool in it that volumes are made in
     * @param agentSocket    a storage box's guest agent socket: the commands run inside the box and
     *                       the bytes move over NBD exports it serves; unset, the volume group is on
     *                       this machine (a real storage host)
     * @param address        the box's address, where its exports listen (with {@code agentSocket})
     * @param ports          the ports of its exports, {@code FIRST-LAST}
     * @param commandTimeout how long one LVM or cryptsetup command may take
     * @param guestPorts     the ports of the exports guests boot from, {@code FIRST-LAST}: apart
     *                       from {@code ports}, so that an export started again after the storage
     *                       host restarted finds its port free and its guests reconnect there
     */
    public record Lvm(String volumeGroup, @DefaultValue("thinpool") String thinPool, Path agentSocket, String address,
                      @DefaultValue("10809-10872") String ports, @DefaultValue("60s") Duration commandTimeout,
                      @DefaultValue("10873-10936") String guestPorts) {

        @ConstructorBinding
        public Lvm {
        }

        /** Guests' exports on the default ports. */
        public Lvm(String volumeGroup, String thinPool, Path agentSocket, String address, String ports,
                   Duration commandTimeout) {
            this(volumeGroup, thinPool, agentSocket, address, ports, commandTimeout, "10873-10936");
        }
    }
}
