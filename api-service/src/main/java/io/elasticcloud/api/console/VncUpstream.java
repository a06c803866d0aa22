package io.elasticcloud.api.console;

import io.elasticcloud.api.server.ServerConsoles.Target;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import javax.crypto.Cipher;
import javax.crypto.spec.SecretKeySpec;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;

/**
 * The proxy's side of a guest's VNC: connected and authenticated as the server's owner would be,
 * with the server's password, so that what follows (ClientInit onwards) is the viewer's. RFB 3.8;
 * VNC authentication (type 2), or for {@code vnc:tls on} VeNCrypt 0.2 X509VNC (type 19, subtype
 * 261): TLS verified against the platform's VNC CA and for the address connected to, then VNC
 * authentication inside it.
 */
final class VncUpstream {
    static final int NONE = 1;
    static final int VNC_AUTH = 2;
    static final int VENCRYPT = 19;
    static final int X509_VNC = 261;

    final Socket socket;
    final DataInputStream in;
    final DataOutputStream out;

    private VncUpstream(Socket socket) throws IOException {
        this.socket = socket;
        this.in = new DataInputStream(socket.getInputStream());
        this.out = new DataOutputStream(socket.getOutputStream());
    }

    /**
     * Connects to {@code target} and authenticates, each read bounded by {@code timeout}; fails
     * with a message fit for the viewer (never the password).
     *
     * @param tls the context trusting the hosts' VNC CA; needed when the target speaks TLS
     */
    static VncUpstream open(Target target, VncDialer dialer, SSLContext tls, Duration timeout) throws IOException {
        if (target.tls() && tls == null) {
            throw new IllegalArgumentException("a vnc:tls on console needs a TLS context");
        }
        Socket socket = dialer.connect(target.address(), target.port(), timeout);
        try {
            socket.setSoTimeout((int) timeout.toMillis());
            VncUpstream plain = new VncUpstream(socket);
            VncUpstream authenticated = plain.authenticate(target, tls);
            authenticated.socket.setSoTimeout(0); // from here the console's idle timeout applies
            return authenticated;
        } catch (IOException | RuntimeException e) {
            socket.close();
            throw e;
        }
    }

    private VncUpstream authenticate(Target target, SSLContext tls) throws IOException {
        byte[] version = new byte[12];
        in.readFully(version);
        if (!new String(version, StandardCharsets.US_ASCII).startsWith("RFB 003.")) {
            throw new IOException("the guest's console does not speak RFB");
        }
        out.write("RFB 003.008\n".getBytes(StandardCharsets.US_ASCII));
        out.flush();
        List<Integer> types = securityTypes();
        if (target.tls()) {
            if (!types.contains(VENCRYPT)) {
                throw new IOException("the guest's console offers no VeNCrypt (security types " + types + ")");
            }
            out.write(VENCRYPT);
            VncUpstream inside = vencrypt(target, tls);
            inside.vncAuthentication(target.password());
            return inside;
        }
        if (!types.contains(VNC_AUTH)) {
            throw new IOException("the guest's console offers no VNC authentication (security types " + types + ")");
        }
        out.write(VNC_AUTH);
        vncAuthentication(target.password());
        return this;
    }

    private List<Integer> securityTypes() throws IOException {
        int count = in.readUnsignedByte();
        if (count == 0) {
            throw new IOException("the guest's console refused the connection: " + reason());
        }
        List<Integer> types = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            types.add(in.readUnsignedByte());
        }
        return types;
    }

    private VncUpstream vencrypt(Target target, SSLContext tls) throws IOException {
        int major = in.readUnsignedByte();
        int minor = in.readUnsignedByte();
        if (major != 0 || minor < 2) {
            throw new IOException("the guest's console speaks VeNCrypt " + major + "." + minor + ", not 0.2");
        }
        out.write(new byte[] {0, 2});
        out.flush();
        if (in.readUnsignedByte() != 0) {
            throw new IOException("the guest's console refused VeNCrypt 0.2");
        }
        int count = in.readUnsignedByte();
        List<Integer> subtypes = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            subtypes.add(in.readInt());
        }
        if (!subtypes.contains(X509_VNC)) {
            throw new IOException("the guest's console offers no VeNCrypt X509VNC (subtypes " + subtypes + ")");
        }
        out.writeInt(X509_VNC);
        out.flush();
        if (in.readUnsignedByte() != 1) {
            throw new IOException("the guest's console refused VeNCrypt X509VNC");
        }
        SSLSocket secured = (SSLSocket) tls.getSocketFactory()
                .createSocket(socket, target.address(), target.port(), true);
        SSLParameters parameters = secured.getSSLParameters();
        parameters.setEndpointIdentificationAlgorithm("HTTPS"); // the certificate must name the address
        secured.setSSLParameters(parameters);
        secured.startHandshake();
        return new VncUpstream(secured);
    }

    private void vncAuthentication(String password) throws IOException {
        byte[] challenge = new byte[16];
        in.readFully(challenge);
        out.write(des(password, challenge));
        out.flush();
        if (in.readInt() != 0) {
            throw new IOException("the guest's console refused the server's VNC password"
                    + " (a vnc:password set while it runs takes effect at its next start)");
        }
    }

    private String reason() throws IOException {
        int length = in.readInt();
        byte[] text = new byte[Math.min(Math.max(length, 0), 1024)];
        in.readFully(text);
        return new String(text, StandardCharsets.US_ASCII);
    }

    /** VNC authentication's answer: the challenge DES-encrypted under the password, each key byte's bits reversed. */
    static byte[] des(String password, byte[] challenge) {
        byte[] key = new byte[8];
        byte[] given = password.getBytes(StandardCharsets.ISO_8859_1);
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

    void close() {
        try {
            socket.close();
        } catch (IOException ignored) {
            // closing: nothing more to tell
        }
    }
}
