package io.elasticcloud.storage.nbd;

import java.io.IOException;

/**
 * The server's answers to {@code NBD_OPT_GO}, taken one reply at a time: infos until the final
 * {@code NBD_REP_ACK} (then the export is open) or an error reply (then it is not). Pure, so the
 * whole exchange is tested on byte arrays; {@link NbdClient} reads the replies and feeds them here.
 */
final class GoReplies {
    /** More replies than this to one option is a misbehaving server, not a slow one. */
    static final int MAX_REPLIES = 64;

    private final NbdTarget target;
    private NbdInfo.Export export;
    private int maxPayload = NbdProtocol.MAX_REQUEST_BYTES;
    private int replies;

    GoReplies(NbdTarget target) {
        this.target = target;
    }

    /**
     * Takes one reply (header and data) and says whether it was the final one.
     *
     * @throws IOException naming the export when the server refused it (unknown export, TLS
     *                     required, ...), {@link NbdProtocolException} when it broke the protocol
     */
    boolean accept(OptionReply reply, byte[] data) throws IOException {
        if (++replies > MAX_REPLIES) {
            throw new NbdProtocolException("the NBD server sent more than " + MAX_REPLIES + " replies to NBD_OPT_GO");
        }
        if (reply.isError()) {
            throw NbdHandshakeCodec.optionError(target, reply, data);
        }
        switch (reply.type()) {
            case NbdProtocol.REP_INFO -> {
                NbdInfo info = NbdHandshakeCodec.info(data);
                if (info instanceof NbdInfo.Export e) {
                    export = e;
                } else if (info instanceof NbdInfo.BlockSize s && s.maximum() > 0) {
                    maxPayload = Math.min(maxPayload, s.maximum());
                }
                return false;
            }
            case NbdProtocol.REP_ACK -> {
                if (export == null) {
                    throw new NbdProtocolException("the NBD server opened export '" + target.export()
                            + "' without saying its size (no NBD_INFO_EXPORT)");
                }
                return true;
            }
            default -> throw new NbdProtocolException("unexpected reply type " + reply.type() + " to NBD_OPT_GO");
        }
    }

    /** The opened export, once {@link #accept} returned true. */
    ExportInfo result() {
        if (export == null) {
            throw new IllegalStateException("NBD_OPT_GO has not completed");
        }
        return new ExportInfo(export.size(), export.transmissionFlags(), maxPayload);
    }
}
