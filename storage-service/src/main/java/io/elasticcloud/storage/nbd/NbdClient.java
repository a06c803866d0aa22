package io.elasticcloud.storage.nbd;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.Closeable;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * One synchronous connection to one NBD export: the handshake in the constructor, then one
 * request at a time (READ, WRITE, FLUSH, TRIM, WRITE_ZEROES), simple replies only. Requests over
 * the export's payload limit (32 MiB at most) are split. The byte layouts live in
 * {@link NbdHandshakeCodec} and {@link NbdTransmissionCodec}; this class only moves them.
 *
 * <p>Nothing waits forever: connecting is bounded by the connect timeout, every read from the
 * socket by the read timeout, and every send by the same timeout (a watchdog closes the socket),
 * so a dead or hung server is an {@link IOException} within it (the timeout must allow sending
 * one 32 MiB request over the link). After a failure of the connection itself (timeout, closed
 * by the peer, protocol violation) the stream may be out of step, so the client closes the socket
 * and every later call fails at once; an error reply from the server ({@link NbdErrorException})
 * leaves it usable.
 *
 * <p>Methods are synchronized: one request is on the wire at a time, whoever calls.
 */
public final class NbdClient implements Closeable {
    private static final int BUFFER_BYTES = 128 << 10;
    /**
     * Closes the socket of a send that outlasts the timeout. A socket's read timeout does not
     * cover writes, and a peer that stops reading (hung, or cut off behind a firewall) would
     * otherwise block a large write until TCP gives up, if ever.
     */
    private static final ScheduledThreadPoolExecutor WATCHDOG = watchdog();
    /** Whether this platform's sockets offer TCP_QUICKACK (Linux does). */
    private static final boolean QUICK_ACK = quickAckSupported();

    private final NbdTarget target;
    private final Socket socket;
    private final ExportInfo export;
    private final long timeoutMillis;
    private volatile boolean sendTimedOut;
    // the streams the protocol runs over: the socket's now; NBD_OPT_STARTTLS would replace them
    // with a TLS session's (see negotiate)
    private DataInputStream in;
    private OutputStream out;
    private long nextCookie = 1;
    private IOException broken;
    private boolean closed;

    /**
     * Connects to {@code target} and opens its export.
     *
     * @param connectTimeout how long the TCP connection may take
     * @param readTimeout    how long any one read from the server may wait, in the handshake and
     *                       for every reply, and how long sending one request may take
     * @throws IOException naming the export when it cannot be opened (unknown export, refused,
     *                     not an NBD server, timeout)
     */
    public NbdClient(NbdTarget target, Duration connectTimeout, Duration readTimeout) throws IOException {
        this.target = target;
        this.socket = new Socket();
        this.timeoutMillis = Math.max(1, readTimeout.toMillis());
        try {
            socket.setTcpNoDelay(true);
            socket.setSoTimeout(Math.toIntExact(timeoutMillis));
            socket.connect(new InetSocketAddress(target.host(), target.port()),
                    Math.toIntExact(Math.max(1, connectTimeout.toMillis())));
            in = new DataInputStream(new BufferedInputStream(socket.getInputStream(), BUFFER_BYTES));
            out = new BufferedOutputStream(socket.getOutputStream(), BUFFER_BYTES);
            this.export = negotiate();
        } catch (IOException | RuntimeException e) {
            socket.close();
            if (e instanceof IOException io && !mentionsTarget(io)) {
                throw new IOException("cannot open NBD export " + target + ": " + describe(io), io);
            }
            throw e;
        }
    }

    /**
     * The handshake: greeting, client flags, then {@code NBD_OPT_GO}.
     *
     * <p>TLS goes between the flags and GO: send {@code NBD_OPT_STARTTLS} ({@link
     * NbdProtocol#OPT_STARTTLS}), on {@code NBD_REP_ACK} wrap {@link #socket} in an SSLSocket,
     * handshake, and point {@link #in}/{@link #out} at its streams; the rest is unchanged. Until
     * then a server that requires TLS answers GO with {@code NBD_REP_ERR_TLS_REQD}, which becomes a
     * clear error.
     */
    private ExportInfo negotiate() throws IOException {
        int handshakeFlags = NbdHandshakeCodec.greeting(readExactly(NbdProtocol.GREETING_BYTES));
        out.write(NbdHandshakeCodec.clientFlags(handshakeFlags));
        out.write(NbdHandshakeCodec.go(target.export()));
        out.flush();
        GoReplies replies = new GoReplies(target);
        boolean done = false;
        while (!done) { // bounded: GoReplies refuses more than MAX_REPLIES
            quickAck();
            OptionReply reply = NbdHandshakeCodec.optionReply(readExactly(NbdProtocol.OPTION_REPLY_HEADER_BYTES),
                    NbdProtocol.OPT_GO);
            byte[] data = readExactly(reply.length());
            try {
                done = replies.accept(reply, data);
            } catch (NbdProtocolException e) {
                throw e;
            } catch (IOException refused) {
                abortQuietly();
                throw refused;
            }
        }
        return replies.result();
    }

