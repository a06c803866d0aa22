package io.elasticcloud.api.drive;

import io.elasticcloud.protocol.ElasticException;
import io.elasticcloud.protocol.storage.VolumeDataPath;
import io.elasticcloud.protocol.storage.VolumeRef;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Path;
import java.util.Optional;
import java.util.UUID;
import org.springframework.stereotype.Service;

/**
 * Reading and writing a drive's bytes. The checks come first (a plan), so that the web layer can
 * answer errors before it starts streaming; the bytes then flow through the data path.
 */
@Service
public class DriveData {
    /** The most one read may ask for, as the API promises (the tools read 4 MiB chunks). */
    public static final long MAX_READ = 4L * 1024 * 1024;

    private final DriveRows rows;
    private final DriveCounters counters;
    private final VolumeDataPath dataPath;
    private final ImagingJobRepository jobs;

    DriveData(DriveRows rows, DriveCounters counters, VolumeDataPath dataPath, ImagingJobRepository jobs) {
        this.jobs = jobs;
        this.rows = rows;
        this.counters = counters;
        this.dataPath = dataPath;
    }

    /** A checked read: {@code length} is what will be sent (cut at the end of the drive). */
    public record ReadPlan(UUID drive, VolumeRef volume, long offset, long length) {
    }

    /** A checked write: at most {@code room} bytes fit between the offset and the end of the drive. */
    public record WritePlan(UUID drive, VolumeRef volume, long offset, long room) {
    }

    public ReadPlan planRead(UUID user, UUID id, long offset, long size) {
        if (size > MAX_READ) {
            throw ElasticException.usage("a read may ask for at most %d bytes (4M), not %d", MAX_READ, size);
        }
        Drive drive = rows.find(id).map(DriveRows.Loaded::drive).filter(d -> d.readableBy(user))
                .orElseThrow(() -> DriveService.missing(id));
        long length = Math.max(0, Math.min(size, drive.size() - offset));
        return new ReadPlan(drive.id(), volume(drive), offset, length);
    }

    public void read(ReadPlan plan, OutputStream out) throws IOException {
        if (plan.length() > 0) {
            dataPath.read(plan.volume(), plan.offset(), plan.length(), out);
        }
        counters.read(plan.drive(), plan.length());
    }

    /**
     * The local file the read's bytes lie in as they are (a raw volume of a storage node in this
     * process), for the web server to send without copying them; counted as read when present.
     * Empty: send them with {@link #read}.
     */
    public Optional<Path> plainFile(ReadPlan plan) throws IOException {
        if (plan.length() == 0) {
            return Optional.empty();
        }
        Optional<Path> file = dataPath.plainFile(plan.volume());
        if (file.isPresent()) {
            counters.read(plan.drive(), plan.length());
        }
        return file;
    }

    public WritePlan planWrite(UUID user, UUID id, long offset) {
        DriveRows.Loaded loaded = rows.find(id).filter(l -> l.drive().owner().equals(user))
                .orElseThrow(() -> DriveService.missing(id));
        Drive drive = loaded.drive();
        if (!loaded.imaging().isEmpty()) {
            throw ElasticException.busy("drive %s is being imaged", id);
        }
        if (jobs.copiedByOwner(id, drive.owner())) {
            throw ElasticException.busy("drive %s is being imaged from: it cannot change until the copy ends", id);
        }
        if (offset > drive.size()) {
            throw ElasticException.full("offset %d is past the end of drive %s (%d bytes)", offset, id, drive.size());
        }
        return new WritePlan(drive.id(), volume(drive), offset, drive.size() - offset);
    }

    public void write(WritePlan plan, long length, InputStream in) throws IOException {
        if (length > plan.room()) {
            throw tooLong(plan, length);
        }
        if (length > 0) {
            dataPath.write(plan.volume(), plan.offset(), length, in);
        }
        counters.write(plan.drive(), length);
    }

    public static ElasticException tooLong(WritePlan plan, long length) {
        return ElasticException.full("%d bytes at offset %d pass the end of drive %s; nothing was written",
                length, plan.offset(), plan.drive());
    }

    private static VolumeRef volume(Drive drive) {
        return new VolumeRef(drive.storageNode(), drive.id().toString());
    }
}
