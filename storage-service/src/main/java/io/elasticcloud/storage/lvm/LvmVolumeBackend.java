package io.elasticcloud.storage.lvm;

import io.elasticcloud.protocol.ElasticException;
import io.elasticcloud.protocol.agent.VolumeAttachment;
import io.elasticcloud.protocol.secret.MasterKey;
import io.elasticcloud.protocol.storage.Cipher;
import io.elasticcloud.protocol.storage.VolumeInfo;
import io.elasticcloud.storage.host.HostCommands;
import io.elasticcloud.storage.host.LogicalVolume;
import io.elasticcloud.storage.volume.FileVolumeBackend;
import io.elasticcloud.storage.volume.Passphrases;
import io.elasticcloud.storage.volume.VolumeBackend;
import io.elasticcloud.storage.volume.VolumeHandle;
import io.elasticcloud.storage.volume.VolumeNames;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Volumes as thin logical volumes of one thin pool on a storage host, encrypted ones as LUKS1
 * (aes-xts-plain64, 512-bit key) opened by dm-crypt: the kernel keeps the blocks and does the
 * crypto. Every step runs on the storage host through {@link StorageHostCommands} (locally on a
 * real storage host, through the guest agent in a storage box); bytes move through {@link
 * VolumeDevices}. What a volume is lives in its LV's tags ({@link LvmNames}), so the storage host
 * needs no other record: an LV still tagged {@code elastic-partial} is an unfinished creation,
 * removed at start.
 *
 * <p>Thin LVs read as zeros where nothing was written, and the pool must zero the blocks it hands
 * out (LVM's default, checked at start): a new volume never shows a destroyed one's bytes.
 * Encrypted volumes keep their holes as zeros through {@link HoleKeepingHandle}.
 */
public final class LvmVolumeBackend implements VolumeBackend {
    private static final Logger log = LoggerFactory.getLogger(LvmVolumeBackend.class);
    private static final long SECTOR = 512;
    static final int METADATA_FULL_PERCENT = 80;

    private final StorageHostCommands host;
    private final Lvm lvm;
    private final Cryptsetup crypt;
    private final ThinClones clones;
    private final VolumeDevices devices;
    private final MasterKey masterKey;
    /** What the last open of each volume found; dropped when the volume changes or does not open so. */
    private final Map<String, LvmNames.Described> opened = new ConcurrentHashMap<>();
    /** Each encrypted volume's ranges known to hold no hole (see {@link WrittenRanges}). */
    private final Map<String, WrittenRanges> written = new ConcurrentHashMap<>();

    /**
     * Checks the thin pool, activates the volume group and sweeps what a crash left: LVs of
     * unfinished creations and their dm-crypt mappings.
     */
    public LvmVolumeBackend(HostCommands commands, Duration timeout, String volumeGroup, String thinPool,
                            VolumeDevices devices, MasterKey masterKey) throws IOException {
        this.host = new StorageHostCommands(commands, timeout);
        this.lvm = new Lvm(host, volumeGroup, thinPool);
        this.crypt = new Cryptsetup(host);
        this.clones = new ThinClones(lvm);
        this.devices = devices;
        this.masterKey = masterKey;
        try {
            check(volumeGroup, thinPool);
            sweep();
        } catch (IOException | RuntimeException e) {
            close();
            throw e;
        }
    }

    private void check(String volumeGroup, String thinPool) throws IOException {
        lvm.activateAll();
        LogicalVolume pool = lvm.pool();
        if (!pool.isThinPool()) {
            throw new IOException(volumeGroup + "/" + thinPool + " is not a thin pool (attributes " + pool.attr() + ")");
        }
        if (!pool.zeroesNewBlocks()) {
            throw new IOException("thin pool " + volumeGroup + "/" + thinPool + " does not zero new blocks: a new volume"
                    + " could show a destroyed one's bytes; lvchange --zero y " + volumeGroup + "/" + thinPool);
        }
    }

    private void sweep() throws IOException {
        clones.sweep(lvm.volumes());
        for (LogicalVolume lv : lvm.volumes()) {
            Optional<String> volume = LvmNames.volume(lv.name());
            if (volume.isPresent() && LvmNames.describe(lv.tags()).isEmpty()) {
                log.warn("removing LV {}/{}: an unfinished creation", lvm.volumeGroup(), lv.name());
                crypt.close(LvmNames.crypt(volume.get()));
                lvm.remove(lv.name());
            }
        }
    }

    @Override
    public VolumeInfo create(String volume, long size, Cipher cipher, InputStream content) throws IOException {
        String lv = LvmNames.lv(volume);
        if (size < 0) {
            throw ElasticException.usage("negative size");
        }
        if (lvm.volume(lv).isPresent()) {
            throw ElasticException.usage("volume %s exists", volume);
        }
        byte[] passphrase = cipher == Cipher.NONE ? null : Passphrases.random();
        byte[] wrapped = passphrase == null ? null : masterKey.wrap(volume, passphrase);
        List<String> tags = LvmNames.tags(size, cipher, wrapped);
        lvm.createThin(lv, lvBytes(size, cipher), tags);
        try {
            if (passphrase != null) {
                crypt.format(lvm.device(lv), passphrase);
                crypt.open(lvm.device(lv), LvmNames.crypt(volume), passphrase);
            }
            if (content != null) {
                try (VolumeHandle handle = open(volume, new LvmNames.Described(size, cipher, wrapped), false)) {
                    FileVolumeBackend.copyInto(handle, content, size);
                }
            }
            lvm.retag(lv, LvmNames.PARTIAL_TAG, null);
        } catch (IOException | RuntimeException e) {
            discard(volume);
            throw e;
        }
        return describe(volume).orElseThrow();
    }

    /** The LV a volume of {@code size} bytes needs: whole sectors, and the LUKS header before them. */
    static long lvBytes(long size, Cipher cipher) {
        long sectors = (size + SECTOR - 1) / SECTOR * SECTOR;
        return Math.max(SECTOR, sectors) + (cipher == Cipher.NONE ? 0 : Cryptsetup.PAYLOAD_OFFSET);
    }

    @Override
    public Optional<VolumeInfo> describe(String volume) throws IOException {
        Optional<LogicalVolume> lv = lvm.volume(LvmNames.lv(volume));
        return lv.flatMap(v -> info(volume, v));
    }

    @Override
    public List<VolumeInfo> list() throws IOException {
        List<VolumeInfo> infos = new ArrayList<>();
        for (LogicalVolume lv : lvm.volumes()) {
            LvmNames.volume(lv.name()).flatMap(volume -> info(volume, lv)).ifPresent(infos::add);
        }
        infos.sort((a, b) -> a.volume().compareTo(b.volume()));
        return infos;
    }

    private static Optional<VolumeInfo> info(String volume, LogicalVolume lv) {
        return LvmNames.describe(lv.tags()).map(d -> new VolumeInfo(volume, d.size(), d.cipher(), lv.allocatedBytes()));
    }

    @Override
    public long totalSize() throws IOException {
        return list().stream().mapToLong(VolumeInfo::size).sum();
    }

    @Override
    public long footprint(long size, Cipher cipher) {
        return lvBytes(size, cipher);
    }

    /** Promised: every volume's LV; unwritten: what the thin pool has not handed them yet. */
    @Override
    public Space space() throws IOException {
        long promised = 0;
        long unwritten = 0;
        for (LogicalVolume lv : lvm.volumes()) {
            if (LvmNames.volume(lv.name()).isPresent()) {
                promised += lv.size();
                // a block shared with a snapshot is counted once by the pool but a write may claim it again
                unwritten += LvmNames.shared(lv.tags()) ? lv.size() : Math.max(0, lv.size() - lv.allocatedBytes());
            }
        }
        return new Space(promised, unwritten);
    }

    /**
     * What the thin pool has not handed out yet; nothing once its metadata is {@value
     * #METADATA_FULL_PERCENT}% used: a pool whose metadata fills up turns read-only under every
     * volume (many small writes and snapshots fill metadata faster than data), so it takes no more.
     */
    @Override
    public long usableSpace() throws IOException {
        LogicalVolume pool = lvm.pool();
        if (pool.metadataPercent().orElse(0) >= METADATA_FULL_PERCENT) {
            log.warn("thin pool {}/{} has {}% of its metadata used: no new volumes", lvm.volumeGroup(), pool.name(),
                    pool.metadataPercent().getAsDouble());
            return 0;
        }
        return Math.max(0, pool.size() - pool.allocatedBytes());
    }

    /** The thin pool's size: what the volumes of this backend may take at most. */
    public long poolSize() throws IOException {
        return lvm.pool().size();
    }

    @Override
    public VolumeInfo grow(String volume, long size) throws IOException {
        String lv = LvmNames.lv(volume);
        opened.remove(volume);
        LvmNames.Described d = described(volume);
        if (size > d.size()) {
            long bytes = lvBytes(size, d.cipher());
            if (bytes > lvm.volume(lv).map(LogicalVolume::size).orElse(0L)) {
                lvm.extend(lv, bytes);
            }
            if (d.cipher() != Cipher.NONE) {
                crypt.open(lvm.device(lv), LvmNames.crypt(volume), unwrap(volume, d));
                crypt.resize(LvmNames.crypt(volume));
            }
            // the size is raised only once the bytes exist, so a crash in between only wastes space
            lvm.retag(lv, LvmNames.SIZE_TAG + d.size(), LvmNames.SIZE_TAG + size);
        }
        return describe(volume).orElseThrow();
    }

    @Override
    public boolean destroy(String volume) throws IOException {
        String lv = LvmNames.lv(volume);
        opened.remove(volume);
        written.remove(volume);
        devices.release(mapper(volume));
        devices.release(lvm.device(lv));
        crypt.close(LvmNames.crypt(volume));
        return lvm.remove(lv);
    }

    /**
     * A thin snapshot of the source in the target's place when both are cipher none ({@link
     * ThinClones}); the target's device is let go first, and the source LV's bytes past the
     * source's size that the snapshot carried into a larger target are written as zeros.
     */
    @Override
    public boolean cloneInto(String source, String target, long length) throws IOException {
        opened.remove(VolumeNames.check(target));
        devices.release(lvm.device(LvmNames.lv(target)));
        Optional<ThinClones.Tail> tail = clones.cloneInto(source, target, length);
        if (tail.isPresent() && !tail.get().isEmpty()) {
            try (VolumeHandle handle = open(target)) {
                tail.get().zero(handle);
            }
        }
        return tail.isPresent();
    }

    /** Removes what an unfinished creation made, keeping the first failure for the caller. */
    private void discard(String volume) {
        try {
            destroy(volume);
        } catch (IOException | RuntimeException e) {
            log.warn("could not remove the unfinished volume {} (removed at the next start): {}", volume, e.getMessage());
        }
    }

    /**
     * Opens the volume's device, from what an earlier open learnt when it can: a read or write of
     * the API opens a handle each time, and asking the storage host about the LV and its mapping
     * would cost two commands (tens of milliseconds in a box) per chunk. When the device does not
     * open as remembered (the storage host restarted: mappings and exports are gone), the volume is
     * looked up and opened again, once.
     */
    @Override
    public VolumeHandle open(String volume) throws IOException {
        LvmNames.Described known = opened.get(VolumeNames.check(volume));
        if (known != null) {
            try {
                return open(volume, known, false);
            } catch (IOException stale) {
                log.info("volume {} did not open as before ({}): looking it up again", volume, stale.getMessage());
                opened.remove(volume, known);
            }
        }
        return open(volume, described(volume), true);
    }

    private VolumeHandle open(String volume, LvmNames.Described d, boolean prepare) throws IOException {
        String lv = LvmNames.lv(volume);
        VolumeHandle handle;
        if (d.cipher() == Cipher.NONE) {
            handle = devices.open(lvm.device(lv), d.size());
        } else {
            long sectors = (d.size() + SECTOR - 1) / SECTOR * SECTOR;
            if (prepare) {
                crypt.open(lvm.device(lv), LvmNames.crypt(volume), unwrap(volume, d));
            }
            VolumeHandle plain = devices.open(mapper(volume), sectors);
            handle = new HoleKeepingHandle(plain, () -> devices.open(lvm.device(lv), Cryptsetup.PAYLOAD_OFFSET + sectors),
                    Cryptsetup.PAYLOAD_OFFSET, d.size(), written.computeIfAbsent(volume, v -> new WrittenRanges()));
        }
        opened.put(volume, d);
        return handle;
    }

    /**
     * The LV's device on the storage host, as it is kept (an encrypted volume's LUKS1 header and
     * ciphertext: the guest's QEMU decrypts, no dm-crypt mapping is involved), with the cipher and
     * the passphrase. The storage host is another machine than the guest's: the node serves the
     * device through an NBD export there, never by this path.
     */
    @Override
    public VolumeAttachment attachment(String volume) throws IOException {
        LvmNames.Described d = described(VolumeNames.check(volume));
        String passphrase = d.cipher() == Cipher.NONE ? null
                : new String(unwrap(volume, d), StandardCharsets.US_ASCII);
        return new VolumeAttachment(volume, lvm.device(LvmNames.lv(volume)), d.cipher(), passphrase);
    }

    /**
     * How many bytes of the volume's LV a guest's export serves: its whole sectors, after the LUKS
     * header for an encrypted one. The LV is larger (whole extents), and the guest must see the
     * drive's size, as it does on a file volume.
     */
    public long guestBytes(String volume) throws IOException {
        LvmNames.Described d = described(VolumeNames.check(volume));
        long sectors = (d.size() + SECTOR - 1) / SECTOR * SECTOR;
        return d.cipher() == Cipher.NONE ? sectors : Cryptsetup.PAYLOAD_OFFSET + sectors;
    }

    private LvmNames.Described described(String volume) throws IOException {
        return lvm.volume(LvmNames.lv(volume)).flatMap(lv -> LvmNames.describe(lv.tags()))
                .orElseThrow(() -> ElasticException.missing("no volume %s", volume));
    }

    private byte[] unwrap(String volume, LvmNames.Described d) throws IOException {
        return masterKey.unwrap(volume, d.wrappedKey());
    }

    private static String mapper(String volume) {
        return "/dev/mapper/" + LvmNames.crypt(volume);
    }

    @Override
    public void close() {
        devices.close();
        host.close();
    }
}
