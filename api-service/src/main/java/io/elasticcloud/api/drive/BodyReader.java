package io.elasticcloud.api.drive;

import io.elasticcloud.protocol.ElasticException;
import java.io.EOFException;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.zip.ZipException;

/**
 * A drive write's body as it is read, in memory or into a spool alike: a failure to read it is the
 * client's (a broken gzip stream, a body cut off, a client gone mid-way), one {@code usage} line,
 * never a system error with a stack trace. Writing what was read (the spool's disk) is not here:
 * its failures stay the system's.
 */
final class BodyReader extends FilterInputStream {
    private final boolean gzip;

    BodyReader(InputStream in, boolean gzip) {
        super(in);
        this.gzip = gzip;
    }

    @Override
    public int read() throws IOException {
        try {
            return super.read();
        } catch (IOException e) {
            throw unreadable(e, gzip);
        }
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        try {
            return super.read(b, off, len);
        } catch (IOException e) {
            throw unreadable(e, gzip);
        }
    }

    /** The one mapping of a body that could not be read; the gzip words only for a gzip body. */
    static ElasticException unreadable(IOException e, boolean gzip) {
        if (gzip && (e instanceof ZipException || e instanceof EOFException)) {
            return ElasticException.usage("the body is not valid gzip data");
        }
        return ElasticException.usage("the request body could not be read");
    }
}
