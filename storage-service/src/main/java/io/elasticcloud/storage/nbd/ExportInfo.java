package io.elasticcloud.storage.nbd;

/**
 * What the server said about the export it opened: its size in bytes and its transmission flags,
 * and the largest payload it takes in one request (never above {@link NbdProtocol#MAX_REQUEST_BYTES}).
 */
public record ExportInfo(long size, int transmissionFlags, int maxPayload) {

    public boolean readOnly() {
        return has(NbdProtocol.FLAG_READ_ONLY);
    }

    public boolean canFlush() {
        return has(NbdProtocol.FLAG_SEND_FLUSH);
    }

    public boolean canTrim() {
        return has(NbdProtocol.FLAG_SEND_TRIM);
    }

    public boolean canWriteZeroes() {
        return has(NbdProtocol.FLAG_SEND_WRITE_ZEROES);
    }

    // a server that does not set HAS_FLAGS promises none of the others
    private boolean has(int flag) {
        return (transmissionFlags & NbdProtocol.FLAG_HAS_FLAGS) != 0 && (transmissionFlags & flag) != 0;
    }
}
