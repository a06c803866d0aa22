package io.elasticcloud.storage.volume;

import io.elasticcloud.protocol.ElasticException;
import io.elasticcloud.protocol.agent.VolumeAttachment;
import io.elasticcloud.protocol.secret.MasterKey;
import io.elasticcloud.protocol.secret.PrivateFiles;
import io.elasticcloud.protocol.storage.Cipher;
import io.elasticcloud.protocol.storage.VolumeInfo;
import io.elasticcloud.storage.luks.LuksFormatter;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.RandomAccessFile;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * Volumes as files in one directory: {@code NAME.raw} (a sparse raw file, cipher none) or
 * {@code NAME.luks} (a qemu LUKS1 volume, made by {@link LuksFormatter}) with its {@code NAME.luks.key}
 * sidecar. Files whose names start with a dot are work in progress, removed at start. The
 * directory's layout is {@link VolumeFiles}'s, the encrypted volumes' keys {@link LuksVolumes}'.
 */
public final class FileVolumeBackend implements VolumeBackend {
    private static final int COPY_BUFFER = 1 << 20;

    private final VolumeFiles files;
    private final LuksVolumes luks;
    private final VolumeLedger ledger = new VolumeLedger();

    /**
     * @param unlockedCacheSize how many LUKS volumes stay unlocked in memory, most recently used
     *                          first, so that successive reads and writes skip PBKDF2
     */
    public FileVolumeBackend(Path directory, MasterKey masterKey, int unlockedCacheSize) throws IOException {
        this.files = new VolumeFiles(directory.toAbsolutePath());
        this.luks = new LuksVolumes(files, masterKey, unlockedCacheSize);
        // rwx--x--x: nobody else may list the pool, but a guest's qemu (libvirt runs it as its own
        // user and hands it each volume file for the guest's lifetime) must reach files by path;
        // key files stay rw------- and the master key's directory rwx------.
        PrivateFiles.directory(files.directory(), PrivateFiles.TRAVERSE);
        files.recover();
        for (VolumeInfo info : infos()) {
            ledger.put(info.volume(), footprint(info.size(), info.cipher()), 0);
        }
        measure();
    }

    public Path directory() {
        return files.directory();
    }

    @Override
    public VolumeInfo create(String volume, long size, Cipher cipher, InputStream content) throws IOException {
        VolumeNames.check(volume);
        if (size < 0) {
            throw ElasticException.usage("negative size");
        }
        if (files.exists(volume)) {
            throw ElasticException.usage("volume %s exists", volume);
        }
        Path tmp = files.directory().resolve("." + volume + "." + UUID.randomUUID() + ".tmp");
        try {
            if (cipher == Cipher.NONE) {
                createRaw(tmp, size, content);
                Files.move(tmp, files.raw(volume), StandardCopyOption.ATOMIC_MOVE);
            } else {
                luks.create(volume, tmp, size, content);
                Files.move(tmp, files.luks(volume), StandardCopyOption.ATOMIC_MOVE);
            }
            LuksSidecar.syncDirectory(files.directory());
        } finally {
            Files.deleteIfExists(tmp);
        }
        VolumeInfo created = describe(volume).orElseThrow();
        // its key file's block counts as unwritten until the next measurement: too much by 4 KiB, never too little
        ledger.put(volume, footprint(size, cipher), created.allocatedBytes());
        return created;
    }

