package io.elasticcloud.storage.volume;

import io.elasticcloud.protocol.ElasticException;
import java.util.regex.Pattern;

/**
 * Volume names become file names, so they are kept to a safe alphabet: letters, digits, dashes
 * and underscores (UUIDs fit), no dots, so no path traversal and no clash with our own suffixes.
 */
public final class VolumeNames {
    private static final Pattern VALID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_-]{0,127}");

    private VolumeNames() {
    }

    public static String check(String volume) {
        if (volume == null || !VALID.matcher(volume).matches()) {
            throw ElasticException.usage("invalid volume name %s", volume);
        }
        return volume;
    }

    /** {@code usage} for negative values, {@code full} when the range passes the end. */
    public static void checkRange(long offset, long length, long size) {
        if (offset < 0 || length < 0) {
            throw ElasticException.usage("negative offset or length");
        }
        if (offset > size || length > size - offset) {
            throw ElasticException.full("%d bytes at offset %d pass the end of the volume (%d bytes)",
                    length, offset, size);
        }
    }
}
