package io.elasticcloud.storage.volume;

import io.elasticcloud.protocol.ElasticException;
import io.elasticcloud.protocol.storage.Cipher;
import io.elasticcloud.protocol.storage.VolumeInfo;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The test double of {@link VolumeBackend}: volumes in memory, sparse in 64 KiB chunks so that
 * tests may create terabyte-sized volumes and touch a few bytes. Same semantics as the file
 * backend (zeros when fresh, {@code full} past the end, growing keeps data); ciphers are only
 * recorded.
 */
public final class InMemoryVolumeBackend implements VolumeBackend {
    private static final int CHUNK = 64 * 1024;

    private final Map<String, MemoryVolume> volumes = new TreeMap<>();

    private static final class MemoryVolume {
        final Cipher cipher;
        volatile long size;
        final Map<Long, byte[]> chunks = new HashMap<>();

        MemoryVolume(Cipher cipher, long size) {
            this.cipher = cipher;
            this.size = size;
        }

        synchronized VolumeInfo info(String name) {
            return new VolumeInfo(name, size, cipher, (long) chunks.size() * CHUNK);
        }
    }

    @Override
    public synchronized VolumeInfo create(String volume, long size, Cipher cipher, InputStream content)
            throws IOException {
        VolumeNames.check(volume);
        if (size < 0) {
            throw ElasticException.usage("negative size");
        }
        if (volumes.containsKey(volume)) {
            throw ElasticException.usage("volume %s exists", volume);
        }
        MemoryVolume v = new MemoryVolume(cipher, size);
        if (content != null) {
            byte[] buf = new byte[CHUNK];
            long done = 0;
            while (done < size) {
                int n = content.readNBytes(buf, 0, (int) Math.min(CHUNK, size - done));
                if (n == 0) {
                    throw new EOFException("content ended after " + done + " of " + size + " bytes");
                }
                write(v, done, buf, 0, n);
                done += n;
            }
        }
        volumes.put(volume, v);
        return v.info(volume);
    }

    @Override
    public synchronized Optional<VolumeInfo> describe(String volume) {
        MemoryVolume v = volumes.get(VolumeNames.check(volume));
        return v == null ? Optional.empty() : Optional.of(v.info(volume));
    }

    @Override
    public synchronized List<VolumeInfo> list() {
        return volumes.entrySet().stream().map(e -> e.getValue().info(e.getKey())).toList();
    }

    @Override
    public synchronized long totalSize() {
        return volumes.values().stream().mapToLong(v -> v.size).sum();
    }

    @Override
    public synchronized VolumeInfo grow(String volume, long size) {
        MemoryVolume v = volumes.get(VolumeNames.check(volume));
        if (v == null) {
            throw ElasticException.missing("no volume %s", volume);
        }
        synchronized (v) {
            v.size = Math.max(v.size, size);
        }
        return v.info(volume);
    }

    @Override
    public synchronized boolean destroy(String volume) {
        return volumes.remove(VolumeNames.check(volume)) != null;
    }

    @Override
    public synchronized VolumeHandle open(String volume) {
        MemoryVolume v = volumes.get(VolumeNames.check(volume));
        if (v == null) {
            throw ElasticException.missing("no volume %s", volume);
        }
        long size = v.size;
        return new VolumeHandle() {
            @Override
            public long size() {
                return size;
            }

            @Override
            public int read(long offset, byte[] dst, int off, int len) {
                if (offset >= size || len <= 0) {
                    return 0;
                }
                int total = (int) Math.min(len, size - offset);
                synchronized (v) {
                    for (int done = 0; done < total; ) {
                        long pos = offset + done;
                        int inChunk = (int) (pos % CHUNK);
                        int n = Math.min(total - done, CHUNK - inChunk);
                        byte[] chunk = v.chunks.get(pos / CHUNK);
                        if (chunk == null) {
                            java.util.Arrays.fill(dst, off + done, off + done + n, (byte) 0);
                        } else {
                            System.arraycopy(chunk, inChunk, dst, off + done, n);
                        }
                        done += n;
                    }
                }
                return total;
            }

            @Override
            public void write(long offset, byte[] src, int off, int len) {
                VolumeNames.checkRange(offset, len, size);
                InMemoryVolumeBackend.write(v, offset, src, off, len);
            }

            @Override
            public void force() {
                // memory is as durable as this double gets
            }

            @Override
            public void close() {
                // nothing held
            }
        };
    }

    private static void write(MemoryVolume v, long offset, byte[] src, int off, int len) {
        synchronized (v) {
            for (int done = 0; done < len; ) {
                long pos = offset + done;
                int inChunk = (int) (pos % CHUNK);
                int n = Math.min(len - done, CHUNK - inChunk);
                System.arraycopy(src, off + done, v.chunks.computeIfAbsent(pos / CHUNK, k -> new byte[CHUNK]), inChunk, n);
                done += n;
            }
        }
    }

    @Override
    public synchronized void close() {
        volumes.clear();
    }
}
