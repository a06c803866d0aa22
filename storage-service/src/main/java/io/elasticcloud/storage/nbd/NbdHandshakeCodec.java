package io.elasticcloud.storage.nbd;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * The byte layouts of the fixed newstyle handshake and its options, as pure functions on byte
 * arrays: no socket here, so every layout has table tests. The socket side is {@link NbdClient}.
 */
final class NbdHandshakeCodec {

    private NbdHandshakeCodec() {
    }

    /**
     * Reads the server's greeting ({@value NbdProtocol#GREETING_BYTES} bytes: NBDMAGIC, IHAVEOPT,
     * 16-bit handshake flags) and returns the handshake flags.
     *
     * @throws NbdProtocolException when the peer is no newstyle NBD server, or not a fixed newstyle
     *                              one (NBD_OPT_GO needs fixed newstyle)
     */
    static int greeting(byte[] greeting) throws NbdProtocolException {
        ByteBuffer b = exactly(greeting, NbdProtocol.GREETING_BYTES, "greeting");
        if (b.getLong() != NbdProtocol.NBDMAGIC) {
            throw new NbdProtocolException("not an NBD server: its greeting does not start with NBDMAGIC");
        }
        if (b.getLong() != NbdProtocol.IHAVEOPT) {
            throw new NbdProtocolException("the NBD server speaks the oldstyle handshake, which has no export names");
        }
        int flags = Short.toUnsignedInt(b.getShort());
        if ((flags & NbdProtocol.FLAG_FIXED_NEWSTYLE) == 0) {
            throw new NbdProtocolException("the NBD server does not offer the fixed newstyle handshake");
        }
        return flags;
    }

    /** The client's 32-bit flags: fixed newstyle, and no zeroes when the server offered it. */
    static byte[] clientFlags(int handshakeFlags) {
        int flags = NbdProtocol.FLAG_C_FIXED_NEWSTYLE;
        if ((handshakeFlags & NbdProtocol.FLAG_NO_ZEROES) != 0) {
            flags |= NbdProtocol.FLAG_C_NO_ZEROES;
        }
        return ByteBuffer.allocate(4).putInt(flags).array();
    }

    /** One option as the client sends it: IHAVEOPT, the option, its data's length, the data. */
    static byte[] option(int option, byte[] data) {
        return ByteBuffer.allocate(16 + data.length).putLong(NbdProtocol.IHAVEOPT).putInt(option)
                .putInt(data.length).put(data).array();
    }

    /**
     * {@code NBD_OPT_GO} for {@code export}, asking for no particular information: the server
     * sends NBD_INFO_EXPORT regardless, and not asking for block sizes tells it that this client
     * sends requests of any alignment, which it then must accept or refuse to open.
     */
    static byte[] go(String export) {
        byte[] name = export.getBytes(StandardCharsets.UTF_8);
        byte[] data = ByteBuffer.allocate(4 + name.length + 2).putInt(name.length).put(name).putShort((short) 0).array();
        return option(NbdProtocol.OPT_GO, data);
    }

    /**
     * Reads an option reply's header ({@value NbdProtocol#OPTION_REPLY_HEADER_BYTES} bytes).
     *
     * @throws NbdProtocolException on a wrong magic, a reply to another option than {@code sent},
     *                              or a length this client will not buffer
     */
    static OptionReply optionReply(byte[] header, int sent) throws NbdProtocolException {
        ByteBuffer b = exactly(header, NbdProtocol.OPTION_REPLY_HEADER_BYTES, "option reply");
        if (b.getLong() != NbdProtocol.OPTION_REPLY_MAGIC) {
            throw new NbdProtocolException("bad option reply magic from the NBD server");
        }
        OptionReply reply = new OptionReply(b.getInt(), b.getInt(), b.getInt());
        if (reply.option() != sent) {
            throw new NbdProtocolException("the NBD server answered option " + reply.option() + " to option " + sent);
        }
        if (reply.length() < 0 || reply.length() > NbdProtocol.MAX_OPTION_REPLY_BYTES) {
            throw new NbdProtocolException("option reply of " + Integer.toUnsignedString(reply.length())
                    + " bytes is longer than any this client accepts");
        }
        return reply;
    }

    /** Decodes an {@code NBD_REP_INFO} reply's data. */
    static NbdInfo info(byte[] data) throws NbdProtocolException {
        if (data.length < 2) {
            throw new NbdProtocolException("NBD_REP_INFO of " + data.length + " bytes has no type");
        }
        ByteBuffer b = ByteBuffer.wrap(data);
        int type = Short.toUnsignedInt(b.getShort());
        return switch (type) {
            case NbdProtocol.INFO_EXPORT -> {
                exactly(data, 12, "NBD_INFO_EXPORT");
                long size = b.getLong();
                if (size < 0) {
                    throw new NbdProtocolException("export size " + Long.toUnsignedString(size) + " is too large");
                }
                yield new NbdInfo.Export(size, Short.toUnsignedInt(b.getShort()));
            }
            case NbdProtocol.INFO_BLOCK_SIZE -> {
                exactly(data, 14, "NBD_INFO_BLOCK_SIZE");
                yield new NbdInfo.BlockSize(b.getInt(), b.getInt(), b.getInt());
            }
            default -> new NbdInfo.Other(type);
        };
    }

    /**
     * The error an option error reply stands for, naming the export and carrying the server's own
     * message (the reply's data, UTF-8) when it sent one.
     */
    static IOException optionError(NbdTarget target, OptionReply reply, byte[] data) {
        String said = new String(data, StandardCharsets.UTF_8).strip();
        String why = switch (reply.type()) {
            case NbdProtocol.REP_ERR_UNKNOWN -> "unknown export";
            case NbdProtocol.REP_ERR_POLICY -> "refused by the server's policy";
            case NbdProtocol.REP_ERR_TLS_REQD -> "the server requires TLS, which this client does not negotiate yet";
            case NbdProtocol.REP_ERR_UNSUP -> "the server does not support NBD_OPT_GO";
            case NbdProtocol.REP_ERR_INVALID -> "the server found the request invalid";
            case NbdProtocol.REP_ERR_PLATFORM -> "not available on the server's platform";
            case NbdProtocol.REP_ERR_SHUTDOWN -> "the server is shutting down";
            case NbdProtocol.REP_ERR_BLOCK_SIZE_REQD -> "the server requires block size negotiation";
            case NbdProtocol.REP_ERR_TOO_BIG -> "the request is too big for the server";
            default -> "error reply 0x" + Integer.toHexString(reply.type());
        };
        return new IOException("cannot open NBD export '" + target.export() + "' at " + target + ": " + why
                + (said.isEmpty() ? "" : " (server: " + said + ")"));
    }

    private static ByteBuffer exactly(byte[] bytes, int length, String what) throws NbdProtocolException {
        if (bytes.length != length) {
            throw new NbdProtocolException(what + " of " + bytes.length + " bytes, expected " + length);
        }
        return ByteBuffer.wrap(bytes);
    }
}
