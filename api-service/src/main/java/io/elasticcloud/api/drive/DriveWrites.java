package io.elasticcloud.api.drive;

import io.elasticcloud.api.ApiProperties;
import io.elasticcloud.api.web.codec.ApiText;
import io.elasticcloud.protocol.ElasticException;
import jakarta.servlet.http.HttpServletRequest;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.UUID;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipException;
import org.springframework.stereotype.Component;

/**
 * The body of a drive write, from the wire to the data path. A raw body of known length streams
 * straight through (its length is checked first). A gzipped or chunked body's length is only known
 * once it is read, and "past the end: nothing written" must hold, so it is first taken whole:
 * in memory up to {@link #IN_MEMORY} (the tools' 4 MiB chunks), beyond that in a temporary file,
 * never more than the room left on the drive nor the configured largest write.
 */
@Component
public class DriveWrites {
    static final int IN_MEMORY = 8 * 1024 * 1024;

    private final DriveData data;
    private final long maxWrite;
    private final Path spoolDir;

    public DriveWrites(DriveData data, ApiProperties properties) {
        this.data = data;
        this.maxWrite = properties.maxWriteSize().toBytes();
        this.spoolDir = properties.dataDir().resolve("tmp");
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
        InputStream body = gzip ? gunzip(request.getInputStream()) : request.getInputStream();
        long limit = Math.min(plan.room(), maxWrite);
        int want = (int) Math.min(IN_MEMORY, limit + 1);
        byte[] head = readUpTo(body, want);
        if (head.length > limit) {
            throw overLimit(plan, head.length);
        }
        if (head.length < want) {
            data.write(plan, head.length, new ByteArrayInputStream(head)); // the whole body
            return;
        }
        spoolAndWrite(plan, head, body, limit);
    }

    private void spoolAndWrite(DriveData.WritePlan plan, byte[] head, InputStream body, long limit) throws IOException {
        Files.createDirectories(spoolDir);
        Path spool = Files.createTempFile(spoolDir, "write-", ".spool");
        try {
            long length;
            try (OutputStream out = Files.newOutputStream(spool)) {
                out.write(head);
                length = head.length + copyUpTo(body, out, limit + 1 - head.length);
            }
            if (length > limit) {
                throw overLimit(plan, length);
            }
            try (InputStream in = Files.newInputStream(spool)) {
                data.write(plan, length, in);
            }
        } finally {
            Files.deleteIfExists(spool);
        }
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
            throw ElasticException.usage("the body is not valid gzip data");
        }
    }

    private static byte[] readUpTo(InputStream in, int max) {
        try {
            return in.readNBytes(max);
        } catch (ZipException | java.io.EOFException e) {
            throw ElasticException.usage("the body is not valid gzip data");
        } catch (IOException e) {
            throw ElasticException.usage("the request body could not be read");
        }
    }

    private static long copyUpTo(InputStream in, OutputStream out, long max) throws IOException {
        byte[] buffer = new byte[1024 * 1024];
        long copied = 0;
        try {
            while (copied < max) {
                int n = in.read(buffer, 0, (int) Math.min(buffer.length, max - copied));
                if (n < 0) {
                    break;
                }
                out.write(buffer, 0, n);
                copied += n;
            }
        } catch (ZipException | java.io.EOFException e) {
            throw ElasticException.usage("the body is not valid gzip data");
        }
        return copied;
    }
}
