package io.elasticcloud.protocol.storage;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Path;
import java.util.Optional;

/**
 * The path drive bytes take between the API service and a storage node: not the bus, which
 * carries commands only. In one process it is a direct call; between hosts an internal HTTP
 * stream. Memory use is bounded whatever the length.
 */
public interface VolumeDataPath {

    /**
     * Copies up to {@code length} bytes of the volume at {@code offset} into {@code out}: fewer
     * when the volume ends first, none at or past its end.
     *
     * @return the number of bytes copied
     * @throws io.elasticcloud.protocol.ElasticException {@code missing} for an unknown volume
     */
    long read(VolumeRef volume, long offset, long length, OutputStream out) throws IOException;

    /**
     * Writes exactly {@code length} bytes from {@code in} at {@code offset}; the bytes are durable
     * (on disk) when this returns.
     *
     * @throws io.elasticcloud.protocol.ElasticException {@code full} if the range passes the end
     *                                                   of the volume (nothing written), {@code missing} for an unknown volume
     */
    void write(VolumeRef volume, long offset, long length, InputStream in) throws IOException;

    /**
     * The file on this host that holds the volume's bytes as they are (offset for offset), when
     * there is one: a raw volume of a storage node in this process. The web server may then send a
     * read with sendfile(2), straight from the page cache to the socket, instead of copying it
     * through {@link #read}. Empty for encrypted volumes and volumes of other hosts.
     */
    default Optional<Path> plainFile(VolumeRef volume) throws IOException {
        return Optional.empty();
    }
}
