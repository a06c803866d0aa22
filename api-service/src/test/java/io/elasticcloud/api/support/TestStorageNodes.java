package io.elasticcloud.api.support;

import io.elasticcloud.protocol.Command;
import io.elasticcloud.protocol.Events.Event;
import io.elasticcloud.protocol.Events.StorageNodeHeartbeat;
import io.elasticcloud.protocol.Transport;
import io.elasticcloud.protocol.storage.StorageCommands.AttachVolume;
import io.elasticcloud.protocol.storage.StorageCommands.ExportInfo;
import io.elasticcloud.protocol.storage.VolumeDataPath;
import io.elasticcloud.protocol.storage.VolumeRef;
import io.elasticcloud.storage.export.InMemoryExportDaemons;
import io.elasticcloud.storage.export.NbdExports;
import io.elasticcloud.storage.imaging.ImagingService;
import io.elasticcloud.storage.node.LocalVolumeDataPath;
import io.elasticcloud.storage.node.StorageNode;
import io.elasticcloud.storage.volume.VolumeBackend;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Consumer;
import java.util.stream.Stream;

/**
 * The storage service as the API service's fast tests run it, wired in this one place: real
 * {@link StorageNode}s on in-memory volumes ({@link PathAttachedBackend}), with their imaging and
 * their NBD export bookkeeping (daemons in memory, {@link InMemoryExportDaemons}), serving the same
 * bus as the API, and their data path. The levers tests pull: a node's machine ({@link #host}),
 * imaging held at a gate ({@link #hold}, so that tests see {@code imaging} and {@code queued}),
 * a heartbeat now. Nodes heartbeat when started and when asked, as the tests ask before each test.
 */
public final class TestStorageNodes implements VolumeDataPath, AutoCloseable {
    private static final Duration HEARTBEATS = Duration.ofHours(1);
    private static final Duration PROGRESS = Duration.ofMillis(50);
    private static final int FIRST_PORT = 10809;
    private static final int LAST_PORT = 10872;

    private final Transport bus;
    private final Path stateDir;
    private final LocalVolumeDataPath dataPath = new LocalVolumeDataPath();
    private final InMemoryExportDaemons daemons = new InMemoryExportDaemons();
    private final ExecutorService imagingThreads = Executors.newFixedThreadPool(2, r -> {
        Thread t = new Thread(r, "test-imaging");
        t.setDaemon(true);
        return t;
    });
    private final Map<String, Pool> pools = new ConcurrentHashMap<>();
    /** The exports of each machine's storage process, by the machine's name (its NBD address). */
    private final Map<String, NbdExports> machines = new ConcurrentHashMap<>();
    private final List<AttachVolume> attachments = Collections.synchronizedList(new ArrayList<>());
    private volatile CountDownLatch gate = new CountDownLatch(0);

    /** One node's lasting parts; its {@link StorageNode} is made again when it moves to another machine. */
    private static final class Pool {
        String hardware;
        long capacity;
        String host;
        VolumeBackend backend;
        ImagingService imaging;
        NbdExports exports;
        StorageNode node;
    }

    public TestStorageNodes(Transport transport) throws IOException {
        this.bus = new RecordingTransport(transport, attachments::add);
        this.stateDir = Files.createTempDirectory("api-test-storage");
    }

    /** Adds and starts node {@code name} with {@code capacity} bytes on {@code hardware}, on every machine. */
    public synchronized TestStorageNodes node(String name, String hardware, long capacity) {
        Pool pool = new Pool();
        pool.hardware = hardware;
        pool.capacity = capacity;
        pool.backend = new PathAttachedBackend(name);
        dataPath.register(name, pool.backend);
        pool.imaging = new ImagingService(name, pool.backend, dataPath, this::whenReleased, bus::publish, PROGRESS);
        pools.put(name, pool);
        start(name, pool, null);
        return this;
    }

