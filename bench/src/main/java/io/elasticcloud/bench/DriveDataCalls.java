package io.elasticcloud.bench;

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
 * The API side of the data paths: drives created and destroyed, the data set written and read
 * back chunk by chunk, an imaging waited for; the timed operations also take the CPU seconds the
 * system and this client spent on them.
 */
final class DriveDataCalls {
    private static final Duration TRANSFER_TIMEOUT = Duration.ofMinutes(10);
    private static final Duration IMAGING_TIMEOUT = Duration.ofMinutes(10);
    private static final String GIB = Long.toString(DataSet.SIZE);

    private final Bench.Settings settings;
    private final RunningSystem system;
    private final String auth;
    private final DataSet data;
    private final String cipher;
    private final String standardDrive;
    private final long systemPid = Cpu.systemPid();
    private final long selfPid = ProcessHandle.current().pid();
    /** CPU seconds of the system and of this client during the last timed API operation */
    private double lastSystemCpu;
    private double lastClientCpu;

    DriveDataCalls(Bench.Settings settings, RunningSystem system, String auth, DataSet data, String cipher,
                   String standardDrive) {
        this.settings = settings;
        this.system = system;
        this.auth = auth;
        this.data = data;
        this.cipher = cipher;
        this.standardDrive = standardDrive;
    }

    DataSet dataSet() {
        return data;
    }

    double lastSystemCpu() {
        return lastSystemCpu;
    }

    double lastClientCpu() {
        return lastClientCpu;
    }

    long upload(String drive) {
        return timedTransfer(drive, true);
    }

    long download(String drive) {
        return timedTransfer(drive, false);
    }

    private long timedTransfer(String drive, boolean up) {
        double sys = Cpu.seconds(systemPid);
        double self = Cpu.seconds(selfPid);
        long start = System.nanoTime();
        transfer(drive, up);
        long elapsed = System.nanoTime() - start;
        lastSystemCpu = Cpu.seconds(systemPid) - sys;
        lastClientCpu = Cpu.seconds(selfPid) - self;
        return elapsed;
    }

    void transfer(String drive, boolean up) {
        transferRange(drive, up, DataSet.CHUNKS, false);
    }

    /**
     * The first {@code chunks} chunks, {@code settings.inFlight()} requests in flight (one
     * keep-alive connection each, each taking the next chunk as soon as its request is answered).
     * Uploads: POST write/OFFSET, Content-Encoding gzip, 204 expected. Downloads: GET read/OFFSET/4M,
     * each reply's CRC32C checked against the chunk's (unless {@code warmUp}, where the drive may
     * still be written by another warm-up).
     */
    void transferRange(String drive, boolean up, int chunks, boolean warmUp) {
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
    long image(String drive) {
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

    String createDrive(String name) {
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

    void destroy(String drive) {
        PlainHttp.Reply r = system.http().post("/drives/" + drive + "/destroy", auth, (byte[]) null);
        if (r.status() != 204) {
            throw new IllegalStateException("destroy: " + r.describe());
        }
    }

    Path volume(String drive, boolean encrypted) {
        Path p = system.dataDir().resolve("volumes/pool-0").resolve(drive + (encrypted ? ".luks" : ".raw"));
        if (!Files.isRegularFile(p)) {
            throw new IllegalStateException("no volume file " + p + " for drive " + drive);
        }
        return p;
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
