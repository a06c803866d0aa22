package io.elasticcloud.storage.node;

import io.elasticcloud.protocol.Command;
import io.elasticcloud.protocol.Done;
import io.elasticcloud.protocol.ElasticException;
import io.elasticcloud.protocol.Events.StorageNodeHeartbeat;
import io.elasticcloud.protocol.Transport;
import io.elasticcloud.protocol.storage.Cipher;
import io.elasticcloud.protocol.storage.NodeStatus;
import io.elasticcloud.protocol.storage.StorageCommands.AttachVolume;
import io.elasticcloud.protocol.storage.StorageCommands.CancelImaging;
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
import io.elasticcloud.protocol.storage.StorageCommands.StorageCommand;
import io.elasticcloud.protocol.storage.StorageCommands.VolumeList;
import io.elasticcloud.protocol.storage.VolumeInfo;
import io.elasticcloud.protocol.agent.NbdExport;
import io.elasticcloud.protocol.agent.VolumeAttachment;
import io.elasticcloud.protocol.node.CommandTable;
import io.elasticcloud.protocol.node.NodeRuntime;
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
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One storage node: one pool of volumes on one piece of storage hardware, serving every {@link
 * io.elasticcloud.protocol.storage.StorageCommands storage command} under its bus name.
 *
 * <p>Idempotency: replies to changing commands are remembered by command id, so a redelivered
 * command answers as the first time even if the state moved on since (a create redelivered after
 * a destroy does not bring the volume back); besides, every command is safe to repeat by its
 * target state. Changes that take room are bounded by the node's {@link NodeCapacity}.
 * Heartbeats, remembered replies, the volume locks and shutdown are the {@link NodeRuntime}'s;
 * what is the node's own is its {@link CommandTable} (a handler for every storage command, or it
 * does not build), its backend, imaging and exports.
 */