    /**
     * Acknowledges what arrives next at once instead of after the delayed-ACK timer (Linux: at
     * least 40 ms). qemu's NBD server sends its replies to {@code NBD_OPT_GO} as separate small
     * writes with Nagle's algorithm on, so each waited for the ACK of the one before: opening an
     * export in a storage box took 44-60 ms, 2-10 ms with this. Linux leaves quick-ACK mode again
     * by itself, so it is set before each reply read. Where the option does not exist, nothing.
     */
    private void quickAck() {
        if (QUICK_ACK) {
            try {
                socket.setOption(jdk.net.ExtendedSocketOptions.TCP_QUICKACK, true);
            } catch (IOException | UnsupportedOperationException ignored) {
                // only a delay: the handshake goes on
            }
        }
    }

    /** The soft disconnect the protocol asks for after a refused option: NBD_OPT_ABORT, reply not awaited. */
    private void abortQuietly() {
        try {
            out.write(NbdHandshakeCodec.option(NbdProtocol.OPT_ABORT, new byte[0]));
            out.flush();
        } catch (IOException gone) {
            // the server hung up already: the refusal is what matters
        }
    }

    /** The export as the server described it. */
    public ExportInfo export() {
        return export;
    }

    public NbdTarget target() {
        return target;
    }

    /** Reads exactly {@code len} bytes at {@code offset} into {@code dst}. */
    public synchronized void read(long offset, byte[] dst, int off, int len) throws IOException {
        checkRange(offset, len);
        java.util.Objects.checkFromIndexSize(off, len, dst.length);
        for (int done = 0; done < len; ) {
            int n = Math.min(len - done, export.maxPayload());
            NbdRequest request = new NbdRequest(0, NbdProtocol.CMD_READ, nextCookie++, offset + done, n);
            send(request, null, 0);
            receive(request);
            try {
                in.readFully(dst, off + done, n);
            } catch (IOException e) {
                throw fail(e, request);
            }
            done += n;
        }
    }

    /** Writes {@code len} bytes of {@code src} at {@code offset}. */
    public synchronized void write(long offset, byte[] src, int off, int len) throws IOException {
        checkRange(offset, len);
        java.util.Objects.checkFromIndexSize(off, len, src.length);
        refuseIfReadOnly(NbdProtocol.CMD_WRITE, offset, len);
        for (int done = 0; done < len; ) {
            int n = Math.min(len - done, export.maxPayload());
            NbdRequest request = new NbdRequest(0, NbdProtocol.CMD_WRITE, nextCookie++, offset + done, n);
            send(request, src, off + done);
            receive(request);
            done += n;
        }
    }

    /** Asks the server to make every completed write durable; a no-op when it offers no flush. */
    public synchronized void flush() throws IOException {
        if (export.canFlush()) {
            NbdRequest request = new NbdRequest(0, NbdProtocol.CMD_FLUSH, nextCookie++, 0, 0);
            send(request, null, 0);
            receive(request);
        }
    }

    /**
     * Writes zeros over {@code length} bytes at {@code offset} without sending them; the server
     * may leave a hole. Only where {@link ExportInfo#canWriteZeroes()}.
     */
    public synchronized void writeZeroes(long offset, long length) throws IOException {
        ranged(NbdProtocol.CMD_WRITE_ZEROES, export.canWriteZeroes(), offset, length);
    }

    /** Tells the server the range's data is no longer needed (it may read back as anything). Only where {@link ExportInfo#canTrim()}. */
    public synchronized void trim(long offset, long length) throws IOException {
        ranged(NbdProtocol.CMD_TRIM, export.canTrim(), offset, length);
    }

    private void ranged(int type, boolean offered, long offset, long length) throws IOException {
        if (!offered) {
            throw new UnsupportedOperationException("NBD export " + target + " does not offer "
                    + NbdProtocol.commandName(type));
        }
        checkRange(offset, length);
        refuseIfReadOnly(type, offset, length);
        for (long done = 0; done < length; ) {
            int n = (int) Math.min(length - done, export.maxPayload());
            NbdRequest request = new NbdRequest(0, type, nextCookie++, offset + done, n);
            send(request, null, 0);
            receive(request);
            done += n;
        }
    }

