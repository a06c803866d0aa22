package io.elasticcloud.storage.nbd;

/**
 * The numbers of the NBD protocol this client speaks (fixed newstyle handshake, {@code NBD_OPT_GO},
 * simple replies), as named in the protocol's own document
 * (https://github.com/NetworkBlockDevice/nbd/blob/master/doc/proto.md). Everything on the wire is
 * big-endian.
 */
final class NbdProtocol {
    /** "NBDMAGIC": the first 8 bytes a server sends. */
    static final long NBDMAGIC = 0x4e42444d41474943L;
    /** "IHAVEOPT": the newstyle magic, also the prefix of every option the client sends. */
    static final long IHAVEOPT = 0x49484156454f5054L;
    /** Prefix of every option reply. */
    static final long OPTION_REPLY_MAGIC = 0x0003e889045565a9L;
    static final int REQUEST_MAGIC = 0x25609513;
    static final int SIMPLE_REPLY_MAGIC = 0x67446698;
    /** The magic of a structured reply chunk: never negotiated here, so seeing it is a protocol error. */
    static final int STRUCTURED_REPLY_MAGIC = 0x668e33ef;

    // handshake flags (server) and client flags
    static final int FLAG_FIXED_NEWSTYLE = 1;
    static final int FLAG_NO_ZEROES = 1 << 1;
    static final int FLAG_C_FIXED_NEWSTYLE = 1;
    static final int FLAG_C_NO_ZEROES = 1 << 1;

    // options
    static final int OPT_ABORT = 2;
    /** Reserved for the later TLS upgrade: sent right after the client flags, before {@link #OPT_GO}. */
    static final int OPT_STARTTLS = 5;
    static final int OPT_GO = 7;

    // option reply types; errors have bit 31 set
    static final int REP_ACK = 1;
    static final int REP_INFO = 3;
    static final int REP_FLAG_ERROR = 1 << 31;
    static final int REP_ERR_UNSUP = REP_FLAG_ERROR | 1;
    static final int REP_ERR_POLICY = REP_FLAG_ERROR | 2;
    static final int REP_ERR_INVALID = REP_FLAG_ERROR | 3;
    static final int REP_ERR_PLATFORM = REP_FLAG_ERROR | 4;
    static final int REP_ERR_TLS_REQD = REP_FLAG_ERROR | 5;
    static final int REP_ERR_UNKNOWN = REP_FLAG_ERROR | 6;
    static final int REP_ERR_SHUTDOWN = REP_FLAG_ERROR | 7;
    static final int REP_ERR_BLOCK_SIZE_REQD = REP_FLAG_ERROR | 8;
    static final int REP_ERR_TOO_BIG = REP_FLAG_ERROR | 9;

    // NBD_REP_INFO types
    static final int INFO_EXPORT = 0;
    static final int INFO_BLOCK_SIZE = 3;

    // transmission flags
    static final int FLAG_HAS_FLAGS = 1;
    static final int FLAG_READ_ONLY = 1 << 1;
    static final int FLAG_SEND_FLUSH = 1 << 2;
    static final int FLAG_SEND_TRIM = 1 << 5;
    static final int FLAG_SEND_WRITE_ZEROES = 1 << 6;

    // commands
    static final int CMD_READ = 0;
    static final int CMD_WRITE = 1;
    static final int CMD_DISC = 2;
    static final int CMD_FLUSH = 3;
    static final int CMD_TRIM = 4;
    static final int CMD_WRITE_ZEROES = 6;

    /** Header sizes in bytes. */
    static final int GREETING_BYTES = 18;
    static final int OPTION_REPLY_HEADER_BYTES = 20;
    static final int REQUEST_BYTES = 28;
    static final int SIMPLE_REPLY_BYTES = 16;

    /**
     * The largest request this client sends: qemu's NBD server, like most, refuses payloads over
     * 32 MiB, and the protocol asks clients to stay within it unless the server says otherwise.
     */
    static final int MAX_REQUEST_BYTES = 32 << 20;

    /** The longest option reply accepted: the protocol caps strings at 4096 bytes; infos are shorter. */
    static final int MAX_OPTION_REPLY_BYTES = 64 << 10;

    private NbdProtocol() {
    }

    /** The protocol's name for a command, for messages. */
    static String commandName(int type) {
        return switch (type) {
            case CMD_READ -> "READ";
            case CMD_WRITE -> "WRITE";
            case CMD_DISC -> "DISC";
            case CMD_FLUSH -> "FLUSH";
            case CMD_TRIM -> "TRIM";
            case CMD_WRITE_ZEROES -> "WRITE_ZEROES";
            default -> "command " + type;
        };
    }
}
