package io.elasticcloud.cli.transfer;

/**
 * How a content of {@code length} bytes (-1: not known in advance) is cut into chunks of
 * {@code chunkSize}: chunk {@code i} starts at {@code i * chunkSize}; the last may be shorter.
 */
public record ChunkPlan(long length, int chunkSize) {
    public static final int DEFAULT_CHUNK = 4 * 1024 * 1024;

    public ChunkPlan {
        if (chunkSize <= 0) {
            throw new IllegalArgumentException("chunk size " + chunkSize);
        }
    }

    public boolean lengthKnown() {
        return length >= 0;
    }

    /** Number of chunks; 0 for an empty content. Only when the length is known. */
    public long count() {
        if (length < 0) {
            throw new IllegalStateException("length not known");
        }
        return (length + chunkSize - 1) / chunkSize;
    }

    public long offset(long index) {
        return index * chunkSize;
    }

    /** Bytes in chunk {@code index} (0 past the end). */
    public int size(long index) {
        if (length < 0) {
            return chunkSize;
        }
        long rest = length - offset(index);
        return (int) Math.max(0, Math.min(chunkSize, rest));
    }
}
