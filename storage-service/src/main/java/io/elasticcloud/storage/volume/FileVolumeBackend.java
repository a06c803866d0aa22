package io.elasticcloud.storage.volume;

import io.elasticcloud.protocol.ElasticException;
import io.elasticcloud.protocol.agent.VolumeAttachment;
import io.elasticcloud.protocol.secret.MasterKey;
import io.elasticcloud.protocol.storage.Cipher;
import io.elasticcloud.protocol.storage.VolumeInfo;
import io.elasticcloud.storage.luks.LuksFormatter;
import io.elasticcloud.storage.luks.LuksHeader;
import io.elasticcloud.storage.luks.LuksKey;
import io.elasticcloud.storage.luks.LuksPayload;
import io.elasticcloud.protocol.secret.PrivateFiles;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.RandomAccessFile;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.locks.Lock;
import java.util.concurrent.locks.ReentrantLock;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Volumes as files in one directory: {@code NAME.raw} (a sparse raw file, cipher none) or
 * {@code NAME.luks} (a qemu LUKS1 volume, made by {@link LuksFormatter}) with its {@code NAME.luks.key}
 * sidecar. Files whose names start with a dot are work in progress, removed at start.
 */
public final class FileVolumeBackend implements VolumeBackend {
    private static final Logger log = LoggerFactory.getLogger(FileVolumeBackend.class);
    private static final String RAW = ".raw";
    private static final String LUKS = ".luks";
    private static final String KEY = ".luks.key";
    private static final int COPY_BUFFER = 1 << 20;
    private static final int LOCK_STRIPES = 64;
    private static final SecureRandom RANDOM = new SecureRandom();
    /** Volume files: readable by the storage service only (libvirt hands each to its guest's qemu). */

    private final Path directory;
    private final MasterKey masterKey;
    private final Map<String, LuksKey> unlocked;
    private final Lock[] partialSectorLocks = new Lock[LOCK_STRIPES];

    /**
     * @param unlockedCacheSize how many LUKS volumes stay unlocked in memory, most recently used
     *                          first, so that successive reads and writes skip PBKDF2
     */
    public FileVolumeBackend(Path directory, MasterKey masterKey, int unlockedCacheSize) throws IOException {
        this.directory = directory.toAbsolutePath();
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
        // rwx--x--x: nobody else may list the pool, but a guest's qemu (libvirt runs it as its own
        // user and hands it each volume file for the guest's lifetime) must reach files by path;
        // key files stay rw------- and the master key's directory rwx------.
        PrivateFiles.directory(this.directory, PrivateFiles.TRAVERSE);
        recover();
    }

    public Path directory() {
        return directory;
    }

    @Override
    public VolumeInfo create(String volume, long size, Cipher cipher, InputStream content) throws IOException {
        VolumeNames.check(volume);
        if (size < 0) {
            throw ElasticException.usage("negative size");
        }
        if (exists(volume)) {
            throw ElasticException.usage("volume %s exists", volume);
        }
        Path tmp = directory.resolve("." + volume + "." + UUID.randomUUID() + ".tmp");
        try {
            if (cipher == Cipher.NONE) {
                createRaw(tmp, size, content);
                Files.move(tmp, raw(volume), StandardCopyOption.ATOMIC_MOVE);
            } else {
                createLuks(volume, tmp, size, content);
                Files.move(tmp, luks(volume), StandardCopyOption.ATOMIC_MOVE);
            }
            LuksSidecar.syncDirectory(directory);
        } finally {
            Files.deleteIfExists(tmp);
        }
        return describe(volume).orElseThrow();
    }

    private void createRaw(Path tmp, long size, InputStream content) throws IOException {
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

    private void createLuks(String volume, Path tmp, long size, InputStream content) throws IOException {
        byte[] random = new byte[32];
        RANDOM.nextBytes(random);
        // printable, so the same secret works as qemu/libvirt secret data without re-encoding
        byte[] passphrase = Base64.getUrlEncoder().withoutPadding().encodeToString(random)
                .getBytes(StandardCharsets.US_ASCII);
        LuksKey key = LuksFormatter.format(tmp, size, passphrase);
        try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            if (content != null) {
                // not closed here: the handle would close the channel that this method owns
                copyInto(new LuksVolumeHandle(ch, payload(volume, ch, key, size)), content, size);
            }
            ch.force(true);
        }
        new LuksSidecar(size, masterKey.wrap(volume, passphrase)).write(keyFile(volume));
        cache(volume, key);
    }