    /** Sends {@code NBD_CMD_DISC} when the connection is still sound, then closes it. */
    @Override
    public synchronized void close() throws IOException {
        if (closed) {
            return;
        }
        closed = true;
        try (socket) {
            if (broken == null && !socket.isClosed()) {
                out.write(NbdTransmissionCodec.request(new NbdRequest(0, NbdProtocol.CMD_DISC, nextCookie++, 0, 0)));
                out.flush();
            }
        } catch (IOException gone) {
            // the server went away first: nothing left to tell it
        }
    }

    private void send(NbdRequest request, byte[] payload, int payloadOffset) throws IOException {
        usable();
        ScheduledFuture<?> deadline = WATCHDOG.schedule(this::abortSlowSend, timeoutMillis, TimeUnit.MILLISECONDS);
        try {
            out.write(NbdTransmissionCodec.request(request));
            if (payload != null) {
                out.write(payload, payloadOffset, request.length());
            }
            out.flush();
        } catch (IOException e) {
            throw fail(e, request);
        } finally {
            deadline.cancel(false);
        }
    }

    private void abortSlowSend() {
        sendTimedOut = true;
        try {
            socket.close();
        } catch (IOException ignored) {
            // closing is all the watchdog can do; the blocked send reports the timeout
        }
    }

    /** Reads the reply to {@code request}; throws the server's error when it is one. */
    private void receive(NbdRequest request) throws IOException {
        NbdReply reply;
        try {
            reply = NbdTransmissionCodec.reply(readExactly(NbdProtocol.SIMPLE_REPLY_BYTES));
            if (reply.cookie() != request.cookie()) {
                throw new NbdProtocolException("reply to request " + reply.cookie() + " while " + request.cookie()
                        + " was the only one sent");
            }
        } catch (IOException e) {
            throw fail(e, request);
        }
        if (reply.error() != 0) {
            NbdErrno.raise(target, request, reply.error());
        }
    }

    private byte[] readExactly(int n) throws IOException {
        byte[] bytes = new byte[n];
        try {
            in.readFully(bytes);
        } catch (EOFException e) {
            throw new EOFException("the NBD server closed the connection");
        }
        return bytes;
    }

    private void usable() throws IOException {
        if (closed) {
            throw new IOException("NBD connection to " + target + " is closed");
        }
        if (broken != null) {
            throw new IOException("NBD connection to " + target + " failed earlier: " + broken.getMessage(), broken);
        }
    }

    /** Marks the connection broken (closing its socket) and returns the error to throw for {@code request}. */
    private IOException fail(IOException e, NbdRequest request) {
        if (sendTimedOut && !(e instanceof SocketTimeoutException)) {
            // the watchdog closed the socket under a send: that, not "Socket closed", is what happened
            IOException timeout = new SocketTimeoutException("send timed out");
            timeout.initCause(e);
            e = timeout;
        }
        broken = new IOException(request.describe() + " on NBD export " + target + " failed: " + describe(e), e);
        try {
            socket.close();
        } catch (IOException ignored) {
            // already failing; the first error is the one worth reporting
        }
        return broken;
    }

    private void checkRange(long offset, long length) {
        if (offset < 0 || length < 0 || offset > export.size() || length > export.size() - offset) {
            throw new IllegalArgumentException(length + " bytes at offset " + offset + " pass the end of NBD export "
                    + target + " (" + export.size() + " bytes)");
        }
    }

    private void refuseIfReadOnly(int type, long offset, long length) throws NbdErrorException {
        if (export.readOnly()) {
            // the protocol forbids sending writes to a read-only export: answer as its server would
            NbdErrno.raise(target, new NbdRequest(0, type, 0, offset, (int) Math.min(length, Integer.MAX_VALUE)),
                    NbdErrno.EPERM);
        }
    }

    private boolean mentionsTarget(IOException e) {
        return e.getMessage() != null && e.getMessage().contains(target.toString());
    }

    private static boolean quickAckSupported() {
        try (Socket probe = new Socket()) {
            return probe.supportedOptions().contains(jdk.net.ExtendedSocketOptions.TCP_QUICKACK);
        } catch (IOException | RuntimeException e) {
            return false;
        }
    }

    private static ScheduledThreadPoolExecutor watchdog() {
        ScheduledThreadPoolExecutor executor = new ScheduledThreadPoolExecutor(1, runnable -> {
            Thread thread = new Thread(runnable, "nbd-send-watchdog");
            thread.setDaemon(true);
            return thread;
        });
        executor.setRemoveOnCancelPolicy(true);
        return executor;
    }

    private static String describe(IOException e) {
        if (e instanceof SocketTimeoutException) {
            return "no answer within the timeout (" + e.getMessage() + ")";
        }
        return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    }
}
