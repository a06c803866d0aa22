package io.elasticcloud.it;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.time.Duration;
import java.util.Arrays;

/**
 * One open RFB viewer session, for the console benchmark (bench/console.sh) to time the same
 * requests directly against a guest's VNC and through the browser console's proxy: opened
 * {@link #direct} (VNC authentication with the server's password, at the address its console
 * listens at) or {@link #throughProxy} (the WebSocket, security None); then full or incremental
 * framebuffer updates (raw encoding: no SetEncodings is sent), applied to a local copy of the
 * screen, and key events. {@link RfbClient} holds the handshake both share.
 */
public final class RfbSession implements AutoCloseable {
    /** A key that types a glyph with pixels well above a text cell's cursor lines. */
    public static final int KEY_M = 'm';
    public static final int KEY_RETURN = 0xff0d;

    private final DataInputStream in;
    private final OutputStream out;
    private final AutoCloseable connection;
    private final int width;
    private final int height;
    private final int bytesPerPixel;
    private final byte[] format;
    private final byte[] screen;

    /** What one FramebufferUpdate brought: its bytes on the wire, and whether it drew a glyph. */
    public record Update(long bytes, int rectangles, boolean glyphChanged) {
    }

    private RfbSession(DataInputStream in, OutputStream out, AutoCloseable connection) throws IOException {
        this.in = in;
        this.out = out;
        this.connection = connection;
        out.write(1); // ClientInit: shared, beside the proxy's own connection
        width = in.readUnsignedShort();
        height = in.readUnsignedShort();
        format = new byte[16];
        in.readFully(format);
        in.readFully(new byte[in.readInt()]);
        bytesPerPixel = (format[0] & 0xff) / 8;
        screen = new byte[width * height * bytesPerPixel];
    }

    /** VNC authentication at the guest's console ({@code vnc:ip} as {@code info} shows it, mapped as the tests do). */
    public static RfbSession direct(String vncIp, int port, String password) throws IOException {
        Socket socket = RfbClient.connect(Libvirt.consoleAddress(vncIp), port);
        try {
            socket.setTcpNoDelay(true);
            DataInputStream in = new DataInputStream(socket.getInputStream());
            OutputStream out = socket.getOutputStream();
            byte[] types = RfbClient.handshake(in, out);
            if (!new RfbClient.Outcome(types, null).offers(RfbClient.VNC_AUTH)) {
                throw new IOException("VNC authentication not offered, only " + Arrays.toString(types));
            }
            out.write(RfbClient.VNC_AUTH);
            if (!RfbClient.vncAuthentication(in, out, password)) {
                throw new IOException("the guest's VNC refused the password");
            }
            return new RfbSession(in, out, socket);
        } catch (IOException | RuntimeException e) {
            socket.close();
            throw e;
        }
    }

    /** The browser console's WebSocket at the API {@code api}, opened with a token of POST /servers/S/console. */
    public static RfbSession throughProxy(URI api, String token) throws Exception {
        ConsoleSocket socket = new ConsoleSocket(api, "http://127.0.0.1:" + api.getPort(), token);
        try {
            byte[] types = RfbClient.handshake(socket.in, socket.out);
            if (!new RfbClient.Outcome(types, null).offers(1)) {
                throw new IOException("security None not offered, only " + Arrays.toString(types));
            }
            socket.out.write(1);
            if (socket.in.readInt() != 0) {
                throw new IOException("security None refused");
            }
            return new RfbSession(socket.in, socket.out, socket);
        } catch (Exception e) {
            socket.close();
            throw e;
        }
    }

    /**
     * Waits until the test guest of {@code server} has booted ({@link TestGuest#READY} on its serial
     * console): from then on its screen echoes keys, and none typed earlier can reach its boot loader.
     */
    public static void awaitTestGuest(RunningSystem system, String server, Duration limit) {
        Libvirt.awaitConsole(system, server, TestGuest.READY, 1, limit);
    }

    public int width() {
        return width;
    }

    public int height() {
        return height;
    }

