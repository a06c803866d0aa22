package io.elasticcloud.it;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;

/**
 * One open RFB viewer session, for the console benchmark (bench/console.sh) to time the same
 * requests directly against a guest's VNC and through the browser console's proxy: opened
 * {@link #direct} (VNC authentication with the server's password, at the address its console
 * listens at) or {@link #throughProxy} (the WebSocket, security None); then full or incremental
 * framebuffer updates in raw encoding, applied to a local copy of the screen, and key events.
 * SetEncodings asks for raw and DesktopSize: a guest that changes its display mode (QEMU's 640x480
 * placeholder, then the VGA BIOS's 720x400 text mode) says so, and the local screen follows;
 * without it QEMU sends the new size's pixels unannounced and a full update never covers the old
 * size. {@link RfbClient} holds the handshake both share.
 */
public final class RfbSession implements AutoCloseable {
    /** A key that types a glyph with pixels well above a text cell's cursor lines. */
    public static final int KEY_M = 'm';
    public static final int KEY_RETURN = 0xff0d;
    private static final int RAW = 0;
    private static final int DESKTOP_SIZE = -223;
    /** Display mode changes one full update follows (a booting guest makes two or three). */
    private static final int MAX_RESIZES = 8;

    private final DataInputStream in;
    private final OutputStream out;
    private final AutoCloseable connection;
    private final byte[] securityTypes;
    private final String name;
    private final int bytesPerPixel;
    private final byte[] format;
    private int width;
    private int height;
    private byte[] screen;

    /** What one FramebufferUpdate brought: its bytes on the wire, and whether it drew a glyph. */
    public record Update(long bytes, int rectangles, boolean glyphChanged) {
    }

    private RfbSession(DataInputStream in, OutputStream out, AutoCloseable connection, byte[] securityTypes)
            throws IOException {
        this.in = in;
        this.out = out;
        this.connection = connection;
        this.securityTypes = securityTypes;
        out.write(1); // ClientInit: shared, beside the proxy's own connection
        width = in.readUnsignedShort();
        height = in.readUnsignedShort();
        format = new byte[16];
        in.readFully(format);
        byte[] named = new byte[in.readInt()];
        in.readFully(named);
        name = new String(named, StandardCharsets.UTF_8);
        bytesPerPixel = (format[0] & 0xff) / 8;
        screen = new byte[width * height * bytesPerPixel];
        ByteArrayOutputStream message = new ByteArrayOutputStream();
        DataOutputStream m = new DataOutputStream(message);
        m.writeByte(2); // SetEncodings
        m.writeByte(0);
        m.writeShort(2);
        m.writeInt(RAW);
        m.writeInt(DESKTOP_SIZE);
        out.write(message.toByteArray());
        out.flush();
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
            return new RfbSession(in, out, socket, types);
        } catch (IOException | RuntimeException e) {
            socket.close();
            throw e;
        }
    }

    /** The browser console's WebSocket at the API {@code api}, opened with a token of POST /servers/S/console. */
    public static RfbSession throughProxy(URI api, String token) throws Exception {
        ConsoleSocket socket = new ConsoleSocket(api, "http://127.0.0.1:" + api.getPort(), token);
        try {
            return throughProxy(socket.in, socket.out, socket);
        } catch (Exception e) {
            socket.close();
            throw e;
        }
    }

    /** The viewer's side through the console proxy, over an open WebSocket's streams: the proxy offers security None alone. */
    static RfbSession throughProxy(DataInputStream in, OutputStream out, AutoCloseable connection) throws IOException {
        byte[] types = RfbClient.handshake(in, out);
        if (!new RfbClient.Outcome(types, null).offers(1)) {
            throw new IOException("security None not offered, only " + Arrays.toString(types));
        }
        out.write(1);
        if (in.readInt() != 0) {
            throw new IOException("security None refused");
        }
        return new RfbSession(in, out, connection, types);
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

    /**
     * Asks for the whole screen, non-incremental, and reads updates until it is all covered;
     * answers the bytes read. A display mode change on the way starts it again at the new size.
     */
    public long fullUpdate() throws IOException {
        request(false);
        long bytes = 0;
        long covered = 0;
        int resizes = 0;
        while (covered < (long) width * height) { // bounded: each rectangle covers a part of the screen
            long[] read = readUpdate();
            bytes += read[0];
            if (read[4] == 0) {
                covered += read[2];
                continue;
            }
            if (++resizes > MAX_RESIZES) {
                throw new IOException("the guest changed its display mode " + resizes + " times during one full update");
            }
            covered = read[2]; // what the update drew after the size change
            request(false);
        }
        return bytes;
    }

    /** The screen as {@link RfbClient} reports it: size, name, the security types offered, and the local copy's pixels. */
    RfbClient.Screen screen() {
        return new RfbClient.Screen(width, height, name, securityTypes, bytesPerPixel * 8, screen.clone());
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
     * underline cursor, which lives on a cell's bottom rows), 1 when the screen changed size}.
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
        boolean resized = false;
        for (int r = 0; r < rectangles; r++) {
            int x = in.readUnsignedShort();
            int y = in.readUnsignedShort();
            int w = in.readUnsignedShort();
            int h = in.readUnsignedShort();
            int encoding = in.readInt();
            bytes += 12;
            if (encoding == DESKTOP_SIZE) { // no pixels: the screen is now w x h, all of it to be sent again
                width = w;
                height = h;
                screen = new byte[w * h * bytesPerPixel];
                covered = 0;
                resized = true;
                continue;
            }
            if (encoding != RAW || x + w > width || y + h > height) {
                throw new IOException("rectangle " + w + "x" + h + "+" + x + "+" + y + " encoding " + encoding);
            }
            int length = w * bytesPerPixel;
            byte[] row = new byte[length];
            for (int line = 0; line < h; line++) {
                in.readFully(row, 0, length);
                int at = ((y + line) * width + x) * bytesPerPixel;
                if (!glyph && (y + line) % 16 < 12 && !Arrays.equals(row, 0, length, screen, at, at + length)) {
                    glyph = true;
                }
                System.arraycopy(row, 0, screen, at, length);
            }
            bytes += (long) length * h;
            covered += (long) w * h;
        }
        return new long[] {bytes, rectangles, covered, glyph ? 1 : 0, resized ? 1 : 0};
    }

    @Override
    public void close() throws Exception {
        connection.close();
    }
}
