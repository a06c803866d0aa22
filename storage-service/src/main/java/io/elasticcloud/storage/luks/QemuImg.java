package io.elasticcloud.storage.luks;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Creates qemu LUKS1 volumes with {@code qemu-img}, so that what qemu opens at attach time is
 * exactly what qemu wrote.
 *
 * <p>The passphrase reaches qemu-img through a {@code secret} object read from a 0600 file (never
 * the process list), removed as soon as qemu-img exits. {@code iter-time} is short on purpose:
 * our passphrases are 256 random bits, so PBKDF2 stretching adds no security, while every unlock
 * (ours, and qemu's at each attach) pays for it. qemu enforces at least 1000 iterations anyway.
 * Note that qemu-img calibrates PBKDF2 for about a second per create, whatever the iter-time.
 */
public final class QemuImg {
    private static final String CALIBRATION_FLAKE = "Unable to get accurate CPU usage";
    private static final int CALIBRATION_ATTEMPTS = 3;

    private final String executable;
    private final int iterTimeMillis;
    private final Duration timeout;

    public QemuImg(String executable, int iterTimeMillis, Duration timeout) {
        this.executable = executable;
        this.iterTimeMillis = iterTimeMillis;
        this.timeout = timeout;
    }

    /**
     * Creates {@code file} as a LUKS1 aes-256-xts-plain64 volume with a payload of {@code size}
     * bytes (a whole number of sectors) and one key slot opened by {@code passphrase}.
     */
    public void createLuks(Path file, long size, byte[] passphrase) throws IOException {
        Path secret = writeSecret(file.toAbsolutePath().getParent(), passphrase);
        try {
            List<String> command = List.of(executable, "create", "-q", "-f", "luks",
                    "--object", "secret,id=sec0,format=raw,file=" + secret,
                    "-o", "key-secret=sec0,cipher-alg=aes-256,cipher-mode=xts,ivgen-alg=plain64,hash-alg=sha256,"
                            + "iter-time=" + iterTimeMillis,
                    file.toString(), Long.toString(size));
            for (int attempt = 1; ; attempt++) {
                try {
                    run(command);
                    return;
                } catch (IOException e) {
                    // qemu's PBKDF2 calibration samples the thread's CPU time, which a busy host's
                    // coarse accounting can report as zero; a second run measures again
                    if (attempt >= CALIBRATION_ATTEMPTS || !String.valueOf(e.getMessage()).contains(CALIBRATION_FLAKE)) {
                        throw e;
                    }
                }
            }
        } finally {
            Files.deleteIfExists(secret);
        }
    }

    /** Writes a passphrase into a fresh 0600 file in {@code dir} (named to be ignored by listings). */
    public static Path writeSecret(Path dir, byte[] passphrase) throws IOException {
        Path secret = Files.createTempFile(dir, ".secret-", ".tmp",
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        Files.write(secret, passphrase);
        return secret;
    }

    /** Runs qemu-img with these arguments (the first being qemu-img itself), failing on a non-zero exit. */
    public String run(List<String> command) throws IOException {
        List<String> cmd = new ArrayList<>(command);
        Process process = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        process.getOutputStream().close();
        ByteArrayOutputStream output = new ByteArrayOutputStream();
        Thread reader = new Thread(() -> copyBounded(process.getInputStream(), output), "qemu-img-output");
        reader.setDaemon(true);
        reader.start();
        try {
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroyForcibly();
                throw new IOException("qemu-img did not finish within " + timeout);
            }
            reader.join(timeout.toMillis());
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while qemu-img ran", e);
        }
        String text;
        synchronized (output) {
            text = output.toString(StandardCharsets.UTF_8);
        }
        if (process.exitValue() != 0) {
            throw new IOException("qemu-img failed (exit " + process.exitValue() + "): " + text.strip());
        }
        return text;
    }

    public String executable() {
        return executable;
    }

    /** Keeps at most 64 KiB of output: enough for an error message, bounded whatever qemu prints. */
    private static void copyBounded(InputStream in, ByteArrayOutputStream out) {
        byte[] buf = new byte[8192];
        try (in) {
            int n;
            while ((n = in.read(buf)) >= 0) {
                synchronized (out) {
                    if (out.size() < 65536) {
                        out.write(buf, 0, Math.min(n, 65536 - out.size()));
                    }
                }
            }
        } catch (IOException ignored) {
            // the process ended; what was read is what there is
        }
    }
}