    /** A raw volume: readable by the storage service only (libvirt hands each to its guest's qemu). */
    private static void createRaw(Path tmp, long size, InputStream content) throws IOException {
        Files.createFile(tmp, PrivateFiles.file());
        try (RandomAccessFile f = new RandomAccessFile(tmp.toFile(), "rw")) {
            f.setLength(size);
        }
        try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE, StandardOpenOption.READ);
             RawVolumeHandle handle = new RawVolumeHandle(ch)) {
            if (content != null) {
                copyInto(handle, content, size);
            }
            handle.force();
        }
    }

    /** Writes exactly {@code size} bytes of {@code content} from the volume's start, then forces them. */
    public static void copyInto(VolumeHandle handle, InputStream content, long size) throws IOException {
        byte[] buf = new byte[COPY_BUFFER];
        long done = 0;
        while (done < size) {
            int n = content.readNBytes(buf, 0, (int) Math.min(buf.length, size - done));
            if (n == 0) {
                throw new EOFException("content ended after " + done + " of " + size + " bytes");
            }
            handle.write(done, buf, 0, n);
            done += n;
        }
        handle.force();
    }

    @Override
    public Optional<VolumeInfo> describe(String volume) throws IOException {
        VolumeNames.check(volume);
        Optional<VolumeInfo> info = files.infoWithoutAllocation(volume);
        if (info.isEmpty()) {
            return info;
        }
        Path file = files.file(volume, info.get().cipher());
        long allocated = DiskUsage.allocated(List.of(file)).getOrDefault(file, 0L);
        return Optional.of(withAllocated(info.get(), allocated));
    }

    @Override
    public List<VolumeInfo> list() throws IOException {
        List<VolumeInfo> infos = infos();
        List<Path> paths = infos.stream().map(i -> files.file(i.volume(), i.cipher())).toList();
        Map<Path, Long> allocated = DiskUsage.allocated(paths);
        List<VolumeInfo> result = new ArrayList<>(infos.size());
        for (int i = 0; i < infos.size(); i++) {
            result.add(withAllocated(infos.get(i), allocated.getOrDefault(paths.get(i), 0L)));
        }
        return result;
    }

    @Override
    public long totalSize() throws IOException {
        long total = 0;
        for (String name : files.names()) {
            total += files.infoWithoutAllocation(name).map(VolumeInfo::size).orElse(0L);
        }
        return total;
    }

    @Override
    public long footprint(long size, Cipher cipher) {
        return Footprints.of(size, cipher);
    }

    /** From the ledger: no file is read, so that a create's check of room does not grow with the volumes. */
    @Override
    public Space space() {
        return ledger.space();
    }

    @Override
    public void measure() throws IOException {
        Map<String, VolumeLedger.Entry> entries = ledger.snapshot();
        Map<String, List<Path>> paths = new HashMap<>();
        for (String volume : entries.keySet()) {
            paths.put(volume, Files.exists(files.raw(volume)) ? List.of(files.raw(volume))
                    : List.of(files.luks(volume), files.keyFile(volume)));
        }
        ledger.measured(entries, Footprints.taken(paths));
    }

    @Override
    public long usableSpace() throws IOException {
        return Files.getFileStore(files.directory()).getUsableSpace();
    }

    @Override
    public VolumeInfo grow(String volume, long size) throws IOException {
        VolumeInfo info = files.infoWithoutAllocation(VolumeNames.check(volume))
                .orElseThrow(() -> ElasticException.missing("no volume %s", volume));
        if (size > info.size()) {
            if (info.cipher() == Cipher.NONE) {
                VolumeFiles.extend(files.raw(volume), size);
            } else {
                luks.grow(volume, size);
            }
            ledger.resize(volume, footprint(size, info.cipher()));
        }
        return describe(volume).orElseThrow();
    }

    @Override
    public boolean destroy(String volume) throws IOException {
        VolumeNames.check(volume);
        luks.forget(volume);
        // the volume file goes first: without it the volume is gone, a leftover key is swept at start
        boolean existed = Files.deleteIfExists(files.raw(volume)) | Files.deleteIfExists(files.luks(volume));
        Files.deleteIfExists(files.keyFile(volume));
        LuksSidecar.syncDirectory(files.directory());
        ledger.remove(volume);
        return existed;
    }

    @Override
    public VolumeHandle open(String volume) throws IOException {
        VolumeNames.check(volume);
        if (Files.exists(files.raw(volume))) {
            return new RawVolumeHandle(FileChannel.open(files.raw(volume), StandardOpenOption.READ,
                    StandardOpenOption.WRITE));
        }
        if (!Files.exists(files.luks(volume))) {
            throw ElasticException.missing("no volume %s", volume);
        }
        return luks.open(volume);
    }

    /**
     * The LUKS passphrase of a volume, for whoever attaches it to a guest (as a qemu or libvirt
     * secret). The bus contract has no command for this yet; in one process it is a call.
     */
    public byte[] luksPassphrase(String volume) throws IOException {
        VolumeNames.check(volume);
        if (!Files.exists(files.luks(volume))) {
            throw ElasticException.missing("no encrypted volume %s", volume);
        }
        return luks.passphrase(volume);
    }

    @Override
    public VolumeAttachment attachment(String volume) throws IOException {
        VolumeInfo info = files.infoWithoutAllocation(VolumeNames.check(volume))
                .orElseThrow(() -> ElasticException.missing("no volume %s", volume));
        Path path = files.file(volume, info.cipher()).toAbsolutePath().normalize();
        String passphrase = info.cipher() == Cipher.NONE ? null
                : new String(luksPassphrase(volume), StandardCharsets.US_ASCII);
        return new VolumeAttachment(volume, path.toString(), info.cipher(), passphrase);
    }

    @Override
    public Optional<Path> plainFile(String volume) {
        Path raw = files.raw(VolumeNames.check(volume));
        return Files.exists(raw) ? Optional.of(raw.toAbsolutePath()) : Optional.empty();
    }

    /** The path of the volume's file, for whoever attaches it. */
    public Path volumeFile(String volume) throws IOException {
        VolumeInfo info = files.infoWithoutAllocation(VolumeNames.check(volume))
                .orElseThrow(() -> ElasticException.missing("no volume %s", volume));
        return files.file(volume, info.cipher());
    }

    @Override
    public void close() {
        luks.forgetAll();
    }

    /** Every volume's info without allocation, in name order. */
    private List<VolumeInfo> infos() throws IOException {
        List<VolumeInfo> infos = new ArrayList<>();
        for (String name : files.names()) {
            files.infoWithoutAllocation(name).ifPresent(infos::add);
        }
        return infos;
    }

    private static VolumeInfo withAllocated(VolumeInfo info, long allocated) {
        return new VolumeInfo(info.volume(), info.size(), info.cipher(), allocated);
    }
}
