package io.elasticcloud.storage.nbd;

import java.nio.ByteBuffer;

/**
 * The byte layouts of the transmission phase: request headers and simple reply headers, as pure
 * functions on byte arrays. Structured replies are never negotiated, so none is decoded.
 */
final class NbdTransmissionCodec {

    private NbdTransmissionCodec() {
    }

    /** The request's {@value NbdProtocol#REQUEST_BYTES}-byte header (a write's payload follows it). */
    static byte[] request(NbdRequest r) {
        return ByteBuffer.allocate(NbdProtocol.REQUEST_BYTES).putInt(NbdProtocol.REQUEST_MAGIC)
                .putShort((short) r.flags()).putShort((short) r.type()).putLong(r.cookie()).putLong(r.offset())
                .putInt(r.length()).array();
    }

    /**
     * Reads a simple reply's {@value NbdProtocol#SIMPLE_REPLY_BYTES}-byte header.
     *
     * @throws NbdProtocolException on any other magic (a structured reply included: none was negotiated)
     */
    static NbdReply reply(byte[] header) throws NbdProtocolException {
        if (header.length != NbdProtocol.SIMPLE_REPLY_BYTES) {
            throw new NbdProtocolException("reply header of " + header.length + " bytes");
        }
        ByteBuffer b = ByteBuffer.wrap(header);
        int magic = b.getInt();
        if (magic == NbdProtocol.STRUCTURED_REPLY_MAGIC) {
            throw new NbdProtocolException("the NBD server sent a structured reply, which was not negotiated");
        }
        if (magic != NbdProtocol.SIMPLE_REPLY_MAGIC) {
            throw new NbdProtocolException("bad reply magic 0x" + Integer.toHexString(magic) + " from the NBD server");
        }
        return new NbdReply(b.getInt(), b.getLong());
    }
}
