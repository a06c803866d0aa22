package io.elasticcloud.bench;

import static io.elasticcloud.bench.Shell.q;

import io.elasticcloud.it.PlainHttp;
import io.elasticcloud.it.RunningSystem;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.zip.CRC32C;

/**
 * Upload, download and imaging of 1 GiB for one cipher, each beside its baseline on the same disk,
 * repeated; the API and the baseline take turns going first (odd repeats: baseline first).
 */
final class DataPaths {
    private static final Duration TRANSFER_TIMEOUT = Duration.ofMinutes(10);
    private static final Duration IMAGING_TIMEOUT = Duration.ofMinutes(10);
    private static final String GIB = Long.toString(DataSet.SIZE);

    /** per repeat, nanoseconds */
    final List<Long> upload = new ArrayList<>();
    final List<Long> uploadBaseline = new ArrayList<>();
    final List<Long> download = new ArrayList<>();
    final List<Long> downloadBaseline = new ArrayList<>();
    final List<Long> imaging = new ArrayList<>();
    final List<Long> imagingBaseline = new ArrayList<>();

    private final Bench.Settings settings;
    private final RunningSystem system;
    private final String auth;
    private final DataSet data;
    private final String cipher;
    private final boolean luks;
    private final Path standardVolume;
    private final String standardDrive;
    private final Path secret;
    private final long systemPid = Cpu.systemPid();
    private final long selfPid = ProcessHandle.current().pid();
    /** CPU seconds of the system and of this client during the last timed API operation */
    private double lastSystemCpu;
    private double lastClientCpu;

    DataPaths(Bench.Settings settings, RunningSystem system, String auth, DataSet data, String cipher,
              String standardDrive) {
        this.settings = settings;
        this.system = system;
        this.auth = auth;
        this.data = data;
        this.cipher = cipher;
        this.luks = !cipher.equals("none");
        this.standardDrive = standardDrive;
        this.standardVolume = volume(standardDrive, false);
        this.secret = settings.dir().resolve("baseline-luks.secret");
    }

