package io.elasticcloud.storage.imaging;

import io.elasticcloud.protocol.ElasticException;
import io.elasticcloud.protocol.ErrorType;
import io.elasticcloud.protocol.Events.Event;
import io.elasticcloud.protocol.Events.ImagingFinished;
import io.elasticcloud.protocol.Events.ImagingProgress;
import io.elasticcloud.protocol.storage.Conversion;
import io.elasticcloud.protocol.storage.StorageCommands.ImageVolume;
import io.elasticcloud.protocol.storage.VolumeDataPath;
import io.elasticcloud.storage.volume.VolumeBackend;
import io.elasticcloud.storage.volume.VolumeHandle;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.time.Duration;
import java.util.function.Consumer;
import java.util.function.LongSupplier;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;
import java.util.zip.ZipException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One imaging operation: streams {@code sourceLength} bytes of the source through the
 * conversion into the target from offset 0, then reports how it ended. Memory is a few fixed
 * buffers whatever the sizes. A whole source of the same node imaged without conversion is first
 * offered to the backend's cheap copy ({@link VolumeBackend#cloneInto}, a thin snapshot on LVM):
 * when it takes it, no byte moves and the job ends at once; otherwise the bytes are copied.
 */
final class ImagingJob implements Runnable {
    private static final Logger log = LoggerFactory.getLogger(ImagingJob.class);
    static final int BUFFER = 1 << 20;
    private static final int ZIP_BUFFER = 64 * 1024;

    private final String node;
    private final ImageVolume command;
    private final VolumeBackend targets;
    private final VolumeDataPath sources;
    private final Consumer<Event> publisher;
    private final long progressIntervalNanos;
    private final LongSupplier clock;
    private int lastPercent = -1;
    private long lastProgressAt;
    private volatile boolean stopped;

    /**
     * The node is shutting down, or the job was cancelled: the copy ends before it passes on
     * another byte of the source, keeping what it wrote, and reports nothing (a shut-down job stays
     * recorded where it was asked for and is sent again; a cancelled one is ended by its service).
     * No interrupt: an interrupted {@code FileChannel} closes under the volume.
     */
    static final class Stopped extends RuntimeException {
        Stopped() {
            super("imaging stopped", null, false, false);
        }
    }

    ImagingJob(String node, ImageVolume command, VolumeBackend targets, VolumeDataPath sources,
               Consumer<Event> publisher, Duration progressInterval, LongSupplier nanoClock) {
        this.node = node;
        this.command = command;
        this.targets = targets;
        this.sources = sources;
        this.publisher = publisher;
        this.progressIntervalNanos = progressInterval.toNanos();
        this.clock = nanoClock;
    }

    ImageVolume command() {
        return command;
    }

    /**
     * Ends the copy without a report ({@link Stopped}): no byte of the source read from now on
     * reaches the target (every buffer is checked as it is handed on, and a backend's copy is
     * taken under this lock, so it is over before this returns or never starts).
     */
    synchronized void stop() {
        stopped = true;
    }

    @Override
    public void run() {
        if (stopped) {
            return;
        }
        // the first progress event tells the API that the job left the queue
        progress(0, true);
        ErrorType error = null;
        String message = null;
        try {
            if (!cloned()) {
                copy();
            }
        } catch (Stopped e) {
            log.info("imaging job {} into {} stopped", command.job(), command.target());
            return;
        } catch (ElasticException e) {
            error = e.type();
            message = e.getMessage();
        } catch (ZipException | EOFException e) {
            error = command.conversion() == Conversion.GUNZIP ? ErrorType.USAGE : ErrorType.SYSTEM;
            message = error == ErrorType.USAGE
                    ? "the source drive is not a valid gzip stream (" + e.getMessage() + ")"
                    : "imaging failed: the source ended unexpectedly";
        } catch (IOException | RuntimeException e) {
            log.warn("imaging job {} into {} failed", command.job(), command.target(), e);
            error = ErrorType.SYSTEM;
            message = "imaging failed on storage node " + node;
        }
        publish(new ImagingFinished(node, command.job(), command.target(), error, message));
    }

    /** Whether the backend made the target a copy of the source without moving the bytes. */
    private boolean cloned() throws IOException {
        if (command.conversion() != Conversion.NONE || !node.equals(command.source().node())) {
            return false;
        }
        synchronized (this) {
            if (stopped) {
                throw new Stopped();
            }
            return targets.cloneInto(command.source().volume(), command.target(), command.sourceLength());
        }
    }

    private void copy() throws IOException {
        try (VolumeHandle target = targets.open(command.target())) {
            TargetOutputStream out = new TargetOutputStream(target, command.target(), BUFFER);
            try (InputStream source = new SourceInputStream(sources, command.source(), command.sourceLength(),
                    BUFFER, this::consumed)) {
                switch (command.conversion()) {
                    case NONE -> transfer(source, out);
                    case GZIP -> gzip(source, out);
                    case GUNZIP -> {
                        try (InputStream unzipped = new GZIPInputStream(source, ZIP_BUFFER)) {
                            transfer(unzipped, out);
                        }
                    }
                }
                out.flush();
            } finally {
                out.abandon();
                // what was written stays, durable, also when the copy stopped (full)
                target.force();
            }
        }
    }

    private static void gzip(InputStream source, TargetOutputStream out) throws IOException {
        GZIPOutputStream zipped = new GZIPOutputStream(out, ZIP_BUFFER);
        boolean complete = false;
        try {
            transfer(source, zipped);
            zipped.finish();
            out.flush();
            complete = true;
        } finally {
            if (!complete) {
                // closing must free the deflater without writing a trailer after a failure
                out.abandon();
            }
            zipped.close();
        }
    }

    private static void transfer(InputStream in, OutputStream out) throws IOException {
        byte[] buf = new byte[ZIP_BUFFER];
        int n;
        while ((n = in.read(buf)) >= 0) {
            out.write(buf, 0, n);
        }
    }

    private void consumed(long bytes) {
        if (stopped) {
            throw new Stopped();
        }
        long length = command.sourceLength();
        int percent = length <= 0 ? 100 : (int) Math.min(100, bytes * 100 / length);
        progress(percent, false);
    }

    /** At most one event per whole percent, and not more often than the interval. */
    private void progress(int percent, boolean first) {
        long now = clock.getAsLong();
        if (first || (percent > lastPercent && now - lastProgressAt >= progressIntervalNanos)) {
            lastPercent = percent;
            lastProgressAt = now;
            publish(new ImagingProgress(node, command.job(), command.target(), percent));
        }
    }

    private void publish(Event event) {
        try {
            publisher.accept(event);
        } catch (RuntimeException e) {
            log.warn("could not publish {}: {}", event, e.getMessage());
        }
    }
}