    /**
     * Puts {@code node} on machine {@code host} (null: on every machine), as {@code
     * elastic.storage.host} would: the node is started again there, its volumes kept, and guests on
     * other machines get its volumes through that machine's exports. Exports of the machine it left
     * stay there; back on every machine, it lets go of the exports of the last machine it was on.
     */
    public synchronized TestStorageNodes host(String node, String host) {
        Pool pool = pools.get(node);
        pool.node.close();
        start(node, pool, host);
        return this;
    }

    /**
     * Stops {@code node} and starts it again on the same machine, its volumes kept: what it
     * remembered in memory (replies to commands already carried out) is gone, as after a restart.
     */
    public synchronized TestStorageNodes restart(String node) {
        Pool pool = pools.get(node);
        return host(node, pool.host);
    }

    private void start(String name, Pool pool, String host) {
        pool.host = host;
        if (host != null) {
            pool.exports = machines.computeIfAbsent(host, this::machine);
        }
        pool.node = new StorageNode(new StorageNode.Settings(name, pool.hardware, pool.capacity, HEARTBEATS, host),
                pool.backend, bus, pool.imaging, pool.exports);
        pool.node.start();
    }

    private NbdExports machine(String host) {
        try {
            return new NbdExports(new NbdExports.Settings(host, FIRST_PORT, LAST_PORT, stateDir.resolve(host)), daemons);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The holders of each volume {@code node} exports now, on any machine and in either mode. */
    public Map<String, Set<String>> exports(String node) {
        Map<String, Set<String>> holders = new TreeMap<>();
        for (NbdExports exports : machines.values()) {
            for (ExportInfo export : exports.list(node)) {
                holders.computeIfAbsent(export.volume(), v -> new TreeSet<>()).addAll(export.holders());
            }
        }
        return holders;
    }

    /** Every {@code AttachVolume} the nodes received, oldest first. */
    public List<AttachVolume> attachments() {
        synchronized (attachments) {
            return List.copyOf(attachments);
        }
    }

    /** Every node heartbeats now. */
    public void heartbeat() {
        for (Pool pool : pools.values()) {
            try {
                bus.publish(new StorageNodeHeartbeat(pool.node.status(), Instant.now()));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    /** Holds every imaging job not yet under way until {@link #release()}. */
    public void hold() {
        gate = new CountDownLatch(1);
    }

    public void release() {
        gate.countDown();
    }

    private void whenReleased(Runnable job) {
        imagingThreads.execute(() -> {
            try {
                gate.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
            job.run();
        });
    }

    public boolean holds(String node, String volume) {
        try {
            return pools.get(node).backend.describe(volume).isPresent();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public long read(VolumeRef volume, long offset, long length, OutputStream out) throws IOException {
        return dataPath.read(volume, offset, length, out);
    }

    @Override
    public void write(VolumeRef volume, long offset, long length, InputStream in) throws IOException {
        dataPath.write(volume, offset, length, in);
    }

    @Override
    public synchronized void close() throws IOException {
        for (Pool pool : pools.values()) {
            pool.node.close();
            pool.imaging.close();
            pool.backend.close();
        }
        imagingThreads.shutdownNow();
        try (Stream<Path> files = Files.walk(stateDir)) {
            for (Path file : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(file);
            }
        }
    }

    /** The API's bus, noting every {@code AttachVolume} a node is sent before the node handles it. */
    private record RecordingTransport(Transport bus, Consumer<AttachVolume> attached) implements Transport {
        @Override
        public <R> CompletableFuture<R> request(String node, Command<R> command, Duration timeout) {
            return bus.request(node, command, timeout);
        }

        @Override
        public AutoCloseable serve(String node, CommandHandler handler) {
            return bus.serve(node, command -> {
                if (command instanceof AttachVolume attach) {
                    attached.accept(attach);
                }
                return handler.handle(command);
            });
        }

        @Override
        public void publish(Event event) {
            bus.publish(event);
        }

        @Override
        public AutoCloseable subscribe(Set<Class<? extends Event>> kinds, Consumer<Event> listener) {
            return bus.subscribe(kinds, listener);
        }

        @Override
        public boolean connected() {
            return bus.connected();
        }

        /** The API's bus is the application's to close. */
        @Override
        public void close() {
        }
    }
}
