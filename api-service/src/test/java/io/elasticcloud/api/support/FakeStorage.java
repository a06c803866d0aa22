package io.elasticcloud.api.support;

import io.elasticcloud.protocol.Done;
import io.elasticcloud.protocol.ElasticException;
import io.elasticcloud.protocol.ErrorType;
import io.elasticcloud.protocol.Events.ImagingFinished;
import io.elasticcloud.protocol.Events.ImagingProgress;
import io.elasticcloud.protocol.Events.StorageNodeHeartbeat;
import io.elasticcloud.protocol.Transport;
import io.elasticcloud.protocol.storage.NodeStatus;
import io.elasticcloud.protocol.agent.NbdExport;
import io.elasticcloud.protocol.agent.VolumeAttachment;
import io.elasticcloud.protocol.storage.StorageCommands.AttachVolume;
import io.elasticcloud.protocol.storage.StorageCommands.CreateVolume;
import io.elasticcloud.protocol.storage.StorageCommands.DescribeNode;
import io.elasticcloud.protocol.storage.StorageCommands.DescribeVolume;
import io.elasticcloud.protocol.storage.StorageCommands.DestroyVolume;
import io.elasticcloud.protocol.storage.StorageCommands.DetachVolume;
import io.elasticcloud.protocol.storage.StorageCommands.ExportInfo;
import io.elasticcloud.protocol.storage.StorageCommands.ExportList;
import io.elasticcloud.protocol.storage.StorageCommands.ListExports;
import io.elasticcloud.protocol.storage.StorageCommands.ImageVolume;
import io.elasticcloud.protocol.storage.StorageCommands.ImportVolume;
import io.elasticcloud.protocol.storage.StorageCommands.ListVolumes;
import io.elasticcloud.protocol.storage.StorageCommands.ResizeVolume;
import io.elasticcloud.protocol.storage.StorageCommands.VolumeList;
import io.elasticcloud.protocol.storage.VolumeDataPath;
import io.elasticcloud.protocol.storage.VolumeInfo;
import io.elasticcloud.protocol.storage.VolumeRef;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;

/**
 * A test double of the storage service for the API service's fast tests: storage nodes with
 * in-memory volumes behind the real bus contract, and their data path. Imaging can be held at a
 * gate so tests can see {@code imaging} in progress and {@code queued}.
 */
public final class FakeStorage implements VolumeDataPath, AutoCloseable {
    private final Transport transport;
    private final Map<String, NodeStatus> nodes = new ConcurrentHashMap<>();
    private final Map<String, Map<String, byte[]>> volumes = new ConcurrentHashMap<>();
    private final ExecutorService imaging = Executors.newSingleThreadExecutor();
    private final List<AutoCloseable> registrations = new ArrayList<>();
    private volatile CountDownLatch gate = new CountDownLatch(0);
    /** The machine of each node that has one; a node without attaches every volume by path. */
    private final Map<String, String> hosts = new ConcurrentHashMap<>();
    /** Per node, the holders of each exported volume. */
    private final Map<String, Map<String, java.util.Set<String>>> exports = new ConcurrentHashMap<>();

    private final List<AttachVolume> attachments = java.util.Collections.synchronizedList(new ArrayList<>());

    /** Every {@code AttachVolume} received, oldest first. */
    public List<AttachVolume> attachments() {
        synchronized (attachments) {
            return List.copyOf(attachments);
        }
    }

    public FakeStorage(Transport transport) {
        this.transport = transport;
    }

    /** Adds a node with {@code capacity} bytes on {@code hardware}, serving and heartbeating. */
    public FakeStorage node(String name, String hardware, long capacity) {
        nodes.put(name, new NodeStatus(name, hardware, capacity, 0));
        volumes.put(name, new ConcurrentHashMap<>());
        registrations.add(transport.serve(name, command -> handle(name, command)));
        heartbeat();
        return this;
    }

    /** Puts {@code node} on machine {@code host} (null: on every machine), as {@code elastic.storage.host}. */
    public FakeStorage host(String node, String host) {
        if (host == null) {
            hosts.remove(node);
        } else {
            hosts.put(node, host);
        }
        return this;
    }

    /** The holders of each volume {@code node} exports now. */
    public Map<String, java.util.Set<String>> exports(String node) {
        Map<String, java.util.Set<String>> copy = new java.util.TreeMap<>();
        exports.getOrDefault(node, Map.of()).forEach((volume, holders) -> copy.put(volume, java.util.Set.copyOf(holders)));
        return copy;
    }

    public void heartbeat() {
        nodes.values().forEach(n -> transport.publish(new StorageNodeHeartbeat(status(n.node()), Instant.now())));
    }

    /** Holds every imaging job until {@link #release()}. */
    public void hold() {
        gate = new CountDownLatch(1);
    }

    public void release() {
        gate.countDown();
    }

    public boolean holds(String node, String volume) {
        return volumes.get(node).containsKey(volume);
    }

    private NodeStatus status(String node) {
        NodeStatus n = nodes.get(node);
        long used = volumes.get(node).values().stream().mapToLong(v -> v.length).sum();
        return new NodeStatus(node, n.hardware(), n.capacityBytes(), used);
    }