public final class StorageNode implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(StorageNode.class);

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
    private final ImagingService imaging;
    private final NbdExports exports;
    private final boolean exportAlways;
    private final NodeCapacity capacity;
    private final NodeRuntime runtime;
    private final CommandTable<IOException> commands;

    public StorageNode(Settings settings, VolumeBackend backend, Transport transport, ImagingService imaging) {
        this(settings, backend, transport, imaging, null);
    }

    /** @param exports the NBD exports of the process, null if volumes cannot be exported */
    public StorageNode(Settings settings, VolumeBackend backend, Transport transport, ImagingService imaging,
                       NbdExports exports) {
        this(settings, backend, transport, imaging, exports, false);
    }

    /**
     * @param exports      the NBD exports of the node's volumes, null if volumes cannot be exported
     * @param exportAlways every guest reaches the volumes through an export, whatever its host: the
     *                     volumes are on another machine than this process's (a storage box, an LVM
     *                     storage host), whose paths no guest's host can open
     */
    public StorageNode(Settings settings, VolumeBackend backend, Transport transport, ImagingService imaging,
                       NbdExports exports, boolean exportAlways) {
        this.exports = exports;
        this.exportAlways = exportAlways;
        this.settings = settings;
        this.backend = backend;
        this.imaging = imaging;
        this.capacity = new NodeCapacity(backend, settings.capacityBytes(), settings.headroomBytes());
        this.runtime = new NodeRuntime("storage node", settings.name(), transport, settings.heartbeatInterval(),
                this::handle, () -> new StorageNodeHeartbeat(status(), Instant.now()));
        this.commands = dispatchTable();
    }

    /** The dispatch table: every storage command, each with its handler; changing ones remembered. */
    private CommandTable<IOException> dispatchTable() {
        return CommandTable.<IOException>of(StorageCommand.class, "storage node " + name())
                .on(CreateVolume.class, c -> runtime.remembered(c.commandId(), () -> create(c)))
                .on(ResizeVolume.class, c -> runtime.remembered(c.commandId(), () -> resize(c)))
                .on(DestroyVolume.class, c -> runtime.remembered(c.commandId(), () -> destroy(c)))
                .on(ImportVolume.class, c -> runtime.remembered(c.commandId(), () -> importFile(c)))
                .on(DescribeVolume.class, c -> backend.describe(VolumeNames.check(c.volume()))
                        .orElseThrow(() -> missing(c.volume())))
                .on(ListVolumes.class, c -> new VolumeList(backend.list()))
                .on(ImageVolume.class, this::image)
                .on(CancelImaging.class, c -> {
                    imaging.cancel(c.job(), VolumeNames.check(c.target()));
                    return Done.INSTANCE;
                })
                .on(AttachVolume.class, this::attach)
                .on(DetachVolume.class, this::detach)
                .on(ListExports.class, c -> new ExportList(exports == null ? List.of() : exports.list(name())))
                .on(DescribeNode.class, c -> status())
                .build();
    }

    public String name() {
        return settings.name();
    }

    public VolumeBackend backend() {
        return backend;
    }

    /** The commands this node has a handler for: every {@link StorageCommand}, or it would not build. */
    Set<Class<?>> handledCommands() {
        return commands.commands();
    }

    /** Serves the node's commands on the bus and starts the heartbeat (one at once). */
    public void start() {
        runtime.start(() -> { });
    }

    /** Carries out one command; the transport sends back what it returns or throws. */
    public Object handle(Command<?> command) {
        try {
            return commands.handle(command);
        } catch (IOException e) {
            if (ElasticException.diskFull(e)) {
                log.warn("storage node {}: {} found the disk full: {}", name(), command, e.getMessage());
                throw ElasticException.full("the drive's storage is full; try again later");
            }
            log.error("storage node {}: {} failed", name(), command, e);
            throw ElasticException.system("storage I/O failed on storage node %s", name());
        }
    }

    /**
     * The node's capacity and use, as heartbeats report it. Each is also when the backend measures
     * its volumes' allocation again, so that creates between heartbeats need not.
     */
    public NodeStatus status() throws IOException {
        backend.measure();
        NodeCapacity.Report space = capacity.report();
        return new NodeStatus(settings.name(), settings.hardware(), settings.capacityBytes(), space.used(),
                settings.dataUrl(), space.roomOnDisk(), backend.footprint(0, Cipher.AES_XTS_PLAIN));
    }

    /**
     * The volume by path for a guest on this node's host (or a caller that names no host), else
     * (and always for a node that exports always) through an NBD export held by the caller's holder.
     */
    private VolumeAttachment attach(AttachVolume c) throws IOException {
        synchronized (runtime.lock(c.volume())) {
            VolumeAttachment local = backend.attachment(VolumeNames.check(c.volume()));
            boolean sameHost = c.host() == null || settings.host() == null || settings.host().equalsIgnoreCase(c.host());
            if (sameHost && !exportAlways) {
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

    private Done detach(DetachVolume c) throws IOException {
        synchronized (runtime.lock(c.volume())) {
            if (exports != null) {
                exports.detach(name(), VolumeNames.check(c.volume()), c.holder());
            }
            return Done.INSTANCE;
        }
    }

    private VolumeInfo create(CreateVolume c) throws IOException {
        checkSize(c.size());
        Cipher cipher = cipherOf(c.cipher());
        synchronized (runtime.lock(c.volume())) {
            Optional<VolumeInfo> existing = backend.describe(VolumeNames.check(c.volume()));
            if (existing.isPresent()) {
                return sameCipher(existing.get(), cipher);
            }
            return capacity.reserving(backend.footprint(c.size(), cipher),
                    () -> backend.create(c.volume(), c.size(), cipher, null));
        }
    }

    private VolumeInfo importFile(ImportVolume c) throws IOException {
        Cipher cipher = cipherOf(c.cipher());
        synchronized (runtime.lock(c.volume())) {
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
            return capacity.reserving(backend.footprint(size, cipher), () -> {
                try (InputStream in = Files.newInputStream(file)) {
                    return backend.create(c.volume(), size, cipher, in);
                }
            });
        }
    }

    private VolumeInfo resize(ResizeVolume c) throws IOException {
        checkSize(c.size());
        synchronized (runtime.lock(c.volume())) {
            VolumeInfo info = backend.describe(VolumeNames.check(c.volume())).orElseThrow(() -> missing(c.volume()));
            if (c.size() < info.size()) {
                throw ElasticException.usage("drive %s cannot shrink from %d to %d bytes", c.volume(), info.size(), c.size());
            }
            if (c.size() == info.size()) {
                return info;
            }
            long growth = backend.footprint(c.size(), info.cipher()) - backend.footprint(info.size(), info.cipher());
            return capacity.reserving(growth, () -> backend.grow(c.volume(), c.size()));
        }
    }

    private Done destroy(DestroyVolume c) throws IOException {
        synchronized (runtime.lock(c.volume())) {
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

    /** Stops serving and the heartbeat; the volumes, the backend and the exports stay. */
    @Override
    public void close() {
        runtime.close();
    }
}
