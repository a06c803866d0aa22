package io.elasticcloud.storage.node;

import io.elasticcloud.protocol.Command;
import io.elasticcloud.protocol.Done;
import io.elasticcloud.protocol.ElasticException;
import io.elasticcloud.protocol.RememberedReplies;
import io.elasticcloud.protocol.Events.Event;
import io.elasticcloud.protocol.Events.StorageNodeHeartbeat;
import io.elasticcloud.protocol.Transport;
import io.elasticcloud.protocol.storage.Cipher;
import io.elasticcloud.protocol.storage.NodeStatus;
import io.elasticcloud.protocol.storage.StorageCommands.AttachVolume;
import io.elasticcloud.protocol.storage.StorageCommands.CreateVolume;
import io.elasticcloud.protocol.storage.StorageCommands.DescribeNode;
import io.elasticcloud.protocol.storage.StorageCommands.DescribeVolume;
import io.elasticcloud.protocol.storage.StorageCommands.DestroyVolume;
import io.elasticcloud.protocol.storage.StorageCommands.DetachVolume;
import io.elasticcloud.protocol.storage.StorageCommands.ExportList;
import io.elasticcloud.protocol.storage.StorageCommands.ListExports;
import io.elasticcloud.protocol.storage.StorageCommands.ImageVolume;
import io.elasticcloud.protocol.storage.StorageCommands.ImportVolume;
import io.elasticcloud.protocol.storage.StorageCommands.ListVolumes;
import io.elasticcloud.protocol.storage.StorageCommands.ResizeVolume;
import io.elasticcloud.protocol.storage.StorageCommands.VolumeList;
import io.elasticcloud.protocol.storage.VolumeInfo;
import io.elasticcloud.protocol.agent.NbdExport;
import io.elasticcloud.protocol.agent.VolumeAttachment;
import io.elasticcloud.storage.export.NbdExports;
import io.elasticcloud.storage.imaging.ImagingService;
import io.elasticcloud.storage.volume.VolumeBackend;
import io.elasticcloud.storage.volume.VolumeNames;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One storage node: one pool of volumes on one piece of storage hardware, serving every {@link
 * io.elasticcloud.protocol.storage.StorageCommands storage command} under its bus name.
 *
 * <p>Idempotency: replies to changing commands are remembered by command id, so a redelivered
 * command answers as the first time even if the state moved on since (a create redelivered after
 * a destroy does not bring the volume back); besides, every command is safe to repeat by its
 * target state. Capacity is what volumes may take on disk at most (sizes, LUKS headers, key
 * files: {@link VolumeBackend#footprint}), checked under one lock with the footprints of creations
 * in flight reserved, so concurrent creations never overcommit; and the real disk must keep room
 * for every volume's unwritten part, the creations in flight and the headroom (spools, the
 * database, logs), so that writes into volumes already promised never find the disk full.
 */
public final class StorageNode implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(StorageNode.class);
    private static final int REMEMBERED_REPLIES = 4096;
    private static final int VOLUME_LOCKS = 64;

    /**
     * What names and bounds a node.
     *
     * @param host the machine the node's volumes are on: guests of an agent on this host get their
     *             volume by path, others through an NBD export; null: every guest by path
     * @param dataUrl where other processes read and write the node's volumes (advertised in its
     *             heartbeat); null: nowhere, only its own process
     * @param headroomBytes what is kept free on the node's disk beyond every volume's footprint
     */
    public record Settings(String name, String hardware, long capacityBytes, Duration heartbeatInterval, String host,
                           String dataUrl, long headroomBytes) {
        public Settings(String name, String hardware, long capacityBytes, Duration heartbeatInterval, String host,
                        String dataUrl) {
            this(name, hardware, capacityBytes, heartbeatInterval, host, dataUrl, 0);
        }

        public Settings(String name, String hardware, long capacityBytes, Duration heartbeatInterval) {
            this(name, hardware, capacityBytes, heartbeatInterval, null, null);
        }

        public Settings(String name, String hardware, long capacityBytes, Duration heartbeatInterval, String host) {
            this(name, hardware, capacityBytes, heartbeatInterval, host, null);
        }
    }

    private final Settings settings;
    private final VolumeBackend backend;
    private final Transport transport;
    private final ImagingService imaging;
    private final NbdExports exports;
    private final RememberedReplies replies = new RememberedReplies(REMEMBERED_REPLIES);
    private final Object[] volumeLocks = new Object[VOLUME_LOCKS];
    private final Object capacityLock = new Object();
    private long reserved;
    private ScheduledExecutorService heartbeats;
    private AutoCloseable registration;

    public StorageNode(Settings settings, VolumeBackend backend, Transport transport, ImagingService imaging) {
        this(settings, backend, transport, imaging, null);
    }

    /** @param exports the NBD exports of the process, null if volumes cannot be exported */
    public StorageNode(Settings settings, VolumeBackend backend, Transport transport, ImagingService imaging,
                       NbdExports exports) {
        this.exports = exports;
        this.settings = settings;
        this.backend = backend;
        this.transport = transport;
        this.imaging = imaging;
        for (int i = 0; i < VOLUME_LOCKS; i++) {
            volumeLocks[i] = new Object();
        }
    }

    public String name() {
        return settings.name();
    }

    public VolumeBackend backend() {
        return backend;
    }

    /** Serves the node's commands on the bus and starts the heartbeat (one at once). */
    public synchronized void start() {
        if (registration != null) {
            return;
        }
        registration = transport.serve(settings.name(), this::handle);
        heartbeats = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "heartbeat-" + settings.name());
            t.setDaemon(true);
            return t;
        });
        // the first heartbeat goes out before start returns, so listeners learn of the node at once
        heartbeat();
        long every = Math.max(1, settings.heartbeatInterval().toMillis());
        heartbeats.scheduleWithFixedDelay(this::heartbeat, every, every, TimeUnit.MILLISECONDS);
    }

    /** Carries out one command; the transport sends back what it returns or throws. */
    public Object handle(Command<?> command) {
        try {
            if (command instanceof CreateVolume c) {
                return remembered(c.commandId(), () -> create(c));
            } else if (command instanceof ResizeVolume c) {
                return remembered(c.commandId(), () -> resize(c));
            } else if (command instanceof DestroyVolume c) {
                return remembered(c.commandId(), () -> destroy(c));
            } else if (command instanceof ImportVolume c) {
                return remembered(c.commandId(), () -> importFile(c));
            } else if (command instanceof DescribeVolume c) {
                return backend.describe(VolumeNames.check(c.volume()))
                        .orElseThrow(() -> missing(c.volume()));
            } else if (command instanceof ListVolumes) {
                return new VolumeList(backend.list());
            } else if (command instanceof ImageVolume c) {
                return image(c);
            } else if (command instanceof AttachVolume c) {
                return attach(c);
            } else if (command instanceof DetachVolume c) {
                synchronized (lock(c.volume())) {
                    if (exports != null) {
                        exports.detach(name(), VolumeNames.check(c.volume()), c.holder());
                    }
                    return Done.INSTANCE;
                }
            } else if (command instanceof ListExports) {
                return new ExportList(exports == null ? List.of() : exports.list(name()));
            } else if (command instanceof DescribeNode) {
                return status();
            }
            throw ElasticException.usage("storage node %s does not accept %s", name(), command.getClass().getSimpleName());
        } catch (IOException e) {
            if (ElasticException.diskFull(e)) {
                log.warn("storage node {}: {} found the disk full: {}", name(), command, e.getMessage());
                throw ElasticException.full("the drive's storage is full; try again later");
            }
            log.error("storage node {}: {} failed", name(), command, e);
            throw ElasticException.system("storage I/O failed on storage node %s", name());
        }
    }

    /** The node's capacity and use, as heartbeats report it. */
    public NodeStatus status() throws IOException {
        VolumeBackend.Space space = backend.space();
        long room;
        synchronized (capacityLock) {
            room = roomOnDisk(space);
        }
        return new NodeStatus(settings.name(), settings.hardware(), settings.capacityBytes(), space.promised(),
                settings.dataUrl(), room == Long.MAX_VALUE ? null : Math.max(0, room),
                backend.footprint(0, Cipher.AES_XTS_PLAIN));
    }

    /**
     * What a new volume may take on the disk now (caller holds the capacity lock): may be negative;
     * {@link Long#MAX_VALUE} for a backend on no disk.
     */
    private long roomOnDisk(VolumeBackend.Space space) throws IOException {
        long usable = backend.usableSpace();
        if (usable == Long.MAX_VALUE) {
            return usable;
        }
        return usable - settings.headroomBytes() - space.unwritten() - reserved;
    }

    /**
     * The volume by path for a guest on this node's host (or a caller that names no host), else
     * through an NBD export held by the caller's holder.
     */
    private VolumeAttachment attach(AttachVolume c) throws IOException {
        synchronized (lock(c.volume())) {
            VolumeAttachment local = backend.attachment(VolumeNames.check(c.volume()));
            if (c.host() == null || settings.host() == null || settings.host().equalsIgnoreCase(c.host())) {
                return local;
            }
            if (exports == null) {
                throw ElasticException.failed("storage node %s on %s cannot export volumes to host %s", name(),
                        settings.host(), c.host());
            }
            NbdExport nbd = exports.attach(name(), c.volume(), Path.of(local.path()), c.holder(), c.readOnly());
            return new VolumeAttachment(local.volume(), null, local.cipher(), local.passphrase(), nbd);
        }
    }

    private VolumeInfo create(CreateVolume c) throws IOException {
        checkSize(c.size());
        Cipher cipher = cipherOf(c.cipher());
        synchronized (lock(c.volume())) {
            Optional<VolumeInfo> existing = backend.describe(VolumeNames.check(c.volume()));
            if (existing.isPresent()) {
                return sameCipher(existing.get(), cipher);
            }
            long footprint = backend.footprint(c.size(), cipher);
            reserve(footprint);
            try {
                return backend.create(c.volume(), c.size(), cipher, null);
            } finally {
                release(footprint);
            }
        }
    }

    private VolumeInfo importFile(ImportVolume c) throws IOException {
        Cipher cipher = cipherOf(c.cipher());
        synchronized (lock(c.volume())) {
            Optional<VolumeInfo> existing = backend.describe(VolumeNames.check(c.volume()));
            if (existing.isPresent()) {
                return sameCipher(existing.get(), cipher);
            }
            Path file = c.path() == null ? null : Path.of(c.path());
            if (file == null || !file.isAbsolute()) {
                throw ElasticException.usage("import needs an absolute path on storage node %s", name());
            }
            if (!Files.isRegularFile(file) || !Files.isReadable(file)) {
                throw ElasticException.missing("no readable file %s on storage node %s", c.path(), name());
            }
            long size = Files.size(file);
            long footprint = backend.footprint(size, cipher);
            reserve(footprint);
            try (InputStream in = Files.newInputStream(file)) {
                return backend.create(c.volume(), size, cipher, in);
            } finally {
                release(footprint);
            }
        }
    }

    private VolumeInfo resize(ResizeVolume c) throws IOException {
        checkSize(c.size());
        synchronized (lock(c.volume())) {
            VolumeInfo info = backend.describe(VolumeNames.check(c.volume())).orElseThrow(() -> missing(c.volume()));
            if (c.size() < info.size()) {
                throw ElasticException.usage("drive %s cannot shrink from %d to %d bytes", c.volume(), info.size(), c.size());
            }
            if (c.size() == info.size()) {
                return info;
            }
            long growth = backend.footprint(c.size(), info.cipher()) - backend.footprint(info.size(), info.cipher());
            reserve(growth);
            try {
                return backend.grow(c.volume(), c.size());
            } finally {
                release(growth);
            }
        }
    }

    private Done destroy(DestroyVolume c) throws IOException {
        synchronized (lock(c.volume())) {
            VolumeNames.check(c.volume());
            if (imaging.busy(c.volume())) {
                throw ElasticException.busy("drive %s is being imaged", c.volume());
            }
            if (exports != null) {
                exports.stop(name(), c.volume());
            }
            backend.destroy(c.volume());
            return Done.INSTANCE;
        }
    }

    private Done image(ImageVolume c) throws IOException {
        if (c.job() == null || c.source() == null || c.conversion() == null || c.sourceLength() < 0) {
            throw ElasticException.usage("imaging needs a job, a source, a conversion and a source length");
        }
        backend.describe(VolumeNames.check(c.target())).orElseThrow(() -> missing(c.target()));
        imaging.submit(c);
        return Done.INSTANCE;
    }

    /** Reserves {@code bytes} of footprint for a change in flight, or {@code full}. */
    private void reserve(long bytes) throws IOException {
        synchronized (capacityLock) {
            VolumeBackend.Space space = backend.space();
            long used = space.promised() + reserved;
            if (bytes > settings.capacityBytes() - used) {
                // no node name in a customer's answer: internal names stay inside
                throw ElasticException.full("the storage has %d bytes free, %d needed",
                        Math.max(0, settings.capacityBytes() - used), bytes);
            }
            long room = roomOnDisk(space);
            if (bytes > room) {
                throw ElasticException.full("the storage has %d bytes free on its disk, %d needed",
                        Math.max(0, room), bytes);
            }
            reserved += bytes;
        }
    }

    private void release(long bytes) {
        synchronized (capacityLock) {
            reserved -= bytes;
        }
    }

    private Object remembered(String commandId, RememberedReplies.Action<IOException> action) throws IOException {
        return replies.reply(commandId, action);
    }

    private static VolumeInfo sameCipher(VolumeInfo existing, Cipher cipher) {
        if (existing.cipher() != cipher) {
            throw ElasticException.usage("volume %s exists with cipher %s", existing.volume(), existing.cipher().apiName());
        }
        return existing;
    }

    private static Cipher cipherOf(Cipher cipher) {
        if (cipher == null) {
            throw ElasticException.usage("a volume needs a cipher");
        }
        return cipher;
    }

    private static void checkSize(long size) {
        if (size < 0) {
            throw ElasticException.usage("negative size %d", size);
        }
    }

    private ElasticException missing(String volume) {
        return ElasticException.missing("no volume %s on its storage", volume);
    }

    private Object lock(String volume) {
        return volumeLocks[Math.floorMod(String.valueOf(volume).hashCode(), VOLUME_LOCKS)];
    }

    private void heartbeat() {
        try {
            publish(new StorageNodeHeartbeat(status(), Instant.now()));
        } catch (IOException | RuntimeException e) {
            log.warn("storage node {}: heartbeat failed: {}", name(), e.getMessage());
        }
    }

    private void publish(Event event) {
        transport.publish(event);
    }

    @Override
    public synchronized void close() {
        if (heartbeats != null) {
            heartbeats.shutdownNow();
            heartbeats = null;
        }
        if (registration != null) {
            try {
                registration.close();
            } catch (Exception e) {
                log.warn("storage node {}: closing the bus registration failed: {}", name(), e.getMessage());
            }
            registration = null;
        }
    }
}