    private static void copyInto(VolumeHandle handle, InputStream content, long size) throws IOException {
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
        Optional<VolumeInfo> info = infoWithoutAllocation(volume);
        if (info.isEmpty()) {
            return info;
        }
        Path file = file(volume, info.get().cipher());
        long allocated = DiskUsage.allocated(List.of(file)).getOrDefault(file, 0L);
        return Optional.of(withAllocated(info.get(), allocated));
    }

    @Override
    public List<VolumeInfo> list() throws IOException {
        List<VolumeInfo> infos = new ArrayList<>();
        for (String name : names()) {
            infoWithoutAllocation(name).ifPresent(infos::add);
        }
        List<Path> files = infos.stream().map(i -> file(i.volume(), i.cipher())).toList();
        Map<Path, Long> allocated = DiskUsage.allocated(files);
        List<VolumeInfo> result = new ArrayList<>(infos.size());
        for (int i = 0; i < infos.size(); i++) {
            result.add(withAllocated(infos.get(i), allocated.getOrDefault(files.get(i), 0L)));
        }
        return result;
    }

    @Override
    public long totalSize() throws IOException {
        long total = 0;
        for (String name : names()) {
            total += infoWithoutAllocation(name).map(VolumeInfo::size).orElse(0L);
        }
        return total;
    }

    @Override
    public long footprint(long size, Cipher cipher) {
        return Footprints.of(size, cipher);
    }

    @Override
    public Space space() throws IOException {
        List<VolumeInfo> infos = new ArrayList<>();
        for (String name : names()) {
            infoWithoutAllocation(name).ifPresent(infos::add);
        }
        return Footprints.space(infos, i -> i.cipher() == Cipher.NONE ? List.of(raw(i.volume()))
                : List.of(luks(i.volume()), keyFile(i.volume())));
    }

    @Override
    public long usableSpace() throws IOException {
        return Files.getFileStore(directory).getUsableSpace();
    }

    @Override
    public VolumeInfo grow(String volume, long size) throws IOException {
        VolumeInfo info = infoWithoutAllocation(VolumeNames.check(volume))
                .orElseThrow(() -> ElasticException.missing("no volume %s", volume));
        if (size > info.size()) {
            if (info.cipher() == Cipher.NONE) {
                extend(raw(volume), size);
            } else {
                LuksSidecar sidecar = LuksSidecar.read(keyFile(volume));
                extend(luks(volume), LuksPayload.fileLength(payloadOffset(volume), size));
                // the size is raised only once the bytes exist, so a crash in between only wastes space
                new LuksSidecar(size, sidecar.wrappedKey()).write(keyFile(volume));
            }
        }
        return describe(volume).orElseThrow();
    }

    private static void extend(Path file, long length) throws IOException {
        try (RandomAccessFile f = new RandomAccessFile(file.toFile(), "rw")) {
            if (f.length() < length) {
                f.setLength(length);
                f.getChannel().force(true);
            }
        }
    }

    @Override
    public boolean destroy(String volume) throws IOException {
        VolumeNames.check(volume);
        synchronized (unlocked) {
            unlocked.remove(volume);
        }
        // the volume file goes first: without it the volume is gone, a leftover key is swept at start
        boolean existed = Files.deleteIfExists(raw(volume)) | Files.deleteIfExists(luks(volume));
        Files.deleteIfExists(keyFile(volume));
        LuksSidecar.syncDirectory(directory);
        return existed;
    }

