package io.elasticcloud.storage.nbd;

/** One {@code NBD_REP_INFO} reply to {@code NBD_OPT_GO}, decoded. */
sealed interface NbdInfo {

    /** {@code NBD_INFO_EXPORT}: the export's size and transmission flags (sent always). */
    record Export(long size, int transmissionFlags) implements NbdInfo {
    }

    /** {@code NBD_INFO_BLOCK_SIZE}: the server's minimum, preferred and maximum request sizes. */
    record BlockSize(int minimum, int preferred, int maximum) implements NbdInfo {
    }

    /** Any other information (name, description, ...): not used here, skipped as the protocol allows. */
    record Other(int type) implements NbdInfo {
    }
}
