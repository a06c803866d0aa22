package io.elasticcloud.storage.node;

import io.elasticcloud.protocol.ElasticException;
import io.elasticcloud.protocol.ErrorType;
import io.elasticcloud.protocol.storage.LocalDataPath;
import io.elasticcloud.protocol.storage.VolumeRef;
import io.elasticcloud.storage.volume.VolumeBackend;
import io.elasticcloud.storage.volume.VolumeHandle;
import io.elasticcloud.storage.volume.VolumeNames;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The data path to the storage nodes of this process: a direct call into their backends, with
 * one pooled buffer per call whatever the length: 4 MiB, the most an API read asks for and the
 * CLI's upload chunk, so that a read is one system call and one copy out, and a chunk written to
 * a remote device (an NBD export) is one request, not four.
 */
public final class LocalVolumeDataPath implements LocalDataPath {
    static final int BUFFER = 4 << 20;
    static final int READ_BUFFER = 4 << 20;

    private final Map<String, VolumeBackend> nodes = new ConcurrentHashMap<>();
    private final BufferPool readBuffers = new BufferPool(READ_BUFFER, 8);
    private final BufferPool writeBuffers = new BufferPool(BUFFER, 8);

    public void register(String node, VolumeBackend backend) {
        nodes.put(node, backend);
    }

    public void unregister(String node) {
        nodes.remove(node);
    }

    @Override
    public boolean serves(String node) {
        return nodes.containsKey(node);
    }

    @Override
    public long read(VolumeRef volume, long offset, long length, OutputStream out) throws IOException {
        return read(volume, offset, length, count -> out);
    }

    /** Where a read's bytes go, asked once their count is known (before the first byte). */
    @FunctionalInterface
    public interface Destination {
        OutputStream open(long count) throws IOException;
    }

    /**
     * As {@link #read(VolumeRef, long, long, OutputStream)}, but first tells {@code destination}
     * exactly how many bytes follow (cut at the end of the volume; 0 at or past it), so that a
     * reply can be sent with its length: errors (a missing volume) come before that call.
     */
    public long read(VolumeRef volume, long offset, long length, Destination destination) throws IOException {
        if (offset < 0 || length < 0) {
            throw ElasticException.usage("negative offset or length");
        }
        byte[] buf = readBuffers.take();
        try (VolumeHandle h = backend(volume).open(volume.volume())) {
            long count = Math.max(0, Math.min(length, h.size() - offset));
            OutputStream out = destination.open(count);
            long done = 0;
            while (done < count) {
                int n = h.read(offset + done, buf, 0, (int) Math.min(buf.length, count - done));
                if (n <= 0) {
                    throw new IOException("volume " + volume + " ended at " + (offset + done) + ", before its size");
                }
                out.write(buf, 0, n);
                done += n;
            }
            return done;
        } finally {
            readBuffers.give(buf);
        }
    }

    @Override
    public void write(VolumeRef volume, long offset, long length, InputStream in) throws IOException {
        byte[] buf = writeBuffers.take();
        try (VolumeHandle h = backend(volume).open(volume.volume())) {
            VolumeNames.checkRange(offset, length, h.size());
            long done = 0;
            while (done < length) {
                int want = (int) Math.min(buf.length, length - done);
                int n = in.readNBytes(buf, 0, want);
                h.write(offset + done, buf, 0, n);
                done += n;
                if (n < want) {
                    h.force();
                    throw ElasticException.usage("the data ended after %d of %d bytes", done, length);
                }
            }
            h.force();
        } catch (IOException e) {
            if (ElasticException.diskFull(e)) {
                // what was written before the disk filled stays: a write is not atomic, as on a disk
                throw new ElasticException(ErrorType.FULL, "the drive's storage is full; try again later", e);
            }
            throw e;
        } finally {
            writeBuffers.give(buf);
        }
    }

    @Override
    public Optional<Path> plainFile(VolumeRef volume) throws IOException {
        return backend(volume).plainFile(volume.volume());
    }

    private VolumeBackend backend(VolumeRef volume) {
        VolumeBackend backend = nodes.get(volume.node());
        if (backend == null) {
            throw ElasticException.system("storage node %s is not served by this process", volume.node());
        }
        return backend;
    }
}