    void run() {
        try {
            if (luks) {
                Shell.run("umask 077; head -c 32 /dev/urandom | base64 -w0 > " + q(secret));
            }
            warmUp();
            for (int rep = 0; rep < settings.repeats(); rep++) {
                boolean baselineFirst = rep % 2 == 1;
                Path b = baselineTarget();

                // upload: 256 gzipped 4 MiB chunks, against gunzip | dd (or into LUKS)
                String up = createDrive("bench-upload-" + rep);
                newBaselineTarget(b);
                pair(baselineFirst,
                        () -> upload.add(upload(up)),
                        () -> uploadBaseline.add(baselineGunzipInto(data.concatenated(), b)));
                note(rep, "upload", upload, uploadBaseline);

                // download: 256 reads of 4 MiB, against dd (or qemu-img convert) out of the volume, cold
                Path upVolume = volume(up, luks);
                pair(baselineFirst,
                        () -> {
                            Shell.evict(upVolume);
                            download.add(download(up));
                        },
                        () -> {
                            Shell.evict(b);
                            downloadBaseline.add(baselineRead(b));
                        });
                note(rep, "download", download, downloadBaseline);
                destroy(up);
                Files.deleteIfExists(b);

                // imaging: gunzip of the standard drive (a gzip stream, cold) into a new drive
                String im = createDrive("bench-image-" + rep);
                newBaselineTarget(b);
                pair(baselineFirst,
                        () -> {
                            Shell.evict(standardVolume);
                            imaging.add(image(im));
                        },
                        () -> {
                            Shell.evict(standardVolume);
                            imagingBaseline.add(baselineGunzipInto(standardVolume, b));
                        });
                note(rep, "imaging", imaging, imagingBaseline);
                if (rep == 0) {
                    long t = System.nanoTime();
                    transfer(im, false); // untimed: the imaged drive holds the data, chunk by chunk
                    System.out.printf("  [%s] imaged drive read back and checked (%.1f s, untimed)%n", cipher,
                            (System.nanoTime() - t) / 1e9);
                }
                destroy(im);
                Files.deleteIfExists(b);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            for (Path p : List.of(secret, baselineTarget())) {
                try {
                    Files.deleteIfExists(p);
                } catch (IOException e) {
                    System.out.println("cannot delete " + p + ": " + e);
                }
            }
        }
    }

    /** The baselines' own volume (raw, or LUKS made by qemu-img), on the same disk as the system's. */
    private Path baselineTarget() {
        return settings.dir().resolve("baseline-" + cipher + (luks ? ".luks" : ".img"));
    }

    /** The JIT compiles the data paths before anything is timed: 256 MiB up and down, untimed. */
    private void warmUp() {
        String w = createDrive("bench-warm-up");
        long t = System.nanoTime();
        transferRange(w, true, 64, true);
        transferRange(w, false, 64, true);
        destroy(w);
        System.out.printf("  [%s] warm-up: 256 MiB up and down through the API (%.1f s, untimed)%n", cipher,
                (System.nanoTime() - t) / 1e9);
    }

    private long upload(String drive) {
        double sys = Cpu.seconds(systemPid);
        double self = Cpu.seconds(selfPid);
        long start = System.nanoTime();
        transfer(drive, true);
        long elapsed = System.nanoTime() - start;
        lastSystemCpu = Cpu.seconds(systemPid) - sys;
        lastClientCpu = Cpu.seconds(selfPid) - self;
        return elapsed;
    }

    private long download(String drive) {
        double sys = Cpu.seconds(systemPid);
        double self = Cpu.seconds(selfPid);
        long start = System.nanoTime();
        transfer(drive, false);
        long elapsed = System.nanoTime() - start;
        lastSystemCpu = Cpu.seconds(systemPid) - sys;
        lastClientCpu = Cpu.seconds(selfPid) - self;
        return elapsed;
    }

    private void transfer(String drive, boolean up) {
        transferRange(drive, up, DataSet.CHUNKS, false);
    }

    /**
     * The first {@code chunks} chunks, {@code settings.inFlight()} requests in flight (one
     * keep-alive connection each, each taking the next chunk as soon as its request is answered).
     * Uploads: POST write/OFFSET, Content-Encoding gzip, 204 expected. Downloads: GET read/OFFSET/4M,
     * each reply's CRC32C checked against the chunk's (unless {@code warmUp}, where the drive may
     * still be written by another warm-up).
     */
    private void transferRange(String drive, boolean up, int chunks, boolean warmUp) {
        AtomicInteger next = new AtomicInteger();
        ExecutorService pool = Executors.newFixedThreadPool(settings.inFlight());
        try {
            List<Future<?>> workers = new ArrayList<>();
            for (int w = 0; w < settings.inFlight(); w++) {
                workers.add(pool.submit(() -> {
                    try (HttpConnection c = new HttpConnection(system.baseUri(), auth)) {
                        CRC32C crc = new CRC32C();
                        for (int i = next.getAndIncrement(); i < chunks; i = next.getAndIncrement()) {
                            long offset = (long) i * DataSet.CHUNK;
                            if (up) {
                                HttpConnection.Reply r = c.exchange("POST", "/drives/" + drive + "/write/" + offset,
                                        new String[] {"Content-Type", "application/octet-stream",
                                                "Content-Encoding", "gzip"}, data.gzipped(i));
                                if (r.status != 204) {
                                    throw new IllegalStateException("write of chunk " + i + ": " + r.status + " " + r.text());
                                }
                            } else {
                                HttpConnection.Reply r = c.exchange("GET", "/drives/" + drive + "/read/" + offset + "/4M",
                                        new String[0], null);
                                if (r.status != 200 || r.length != DataSet.CHUNK) {
                                    throw new IllegalStateException("read of chunk " + i + ": " + r.status
                                            + " with " + r.length + " bytes" + (r.status == 200 ? "" : " " + r.text()));
                                }
                                crc.reset();
                                crc.update(r.body, 0, r.length);
                                if (!warmUp && crc.getValue() != data.crc32c(i)) {
                                    throw new IllegalStateException("chunk " + i + " of drive " + drive
                                            + " read back different from what was written");
                                }
                            }
                        }
                    }
                    return null;
                }));
            }
            long deadline = System.nanoTime() + TRANSFER_TIMEOUT.toNanos();
            for (Future<?> f : workers) {
                f.get(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            }
        } catch (Exception e) {
            throw new IllegalStateException((up ? "upload to " : "download of ") + drive + " failed: " + e, e);
        } finally {
            pool.shutdownNow();
        }
    }

    /**
     * POST image/SOURCE/gunzip, then GET info every 50 ms until the {@code imaging} key is gone
     * (over one keep-alive connection of the cheap client: the polling takes little CPU from the
     * system, which shares the cores; the time is known to within the 50 ms).
     */
    private long image(String drive) {
        double sys = Cpu.seconds(systemPid);
        double self = Cpu.seconds(selfPid);
        long start = System.nanoTime();
        PlainHttp.Reply r = system.http().post("/drives/" + drive + "/image/" + standardDrive + "/gunzip", auth,
                (byte[]) null);
        if (r.status() != 204) {
            throw new IllegalStateException("image: " + r.describe());
        }
        long deadline = start + IMAGING_TIMEOUT.toNanos();
        try (HttpConnection poll = new HttpConnection(system.baseUri(), auth)) {
            while (System.nanoTime() < deadline) {
                HttpConnection.Reply reply = poll.exchange("GET", "/drives/" + drive + "/info", new String[0], null);
                if (reply.status != 200) {
                    throw new IllegalStateException("info: " + reply.status + " " + reply.text());
                }
                Map<String, String> info = PlainHttp.parseObject(reply.text());
                if (!info.containsKey("imaging")) {
                    long elapsed = System.nanoTime() - start;
                    lastSystemCpu = Cpu.seconds(systemPid) - sys;
                    lastClientCpu = Cpu.seconds(selfPid) - self;
                    if (info.containsKey("imaging:error")) {
                        throw new IllegalStateException("imaging failed: " + info);
                    }
                    return elapsed;
                }
                sleep(50);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("polling the info of " + drive, e);
        }
        throw new IllegalStateException("drive " + drive + " still imaging after " + IMAGING_TIMEOUT);
    }

    // ---- baselines -------------------------------------------------------------------------------------------

    /** An empty target of 1 GiB: for LUKS made by qemu-img with our own secret (and low PBKDF2, as ours). */
    private void newBaselineTarget(Path b) throws IOException {
        Files.deleteIfExists(b);
        if (luks) {
            Shell.run("qemu-img create -q -f luks --object secret,id=s0,file=" + q(secret)
                    + " -o key-secret=s0,iter-time=10 " + q(b) + " " + GIB);
        }
    }

    /**
     * gunzip of the gzip stream in {@code source} into {@code b}, durable when done.
     * Raw: {@code gunzip -c SOURCE | dd of=B bs=4M iflag=fullblock conv=fsync}.
     * LUKS: qemu-img cannot read a pipe ("'file' driver requires '/dev/stdin' to be a regular file"),
     * so gunzip writes to a file in tmpfs (RAM: no disk traffic) and {@code qemu-img convert -n -t none}
     * (O_DIRECT, flushed at the end) encrypts it into B; both steps are timed, one after the other.
     */
    private long baselineGunzipInto(Path source, Path b) {
        if (!luks) {
            return Shell.timed("gunzip -c " + q(source) + " | dd of=" + q(b) + " bs=4M iflag=fullblock conv=fsync status=none");
        }
        Path plain = settings.tmpfs().resolve("bench-" + ProcessHandle.current().pid() + ".raw");
        try {
            return Shell.timed("gunzip -c " + q(source) + " > " + q(plain) + "\n"
                    + "qemu-img convert -n -t none --object secret,id=s0,file=" + q(secret)
                    + " --target-image-opts -f raw " + q(plain) + " driver=luks,key-secret=s0,file.filename=" + q(b));
        } finally {
            try {
                Files.deleteIfExists(plain);
            } catch (IOException e) {
                System.out.println("cannot delete " + plain + ": " + e);
            }
        }
    }

    /**
     * Reading the whole volume: raw {@code dd if=B of=/dev/null bs=4M}; LUKS {@code qemu-img convert}
     * out of it (decrypting) into qemu's null block driver, which drops the bytes.
     */
    private long baselineRead(Path b) {
        if (!luks) {
            return Shell.timed("dd if=" + q(b) + " of=/dev/null bs=4M status=none");
        }
        return Shell.timed("qemu-img convert -n --object secret,id=s0,file=" + q(secret)
                + " --image-opts driver=luks,key-secret=s0,file.filename=" + q(b)
                + " --target-image-opts driver=null-co,size=" + GIB);
    }

    // ---- helpers ---------------------------------------------------------------------------------------------

    private String createDrive(String name) {
        PlainHttp.Reply r = system.http().post("/drives/create", auth,
                "name " + name + "\nsize " + GIB + "\nencryption:cipher " + cipher + "\n", "Content-Type", "text/plain");
        if (r.status() != 200) {
            throw new IllegalStateException("create: " + r.describe());
        }
        String drive = PlainHttp.parseObject(r.text()).get("drive");
        if (drive == null || !RunningSystem.UUID.matcher(drive).matches()) {
            throw new IllegalStateException("create answered no drive: " + r.text());
        }
        return drive;
    }

    private void destroy(String drive) {
        PlainHttp.Reply r = system.http().post("/drives/" + drive + "/destroy", auth, (byte[]) null);
        if (r.status() != 204) {
            throw new IllegalStateException("destroy: " + r.describe());
        }
    }

    private Path volume(String drive, boolean encrypted) {
        Path p = system.dataDir().resolve("volumes/pool-0").resolve(drive + (encrypted ? ".luks" : ".raw"));
        if (!Files.isRegularFile(p)) {
            throw new IllegalStateException("no volume file " + p + " for drive " + drive);
        }
        return p;
    }

    private static void pair(boolean baselineFirst, Runnable api, ThrowingRunnable baseline) throws IOException {
        if (baselineFirst) {
            baseline.run();
            api.run();
        } else {
            api.run();
            baseline.run();
        }
    }

    private void note(int rep, String what, List<Long> api, List<Long> base) {
        double a = api.get(api.size() - 1) / 1e9;
        double b = base.get(base.size() - 1) / 1e9;
        System.out.printf("  [%s] repeat %d: %-8s API %6.2f s (%5.0f MiB/s; CPU: system %5.2f s, client %5.2f s)"
                        + "   baseline %6.2f s (%5.0f MiB/s)   load average %s%n",
                cipher, rep + 1, what, a, 1024 / a, lastSystemCpu, lastClientCpu, b, 1024 / b, Bench.loadAverage());
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    interface ThrowingRunnable {
        void run() throws IOException;
    }
}
