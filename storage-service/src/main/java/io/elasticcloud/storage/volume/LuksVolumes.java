package io.elasticcloud.storage.volume;

import io.elasticcloud.protocol.secret.MasterKey;
import io.elasticcloud.storage.luks.LuksFormatter;
import io.elasticcloud.storage.luks.LuksHeader;
import io.elasticcloud.storage.luks.LuksKey;
import io.elasticcloud.storage.luks.LuksPayload;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.locks.Lock;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The encrypted volumes of a {@link FileVolumeBackend}: qemu LUKS1 files made by {@link
 * LuksFormatter}, each with a random printable passphrase kept wrapped by the {@link MasterKey}
 * in its sidecar ({@link LuksSidecar}). Unlocking a key costs a PBKDF2, so the unlocked keys of the
 * most recently used volumes stay in memory. Writes of part of a sector read, change and write
 * back the whole sector: they hold one of a fixed set of locks, chosen by volume name.
 */
final class LuksVolumes {
    private static final int LOCK_STRIPES = 64;

    private final VolumeFiles files;
    private final MasterKey masterKey;
    private final Map<String, LuksKey> unlocked;
    private final Lock[] partialSectorLocks = new Lock[LOCK_STRIPES];

    /** @param unlockedCacheSize how many volumes stay unlocked in memory, most recently used first */
    LuksVolumes(VolumeFiles files, MasterKey masterKey, int unlockedCacheSize) {
        this.files = files;
        this.masterKey = masterKey;
        this.unlocked = new LinkedHashMap<>(16, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, LuksKey> eldest) {
                return size() > unlockedCacheSize;
            }
        };
        for (int i = 0; i < LOCK_STRIPES; i++) {
            partialSectorLocks[i] = new ReentrantLock();
        }
    }

    /**
     * Formats {@code tmp} as the volume {@code volume} of {@code size} bytes, filled from {@code
     * content} when not null, and writes its sidecar; the caller moves {@code tmp} into place.
     */
    void create(String volume, Path tmp, long size, InputStream content) throws IOException {
        byte[] passphrase = Passphrases.random();
        LuksKey key = LuksFormatter.format(tmp, size, passphrase);
        try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            if (content != null) {
                // not closed here: the handle would close the channel that this method owns
                FileVolumeBackend.copyInto(new LuksVolumeHandle(ch, payload(volume, ch, key, size)), content, size);
            }
            ch.force(true);
        }
        new LuksSidecar(size, masterKey.wrap(volume, passphrase)).write(files.keyFile(volume));
        cache(volume, key);
    }

    /** Opens the existing encrypted volume, unlocking its key unless it is cached. */
    VolumeHandle open(String volume) throws IOException {
        LuksSidecar sidecar = LuksSidecar.read(files.keyFile(volume));
        FileChannel ch = FileChannel.open(files.luks(volume), StandardOpenOption.READ, StandardOpenOption.WRITE);
        try {
            LuksKey key = cached(volume);
            if (key == null) {
                key = LuksKey.unlock(ch, masterKey.unwrap(volume, sidecar.wrappedKey()));
                cache(volume, key);
            }
            return new LuksVolumeHandle(ch, payload(volume, ch, key, sidecar.size()));
        } catch (IOException | RuntimeException e) {
            ch.close();
            throw e;
        }
    }

    /** Grows the existing encrypted volume to {@code size} bytes, larger than it is. */
    void grow(String volume, long size) throws IOException {
        LuksSidecar sidecar = LuksSidecar.read(files.keyFile(volume));
        VolumeFiles.extend(files.luks(volume), LuksPayload.fileLength(payloadOffset(volume), size));
        // the size is raised only once the bytes exist, so a crash in between only wastes space
        new LuksSidecar(size, sidecar.wrappedKey()).write(files.keyFile(volume));
    }

    /** The existing encrypted volume's passphrase, unwrapped. */
    byte[] passphrase(String volume) throws IOException {
        return masterKey.unwrap(volume, LuksSidecar.read(files.keyFile(volume)).wrappedKey());
    }

    /** Drops the volume's unlocked key (the volume is being destroyed). */
    void forget(String volume) {
        synchronized (unlocked) {
            unlocked.remove(volume);
        }
    }

    /** Drops every unlocked key. */
    void forgetAll() {
        synchronized (unlocked) {
            unlocked.clear();
        }
    }

    private LuksPayload payload(String volume, FileChannel ch, LuksKey key, long size) {
        return new LuksPayload(ch, key, size, partialSectorLocks[Math.floorMod(volume.hashCode(), LOCK_STRIPES)]);
    }

    private long payloadOffset(String volume) throws IOException {
        LuksKey key = cached(volume);
        if (key != null) {
            return key.payloadOffset();
        }
        try (FileChannel ch = FileChannel.open(files.luks(volume), StandardOpenOption.READ)) {
            ByteBuffer buf = ByteBuffer.allocate(LuksHeader.LENGTH);
            while (buf.hasRemaining() && ch.read(buf, buf.position()) >= 0) {
                // keep reading: a header is 592 bytes, read in one or two calls
            }
            return LuksHeader.parse(buf.flip()).payloadOffset();
        }
    }

    private LuksKey cached(String volume) {
        synchronized (unlocked) {
            return unlocked.get(volume);
        }
    }

    private void cache(String volume, LuksKey key) {
        synchronized (unlocked) {
            unlocked.put(volume, key);
        }
    }
}
