package io.elasticcloud.it;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import javax.crypto.Cipher;
import javax.crypto.spec.SecretKeySpec;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManagerFactory;

/**
 * Just enough of an RFB (VNC) client to test a console's authentication: the version handshake,
 * the list of security types, and VNC authentication (DES of the server's challenge with the
 * password as key, each key byte's bits reversed, as RFB 3.8 specifies); and VeNCrypt (security
 * type 19): version 0.2, the server's subtypes, X509VNC chosen, a TLS handshake (JSSE) that
 * verifies the server's certificate against a given CA and for the host connected to, then VNC
 * authentication inside the TLS session. And a viewer through the browser console's proxy
 * ({@link #viewThroughProxy}): security None, then the screen read whole in raw encoding.
 */
final class RfbClient {
    static final int VNC_AUTH = 2;
    static final int VENCRYPT = 19;
    /** VeNCrypt subtypes: x509 TLS, then no authentication / VNC authentication. */
    static final int X509_NONE = 260;
    static final int X509_VNC = 261;

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

    /** What a VeNCrypt server offered, the TLS session it completed, and the password's fate. */
    record TlsOutcome(byte[] securityTypes, List<Integer> subtypes, String protocol, String peer, boolean accepted) {
    }

    static Outcome authenticate(String host, int port, String password) throws IOException {
        try (Socket socket = connect(host, port)) {
            DataInputStream in = new DataInputStream(socket.getInputStream());
            OutputStream out = socket.getOutputStream();
            byte[] types = handshake(in, out);
            Outcome offered = new Outcome(types, null);
            if (!offered.offers(VNC_AUTH)) {
                return offered;
            }
            out.write(VNC_AUTH);
            return new Outcome(types, vncAuthentication(in, out, password));
        }
    }

    /**
     * Connects with VeNCrypt X509VNC. Fails (IOException, SSLException) where the server offers no
     * VeNCrypt or no X509VNC, or its certificate is not signed by {@code ca} or not for {@code host}.
     */
    static TlsOutcome authenticateTls(String host, int port, String password, X509Certificate ca)
            throws IOException, GeneralSecurityException {
        try (Socket socket = connect(host, port)) {
            DataInputStream in = new DataInputStream(socket.getInputStream());
            OutputStream out = socket.getOutputStream();
            byte[] types = handshake(in, out);
            if (!new Outcome(types, null).offers(VENCRYPT)) {
                throw new IOException("VeNCrypt not offered, only " + Arrays.toString(types));
            }
            out.write(VENCRYPT);
            int major = in.readUnsignedByte();
            int minor = in.readUnsignedByte();
            if (major != 0 || minor < 2) {
                throw new IOException("VeNCrypt " + major + "." + minor + ", not 0.2");
            }
            out.write(new byte[] {0, 2});
            if (in.readUnsignedByte() != 0) {
                throw new IOException("the server refused VeNCrypt 0.2");
            }
            int count = in.readUnsignedByte();
            List<Integer> subtypes = new ArrayList<>();
            for (int i = 0; i < count; i++) {
                subtypes.add(in.readInt());
            }
            if (!subtypes.contains(X509_VNC)) {
                throw new IOException("VeNCrypt X509VNC not offered, only " + subtypes);
            }
            new DataOutputStream(out).writeInt(X509_VNC);
            if (in.readUnsignedByte() != 1) {
                throw new IOException("the server refused VeNCrypt X509VNC");
            }
            SSLSocket tls = (SSLSocket) trusting(ca).getSocketFactory().createSocket(socket, host, port, true);
            SSLParameters parameters = tls.getSSLParameters();
            parameters.setEndpointIdentificationAlgorithm("HTTPS"); // the certificate must name the host
            tls.setSSLParameters(parameters);
            tls.startHandshake();
            boolean accepted = vncAuthentication(new DataInputStream(tls.getInputStream()), tls.getOutputStream(), password);
            X509Certificate peer = (X509Certificate) tls.getSession().getPeerCertificates()[0];
            return new TlsOutcome(types, subtypes, tls.getSession().getProtocol(),
                    peer.getSubjectX500Principal().getName(), accepted);
        }
    }

    /** A screen as a viewer received it: its size and name, and one full update's raw pixels. */
    record Screen(int width, int height, String name, byte[] securityTypes, int bitsPerPixel, byte[] pixels) {
        /** Pixels that differ from the first one: the guest drew something (its boot text). */
        long drawn() {
            int bytes = bitsPerPixel / 8;
            long differing = 0;
            for (int i = bytes; i + bytes <= pixels.length; i += bytes) {
                if (!Arrays.equals(pixels, i, i + bytes, pixels, 0, bytes)) {
                    differing++;
                }
            }
            return differing;
        }
    }

    /**
     * The viewer's side of RFB 3.8 through the console proxy (over {@code in}/{@code out}): the
     * security types offered (the proxy offers None alone), None chosen, ClientInit (shared),
     * ServerInit, then the whole screen in raw encoding, following any display mode change
     * ({@link RfbSession#fullUpdate}).
     */
    static Screen viewThroughProxy(DataInputStream in, OutputStream out) throws IOException {
        RfbSession session = RfbSession.throughProxy(in, out, () -> { });
        session.fullUpdate();
        return session.screen();
    }

    /** Reads a PEM certificate (a CA's). */
    static X509Certificate certificate(Path pem) throws IOException, GeneralSecurityException {
        try (InputStream in = Files.newInputStream(pem)) {
            return (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(in);
        }
    }

    static Socket connect(String host, int port) throws IOException {
        Socket socket = new Socket();
        try {
            socket.connect(new InetSocketAddress(host, port), 5_000);
            socket.setSoTimeout(10_000);
            return socket;
        } catch (IOException e) {
            socket.close();
            throw e;
        }
    }

    /** The version handshake; answers the security types offered. */
    static byte[] handshake(DataInputStream in, OutputStream out) throws IOException {
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
        return types;
    }

    /** VNC authentication: the challenge answered with the password; true when the server says OK. */
    static boolean vncAuthentication(DataInputStream in, OutputStream out, String password) throws IOException {
        byte[] challenge = new byte[16];
        in.readFully(challenge);
        out.write(des(password, challenge));
        out.flush();
        return in.readInt() == 0;
    }

    private static SSLContext trusting(X509Certificate ca) throws GeneralSecurityException, IOException {
        KeyStore trust = KeyStore.getInstance(KeyStore.getDefaultType());
        trust.load(null, null);
        trust.setCertificateEntry("ca", ca);
        TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        factory.init(trust);
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(null, factory.getTrustManagers(), null);
        return context;
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