    private Object handle(String node, Object command) {
        Map<String, byte[]> vols = volumes.get(node);
        if (command instanceof CreateVolume c) {
            vols.computeIfAbsent(c.volume(), v -> new byte[(int) c.size()]);
            return info(c.volume(), vols.get(c.volume()));
        } else if (command instanceof ResizeVolume c) {
            byte[] old = existing(vols, c.volume());
            if (c.size() < old.length) {
                throw ElasticException.usage("cannot shrink");
            }
            vols.put(c.volume(), Arrays.copyOf(old, (int) c.size()));
            return info(c.volume(), vols.get(c.volume()));
        } else if (command instanceof DestroyVolume c) {
            vols.remove(c.volume());
            return Done.INSTANCE;
        } else if (command instanceof DescribeVolume c) {
            return info(c.volume(), existing(vols, c.volume()));
        } else if (command instanceof ListVolumes) {
            return new VolumeList(vols.entrySet().stream().map(e -> info(e.getKey(), e.getValue())).toList());
        } else if (command instanceof ImportVolume c) {
            try {
                vols.put(c.volume(), Files.readAllBytes(Path.of(c.path())));
            } catch (IOException e) {
                throw ElasticException.missing("no file %s", c.path());
            }
            return info(c.volume(), vols.get(c.volume()));
        } else if (command instanceof AttachVolume c) {
            existing(vols, c.volume());
            attachments.add(c);
            String host = hosts.get(node);
            if (c.host() == null || host == null || host.equals(c.host())) {
                return new VolumeAttachment(c.volume(), "/fake/" + node + "/" + c.volume() + ".raw",
                        io.elasticcloud.protocol.storage.Cipher.NONE, null);
            }
            synchronized (exports) {
                exports.computeIfAbsent(node, n -> new ConcurrentHashMap<>())
                        .computeIfAbsent(c.volume(), v -> ConcurrentHashMap.newKeySet()).add(c.holder());
            }
            return new VolumeAttachment(c.volume(), null, io.elasticcloud.protocol.storage.Cipher.NONE, null,
                    new NbdExport(host, 10809, c.volume()));
        } else if (command instanceof DetachVolume c) {
            synchronized (exports) {
                Map<String, java.util.Set<String>> mine = exports.getOrDefault(node, new ConcurrentHashMap<>());
                java.util.Set<String> holders = mine.get(c.volume());
                if (holders != null && holders.remove(c.holder()) && holders.isEmpty()) {
                    mine.remove(c.volume());
                }
            }
            return Done.INSTANCE;
        } else if (command instanceof ListExports) {
            List<ExportInfo> list = new ArrayList<>();
            exports(node).forEach((volume, holders) -> list.add(new ExportInfo(volume,
                    new NbdExport(hosts.getOrDefault(node, node), 10809, volume), List.copyOf(new java.util.TreeSet<>(holders)))));
            return new ExportList(list);
        } else if (command instanceof DescribeNode) {
            return status(node);
        } else if (command instanceof ImageVolume c) {
            imaging.submit(() -> image(node, c));
            return Done.INSTANCE;
        }
        throw ElasticException.usage("unknown command");
    }

    private void image(String node, ImageVolume c) {
        try {
            gate.await();
            transport.publish(new ImagingProgress(node, c.job(), c.target(), 50));
            byte[] source = volumes.get(c.source().node()).get(c.source().volume());
            byte[] converted = switch (c.conversion()) {
                case NONE -> source;
                case GZIP -> gzip(source);
                case GUNZIP -> new GZIPInputStream(new ByteArrayInputStream(source)).readAllBytes();
            };
            byte[] target = volumes.get(node).get(c.target());
            int n = Math.min(converted.length, target.length);
            System.arraycopy(converted, 0, target, 0, n);
            boolean full = converted.length > target.length;
            transport.publish(new ImagingFinished(node, c.job(), c.target(), full ? ErrorType.FULL : null,
                    full ? "the data does not fit the drive" : null));
        } catch (Exception e) {
            transport.publish(new ImagingFinished(node, c.job(), c.target(), ErrorType.USAGE, "not gzip"));
        }
    }

    private static byte[] gzip(byte[] data) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
            gz.write(data);
        }
        return out.toByteArray();
    }

    private static byte[] existing(Map<String, byte[]> vols, String volume) {
        byte[] v = vols.get(volume);
        if (v == null) {
            throw ElasticException.missing("no volume %s", volume);
        }
        return v;
    }

    private static VolumeInfo info(String volume, byte[] bytes) {
        return new VolumeInfo(volume, bytes.length, io.elasticcloud.protocol.storage.Cipher.NONE, bytes.length);
    }

    @Override
    public long read(VolumeRef volume, long offset, long length, OutputStream out) throws IOException {
        byte[] v = existing(volumes.get(volume.node()), volume.volume());
        int n = (int) Math.max(0, Math.min(length, v.length - offset));
        out.write(v, (int) offset, n);
        return n;
    }

    @Override
    public void write(VolumeRef volume, long offset, long length, InputStream in) throws IOException {
        byte[] v = existing(volumes.get(volume.node()), volume.volume());
        if (offset + length > v.length) {
            throw ElasticException.full("past the end");
        }
        byte[] data = in.readNBytes((int) length);
        System.arraycopy(data, 0, v, (int) offset, data.length);
    }

    @Override
    public void close() throws Exception {
        for (AutoCloseable r : registrations) {
            r.close();
        }
        imaging.shutdownNow();
    }
}