    /**
     * The colour of the pixel at x, y of the local screen as 0xRRGGBB, whatever the server's pixel
     * format (ServerInit's: bits per pixel, big-endian flag, each colour's maximum and shift; true
     * colour, as QEMU's VNC always is), each colour scaled to 0-255.
     */
    public int rgb(int x, int y) {
        int at = (y * width + x) * bytesPerPixel;
        boolean bigEndian = format[2] != 0;
        long value = 0;
        for (int i = 0; i < bytesPerPixel; i++) {
            int b = screen[at + (bigEndian ? i : bytesPerPixel - 1 - i)] & 0xff;
            value = (value << 8) | b;
        }
        int rgb = 0;
        for (int c = 0; c < 3; c++) { // red, green, blue: maximum at 4 + 2c, shift at 10 + c
            int max = ((format[4 + 2 * c] & 0xff) << 8) | (format[5 + 2 * c] & 0xff);
            int shift = format[10 + c] & 0xff;
            int level = max == 0 ? 0 : (int) ((value >>> shift) & max) * 255 / max;
            rgb = (rgb << 8) | level;
        }
        return rgb;
    }

    /** Asks for the whole screen, non-incremental, and reads updates until it is all covered; answers the bytes read. */
    public long fullUpdate() throws IOException {
        request(false);
        long bytes = 0;
        long covered = 0;
        while (covered < (long) width * height) { // bounded: each rectangle covers a part of the screen
            long[] read = readUpdate();
            bytes += read[0];
            covered += read[2];
        }
        return bytes;
    }

    /** Sends an incremental FramebufferUpdateRequest for the whole screen (answered when something changed). */
    public void requestIncremental() throws IOException {
        request(true);
    }

    /** Reads one FramebufferUpdate into the local screen. */
    public Update update() throws IOException {
        long[] read = readUpdate();
        return new Update(read[0], (int) read[1], read[3] != 0);
    }

    /** A key pressed and released (a KeyEvent down, then up, in one write). */
    public void key(int keysym) throws IOException {
        ByteArrayOutputStream message = new ByteArrayOutputStream();
        DataOutputStream m = new DataOutputStream(message);
        for (int down = 1; down >= 0; down--) {
            m.writeByte(4);
            m.writeByte(down);
            m.writeShort(0);
            m.writeInt(keysym);
        }
        out.write(message.toByteArray());
        out.flush();
    }

    private void request(boolean incremental) throws IOException {
        ByteArrayOutputStream message = new ByteArrayOutputStream();
        DataOutputStream m = new DataOutputStream(message);
        m.writeByte(3);
        m.writeByte(incremental ? 1 : 0);
        m.writeShort(0);
        m.writeShort(0);
        m.writeShort(width);
        m.writeShort(height);
        out.write(message.toByteArray());
        out.flush();
    }

    /**
     * One update: {bytes, rectangles, pixels covered, 1 when a pixel changed on a text cell's
     * upper rows (y mod 16 below 12: a glyph drawn or the screen scrolled, not the blinking
     * underline cursor, which lives on a cell's bottom rows)}.
     */
    private long[] readUpdate() throws IOException {
        int type = in.readUnsignedByte();
        if (type != 0) {
            throw new IOException("message type " + type + ", not a FramebufferUpdate");
        }
        in.readUnsignedByte();
        int rectangles = in.readUnsignedShort();
        long bytes = 4;
        long covered = 0;
        boolean glyph = false;
        byte[] row = new byte[width * bytesPerPixel];
        for (int r = 0; r < rectangles; r++) {
            int x = in.readUnsignedShort();
            int y = in.readUnsignedShort();
            int w = in.readUnsignedShort();
            int h = in.readUnsignedShort();
            int encoding = in.readInt();
            if (encoding != 0 || x + w > width || y + h > height) {
                throw new IOException("rectangle " + w + "x" + h + "+" + x + "+" + y + " encoding " + encoding);
            }
            int length = w * bytesPerPixel;
            for (int line = 0; line < h; line++) {
                in.readFully(row, 0, length);
                int at = ((y + line) * width + x) * bytesPerPixel;
                if (!glyph && (y + line) % 16 < 12 && !Arrays.equals(row, 0, length, screen, at, at + length)) {
                    glyph = true;
                }
                System.arraycopy(row, 0, screen, at, length);
            }
            bytes += 12 + (long) length * h;
            covered += (long) w * h;
        }
        return new long[] {bytes, rectangles, covered, glyph ? 1 : 0};
    }

    @Override
    public void close() throws Exception {
        connection.close();
    }
}
