package io.elasticcloud.it;

import java.io.DataInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import javax.crypto.Cipher;
import javax.crypto.spec.SecretKeySpec;

/**
 * Just enough of an RFB (VNC) client to test a console's authentication: the version handshake,
 * the list of security types, and VNC authentication (DES of the server's challenge with the
 * password as key, each key byte's bits reversed, as RFB 3.8 specifies).
 */
final class RfbClient {
    static final int VNC_AUTH = 2;
    static final int VENCRYPT = 19;

    private RfbClient() {
    }

    /** What the server offered, and whether it accepted the password (null: VNC auth not offered). */
    record Outcome(byte[] securityTypes, Boolean accepted) {
        boolean offers(int type) {
            for (byte b : securityTypes) {
                if ((b & 0xff) == type) {
                    return true;
                }
            }
            return false;
        }
    }

    static Outcome authenticate(String host, int port, String password) throws IOException {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(host, port), 5_000);
            socket.setSoTimeout(10_000);
            DataInputStream in = new DataInputStream(socket.getInputStream());
            OutputStream out = socket.getOutputStream();
            byte[] version = new byte[12];
            in.readFully(version);
            if (!new String(version, StandardCharsets.US_ASCII).startsWith("RFB ")) {
                throw new IOException("not an RFB server: " + new String(version, StandardCharsets.US_ASCII));
            }
            out.write("RFB 003.008\n".getBytes(StandardCharsets.US_ASCII));
            int count = in.readUnsignedByte();
            if (count == 0) {
                throw new IOException("the server refused the connection");
            }
            byte[] types = new byte[count];
            in.readFully(types);
            Outcome offered = new Outcome(types, null);
            if (!offered.offers(VNC_AUTH)) {
                return offered;
            }
            out.write(VNC_AUTH);
            byte[] challenge = new byte[16];
            in.readFully(challenge);
            out.write(des(password, challenge));
            return new Outcome(types, in.readInt() == 0);
        }
    }

    private static byte[] des(String password, byte[] challenge) {
        byte[] key = new byte[8];
        byte[] given = password.getBytes(StandardCharsets.US_ASCII);
        for (int i = 0; i < 8 && i < given.length; i++) {
            key[i] = (byte) (Integer.reverse(given[i] & 0xff) >>> 24);
        }
        try {
            Cipher des = Cipher.getInstance("DES/ECB/NoPadding");
            des.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(key, "DES"));
            return des.doFinal(challenge);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("DES is part of every Java runtime", e);
        }
    }
}