    @Override
    public VolumeHandle open(String volume) throws IOException {
        VolumeNames.check(volume);
        if (Files.exists(raw(volume))) {
            return new RawVolumeHandle(FileChannel.open(raw(volume), StandardOpenOption.READ, StandardOpenOption.WRITE));
        }
        if (!Files.exists(luks(volume))) {
            throw ElasticException.missing("no volume %s", volume);
        }
        LuksSidecar sidecar = LuksSidecar.read(keyFile(volume));
        FileChannel ch = FileChannel.open(luks(volume), StandardOpenOption.READ, StandardOpenOption.WRITE);
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

    /**
     * The LUKS passphrase of a volume, for whoever attaches it to a guest (as a qemu or libvirt
     * secret). The bus contract has no command for this yet; in one process it is a call.
     */
    public byte[] luksPassphrase(String volume) throws IOException {
        VolumeNames.check(volume);
        if (!Files.exists(luks(volume))) {
            throw ElasticException.missing("no encrypted volume %s", volume);
        }
        return masterKey.unwrap(volume, LuksSidecar.read(keyFile(volume)).wrappedKey());
    }

    @Override
    public VolumeAttachment attachment(String volume) throws IOException {
        VolumeInfo info = infoWithoutAllocation(VolumeNames.check(volume))
                .orElseThrow(() -> ElasticException.missing("no volume %s", volume));
        Path path = file(volume, info.cipher()).toAbsolutePath().normalize();
        String passphrase = info.cipher() == Cipher.NONE ? null
                : new String(luksPassphrase(volume), StandardCharsets.US_ASCII);
        return new VolumeAttachment(volume, path.toString(), info.cipher(), passphrase);
    }

    @Override
    public Optional<Path> plainFile(String volume) {
        Path raw = raw(VolumeNames.check(volume));
        return Files.exists(raw) ? Optional.of(raw.toAbsolutePath()) : Optional.empty();
    }

    /** The path of the volume's file, for whoever attaches it. */
    public Path volumeFile(String volume) throws IOException {
        VolumeInfo info = infoWithoutAllocation(VolumeNames.check(volume))
                .orElseThrow(() -> ElasticException.missing("no volume %s", volume));
        return file(volume, info.cipher());
    }

    @Override
    public void close() {
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
        try (FileChannel ch = FileChannel.open(luks(volume), StandardOpenOption.READ)) {
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

    private Optional<VolumeInfo> infoWithoutAllocation(String volume) throws IOException {
        try {
            if (Files.exists(raw(volume))) {
                return Optional.of(new VolumeInfo(volume, Files.size(raw(volume)), Cipher.NONE, 0));
            }
            if (Files.exists(luks(volume))) {
                return Optional.of(new VolumeInfo(volume, LuksSidecar.read(keyFile(volume)).size(), Cipher.AES_XTS_PLAIN, 0));
            }
        } catch (java.nio.file.NoSuchFileException destroyedMeanwhile) {
            return Optional.empty();
        }
        return Optional.empty();
    }

    private static VolumeInfo withAllocated(VolumeInfo info, long allocated) {
        return new VolumeInfo(info.volume(), info.size(), info.cipher(), allocated);
    }

    private List<String> names() throws IOException {
        try (Stream<Path> files = Files.list(directory)) {
            return files.map(p -> p.getFileName().toString())
                    .filter(n -> !n.startsWith("."))
                    .filter(n -> n.endsWith(RAW) || n.endsWith(LUKS))
                    .map(n -> n.substring(0, n.lastIndexOf('.')))
                    .sorted()
                    .toList();
        }
    }

    private boolean exists(String volume) {
        return Files.exists(raw(volume)) || Files.exists(luks(volume));
    }

    /** Removes what a crash left: unfinished creations and keys whose volume was destroyed. */
    private void recover() throws IOException {
        try (Stream<Path> files = Files.list(directory)) {
            for (Path p : files.toList()) {
                String n = p.getFileName().toString();
                boolean unfinished = n.startsWith(".") && n.endsWith(".tmp");
                boolean orphanKey = n.endsWith(KEY) && !Files.exists(directory.resolve(n.substring(0, n.length() - 4)));
                if (unfinished || orphanKey) {
                    log.info("removing leftover {}", p);
                    Files.deleteIfExists(p);
                } else if (!n.startsWith(".") && (n.endsWith(RAW) || n.endsWith(LUKS))) {
                    // volumes made before files were kept private (never through a link)
                    PrivateFiles.closeTree(p);
                }
            }
        }
    }

    private Path file(String volume, Cipher cipher) {
        return cipher == Cipher.NONE ? raw(volume) : luks(volume);
    }

    private Path raw(String volume) {
        return directory.resolve(volume + RAW);
    }

    private Path luks(String volume) {
        return directory.resolve(volume + LUKS);
    }

    private Path keyFile(String volume) {
        return directory.resolve(volume + KEY);
    }
}
