package io.elasticcloud.storage;

import io.elasticcloud.protocol.Transport;
import io.elasticcloud.protocol.datapath.RoutingVolumeDataPath;
import io.elasticcloud.protocol.storage.VolumeDataPath;
import io.elasticcloud.storage.export.NbdExports;
import io.elasticcloud.storage.export.StorageDaemonCommand;
import io.elasticcloud.storage.export.QemuStorageDaemons;
import io.elasticcloud.storage.imaging.ImagingService;
import io.elasticcloud.storage.node.LocalVolumeDataPath;
import io.elasticcloud.storage.node.StorageNode;
import io.elasticcloud.storage.volume.VolumeBackend;
import io.elasticcloud.protocol.secret.MasterKey;
import io.elasticcloud.protocol.secret.PrivateFiles;
import java.io.IOException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The storage nodes of this process, with what they share: the master key, the imaging
 * threads and the local data path. Started when built, stopped by {@link #close()}.
 */
public final class StoragePools implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(StoragePools.class);
    /** How long a shutdown waits for the imaging copies to stop (each at its next buffer). */
    private static final Duration IMAGING_STOP_TIMEOUT = Duration.ofSeconds(10);

    private final List<StorageNode> nodes = new ArrayList<>();
    private final List<ImagingService> imagings = new ArrayList<>();
    private final LocalVolumeDataPath dataPath;
    private final ExecutorService imagingThreads;
    private final NbdExports exports;
    private final String host;
    /** Revives the exports of pools whose storage host is another machine ({@link #reviving}). */
    private final ScheduledExecutorService revival = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "export-revival");
        t.setDaemon(true);
        return t;
    });

    public StoragePools(StorageProperties properties, Path dataDir, Transport transport) throws IOException {
        this(properties, dataDir, transport, new LocalVolumeDataPath(), null, null);
    }

    /**
     * @param dataPath the data path to these pools, which they register with
     * @param remote   the data path to other processes' nodes, for imaging from their volumes;
     *                 null: only this process's volumes can be imaging sources
     * @param dataUrl  where other processes reach these pools' bytes (advertised in heartbeats);
     *                 null: nowhere
     */
    public StoragePools(StorageProperties properties, Path dataDir, Transport transport, LocalVolumeDataPath dataPath,
                        VolumeDataPath remote, String dataUrl) throws IOException {
        this.dataPath = dataPath;
        VolumeDataPath sources = remote == null ? dataPath : new RoutingVolumeDataPath(dataPath, remote);
        List<StorageProperties.Pool> pools = properties.pools() == null || properties.pools().isEmpty()
                ? List.of(new StorageProperties.Pool("pool-0", null, "hw-0", null))
                : properties.pools();
        Path keyFile = properties.masterKeyFile() != null ? properties.masterKeyFile()
                : PrivateFiles.directory(dataDir.resolve("keys")).resolve("master.key");
        MasterKey masterKey = MasterKey.loadOrCreate(keyFile);
        host = properties.host() != null && !properties.host().isBlank() ? properties.host() : localHostName();
        exports = exports(properties, dataDir, host);
        int threads = Math.max(1, properties.imagingThreads());
        AtomicInteger count = new AtomicInteger();
        imagingThreads = new ThreadPoolExecutor(threads, threads, 60, TimeUnit.SECONDS, new LinkedBlockingQueue<>(), r -> {
            Thread t = new Thread(r, "imaging-" + count.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        Set<String> names = new HashSet<>();
        try {
            for (StorageProperties.Pool pool : pools) {
                if (pool.name() == null || !names.add(pool.name())) {
                    throw new IllegalArgumentException("every storage pool needs a name of its own: " + pool);
                }
                PoolBackends.Made made = PoolBackends.make(pool, dataDir, masterKey, properties.unlockedVolumes(),
                        host, exports.settings().address(), exports.settings().tlsDir());
                VolumeBackend backend = made.backend();
                long capacity = made.capacity();
                String hardware = made.hardware();
                dataPath.register(pool.name(), backend);
                ImagingService imaging = new ImagingService(pool.name(), backend, sources, imagingThreads,
                        transport::publish, properties.imagingProgressInterval());
                imagings.add(imaging);
                StorageNode node = new StorageNode(
                        new StorageNode.Settings(pool.name(), hardware, capacity, properties.heartbeatInterval(), host, dataUrl,
                                properties.headroom() == null ? 0 : properties.headroom().toBytes()),
                        backend, transport, imaging, made.exports() != null ? made.exports() : exports,
                        made.exports() != null);
                if (made.exports() != null) {
                    reviving(made.exports(), properties.heartbeatInterval());
                }
                nodes.add(node);
                node.start();
            }
        } catch (IOException | RuntimeException e) {
            close();
            throw e;
        }
    }

    /**
     * Every {@code interval}, starts again the exports of {@code poolExports} whose daemon died: a
     * storage host that restarted serves its guests again without anyone attaching again.
     */
    private void reviving(NbdExports poolExports, Duration interval) {
        revival.scheduleWithFixedDelay(() -> {
            try {
                poolExports.revive();
            } catch (RuntimeException e) {
                log.warn("reviving the exports on {} failed: {}", poolExports.settings().address(), e.getMessage());
            }
        }, interval.toMillis(), interval.toMillis(), TimeUnit.MILLISECONDS);
    }

    private static NbdExports exports(StorageProperties properties, Path dataDir, String host) throws IOException {
        StorageProperties.Nbd nbd = properties.nbd() != null ? properties.nbd()
                : new StorageProperties.Nbd(null, "10809-10872", "qemu-storage-daemon", null, Duration.ofSeconds(10));
        int[] ports = NbdExports.Settings.ports(nbd.ports());
        Path stateDir = (nbd.stateDir() != null ? nbd.stateDir() : dataDir.resolve("exports")).toAbsolutePath().normalize();
        String address = nbd.address() != null && !nbd.address().isBlank() ? nbd.address() : host;
        Path tlsDir = nbd.tlsDir() == null ? null : StorageDaemonCommand.serverTlsDir(nbd.tlsDir());
        return new NbdExports(new NbdExports.Settings(address, ports[0], ports[1], stateDir, tlsDir),
                new QemuStorageDaemons(nbd.daemon(), nbd.startTimeout()));
    }

    static String localHostName() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException e) {
            return "localhost";
        }
    }

    /** The machine these pools are on ({@code elastic.storage.host}). */
    public String host() {
        return host;
    }

    /** The NBD exports of every pool (left running by {@link #close()}). */
    public NbdExports exports() {
        return exports;
    }

    public List<StorageNode> nodes() {
        return List.copyOf(nodes);
    }

    public LocalVolumeDataPath dataPath() {
        return dataPath;
    }

    /**
     * Stops imaging first (the copies end at their next buffer, unreported, to be sent again: see
     * {@link ImagingService#close}) and waits for it, bounded, so that no copy is still writing
     * when the volumes close under it; then the nodes, volumes and exports.
     */
    @Override
    public void close() {
        revival.shutdownNow();
        imagings.forEach(ImagingService::close);
        imagingThreads.shutdown();
        try {
            if (!imagingThreads.awaitTermination(IMAGING_STOP_TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
                log.warn("imaging did not stop within {}", IMAGING_STOP_TIMEOUT);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        for (StorageNode node : nodes) {
            node.close();
            dataPath.unregister(node.name());
            node.backend().close();
        }
        imagingThreads.shutdownNow();
        if (exports != null) {
            exports.close();
        }
    }
}
