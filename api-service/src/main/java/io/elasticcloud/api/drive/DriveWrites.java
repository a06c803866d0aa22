package io.elasticcloud.api.drive;

import io.elasticcloud.api.ApiProperties;
import io.elasticcloud.api.web.codec.ApiText;
import io.elasticcloud.protocol.ElasticException;
import jakarta.servlet.http.HttpServletRequest;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.Locale;
import java.util.UUID;
import java.util.zip.GZIPInputStream;
import org.springframework.stereotype.Component;

/**
 * The body of a drive write, from the wire to the data path. A raw body of known length streams
 * straight through (its length is checked first). A gzipped or chunked body's length is only known
 * once it is read, and "past the end: nothing written" must hold, so it is first taken whole:
 * in memory up to {@link #IN_MEMORY} (the tools' 4 MiB chunks), beyond that in an encrypted
 * {@link WriteSpool}, never more than the room left on the drive nor the configured largest write.
 *
 * <p>Memory: all writes together hold at most {@code elastic.write-memory} of bodies (reserved
 * before a body is read); a write that finds the budget spent is spooled from its first byte
 * instead, so many parallel writers slow down on the disk rather than exhaust the heap. The spools
 * together hold at most {@code elastic.write-spool-disk} (each reserves its largest size before it
 * starts); a write that finds both budgets spent is {@code busy} at once, its body unread. One
 * customer holds at most a quarter of each budget ({@link WriteBudget}): bodies sent as slowly as
 * the front door allows cannot spend it for everyone.
 */
@Component
public class DriveWrites {
    static final int IN_MEMORY = 8 * 1024 * 1024;
    private static final byte[] NOTHING = new byte[0];

    private final DriveData data;
    private final long maxWrite;
    private final WriteSpool spool;
    private final WriteBudget memory;
    /** Spool bytes on disk, in KiB (a budget past 2 GiB does not fit an int of bytes). */
    private final WriteBudget disk;

    public DriveWrites(DriveData data, ApiProperties properties, WriteSpool spool) {
        this.data = data;
        this.maxWrite = properties.maxWriteSize().toBytes();
        this.spool = spool;
        this.memory = new WriteBudget((int) Math.min(Integer.MAX_VALUE, properties.writeMemory().toBytes()), IN_MEMORY);
        this.disk = new WriteBudget((int) Math.min(Integer.MAX_VALUE, properties.writeSpoolDisk().toKilobytes()),
                kib(maxWrite));
    }

    public void write(UUID user, UUID drive, long offset, HttpServletRequest request) throws IOException {
        DriveData.WritePlan plan = data.planWrite(user, drive, offset);
        boolean gzip = isGzip(request.getHeader("Content-Encoding"));
        long declared = request.getContentLengthLong();
        if (!gzip && declared >= 0) {
            if (declared > maxWrite) {
                throw overLimit(plan, declared);
            }
            data.write(plan, declared, request.getInputStream());
            return;
        }
        InputStream body = new BodyReader(gzip ? gunzip(request.getInputStream()) : request.getInputStream(), gzip);
        long limit = Math.min(plan.room(), maxWrite);
        int want = (int) Math.min(IN_MEMORY, limit + 1);
        if (!memory.tryTake(user, want)) {
            int kib = reserveDisk(user, limit); // before a byte of the body is read
            try {
                spoolAndWrite(plan, NOTHING, 0, body, limit);
            } finally {
                disk.give(user, kib);
            }
            return;
        }
        try {
            byte[] head = new byte[want]; // exactly what was reserved, never a second copy
            int n = readUpTo(body, head);
            if (n > limit) {
                throw overLimit(plan, n);
            }
            if (n < want) {
                data.write(plan, n, new ByteArrayInputStream(head, 0, n)); // the whole body
                return;
            }
            int kib = reserveDisk(user, limit);
            try {
                spoolAndWrite(plan, head, n, body, limit);
            } finally {
                disk.give(user, kib);
            }
        } finally {
            memory.give(user, want);
        }
    }

    /**
     * Reserves room on disk for the largest spool this write may make ({@code limit} + 1 bytes,
     * in KiB); {@code busy} when all spools together would pass {@code elastic.write-spool-disk},
     * or the user's would pass their share of it.
     */
    private int reserveDisk(UUID user, long limit) {
        int kib = kib(limit);
        if (!disk.tryTake(user, kib)) {
            throw ElasticException.busy("too many large drive writes are in progress (their spools fill"
                    + " elastic.write-spool-disk, or this account's share of it); try again shortly");
        }
        return kib;
    }

    /** The spool a write of at most {@code limit} bytes reserves: one byte more, in KiB. */
    private static int kib(long limit) {
        return (int) Math.min(Integer.MAX_VALUE, (limit + 1 + 1023) / 1024);
    }

    private void spoolAndWrite(DriveData.WritePlan plan, byte[] head, int headLength, InputStream body, long limit)
            throws IOException {
        try (WriteSpool.Spooled spooled = spool.spool(head, headLength, body, limit + 1)) {
            if (spooled.length() > limit) {
                throw overLimit(plan, spooled.length());
            }
            try (InputStream in = spooled.open()) {
                data.write(plan, spooled.length(), in);
            }
        }
    }

    /** Bytes of bodies that writes may still take into memory now (for tests and metrics). */
    int memoryLeft() {
        return memory.left();
    }

    private ElasticException overLimit(DriveData.WritePlan plan, long length) {
        return length > plan.room() ? DriveData.tooLong(plan, length) : tooLarge();
    }

    private ElasticException tooLarge() {
        return ElasticException.usage("one write may carry at most %d bytes; split the data into several writes",
                maxWrite);
    }

    private static boolean isGzip(String encoding) {
        if (encoding == null || encoding.isBlank() || encoding.equalsIgnoreCase("identity")) {
            return false;
        }
        String e = encoding.strip().toLowerCase(Locale.ROOT);
        if (e.equals("gzip") || e.equals("x-gzip")) {
            return true;
        }
        throw ElasticException.usage("Content-Encoding must be gzip or none, not %s",
                ApiText.quote(encoding));
    }

    private static InputStream gunzip(InputStream in) {
        try {
            return new GZIPInputStream(in, 64 * 1024);
        } catch (IOException e) {
            throw BodyReader.unreadable(e, true);
        }
    }

    /** Fills {@code into} from {@code in} or up to its end: how many bytes it holds. */
    private static int readUpTo(InputStream in, byte[] into) throws IOException {
        int n = 0;
        while (n < into.length) {
            int r = in.read(into, n, into.length - n);
            if (r < 0) {
                break;
            }
            n += r;
        }
        return n;
    }
}
