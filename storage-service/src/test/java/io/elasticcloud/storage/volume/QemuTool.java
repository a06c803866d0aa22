package io.elasticcloud.storage.volume;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Runs the real qemu-img / qemu-io against our volumes. Tests that use it fail (not skip) where
 * qemu-utils is missing: the interop they check is the reason the format exists. Passphrases
 * reach qemu through a {@code secret} object read from a 0600 file, never the command line.
 */
public final class QemuTool {
    private static final long TIMEOUT_SECONDS = 120;
    private static final String CALIBRATION_FLAKE = "Unable to get accurate CPU usage";

    private QemuTool() {
    }

    public static void requireQemu() throws IOException {
        assertThat(run(List.of("qemu-img", "--version"))).contains("qemu-img version");
    }

    /** Converts the LUKS volume's plaintext into a raw file, with qemu doing the decryption. */
    static void decryptWithQemu(Path luks, byte[] passphrase, Path rawOut) throws IOException {
        withSecret(luks.getParent(), passphrase, secret -> run(List.of("qemu-img", "convert", "--object", secret,
                "--image-opts", "driver=luks,key-secret=sec0,file.filename=" + luks, "-O", "raw", rawOut.toString())));
    }

    /** Writes a raw file's bytes into the existing LUKS volume from offset 0, qemu encrypting. */
    static void encryptWithQemu(Path rawIn, Path luks, byte[] passphrase) throws IOException {
        withSecret(luks.getParent(), passphrase, secret -> run(List.of("qemu-img", "convert", "-n", "-f", "raw",
                "--object", secret, rawIn.toString(),
                "--target-image-opts", "driver=luks,key-secret=sec0,file.filename=" + luks)));
    }

    /** Runs qemu-io commands (such as {@code write -P 0xab 0 4096}) on the LUKS volume. */
    static String qemuIo(Path luks, byte[] passphrase, String... commands) throws IOException {
        return withSecret(luks.getParent(), passphrase, secret -> {
            List<String> cmd = new ArrayList<>(List.of("qemu-io", "--object", secret,
                    "--image-opts", "driver=luks,key-secret=sec0,file.filename=" + luks));
            for (String c : commands) {
                cmd.add("-c");
                cmd.add(c);
            }
            return run(cmd);
        });
    }

    /** {@code qemu-img info --output=json} of the LUKS volume, opened with its passphrase. */
    static String info(Path luks, byte[] passphrase) throws IOException {
        return withSecret(luks.getParent(), passphrase, secret -> run(List.of("qemu-img", "info", "--output=json",
                "--object", secret, "--image-opts", "driver=luks,key-secret=sec0,file.filename=" + luks)));
    }

    /**
     * Makes a reference volume the way the service once did, with qemu-img itself. Its PBKDF2
     * calibration samples CPU time, which a busy host can report as zero: that one failure is
     * retried.
     */
    static void createWithQemu(Path luks, long size, byte[] passphrase) throws IOException {
        withSecret(luks.getParent(), passphrase, secret -> {
            List<String> cmd = List.of("qemu-img", "create", "-q", "-f", "luks", "--object", secret,
                    "-o", "key-secret=sec0,cipher-alg=aes-256,cipher-mode=xts,ivgen-alg=plain64,hash-alg=sha256,"
                            + "iter-time=10", luks.toString(), Long.toString(size));
            for (int attempt = 1; ; attempt++) {
                try {
                    return run(cmd);
                } catch (IOException e) {
                    if (attempt >= 3 || !String.valueOf(e.getMessage()).contains(CALIBRATION_FLAKE)) {
                        throw e;
                    }
                }
            }
        });
    }

    private interface WithSecret {
        String run(String secretObject) throws IOException;
    }

    private static String withSecret(Path dir, byte[] passphrase, WithSecret action) throws IOException {
        Path secret = Files.createTempFile(dir, ".secret-", ".tmp",
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        try {
            Files.write(secret, passphrase);
            return action.run("secret,id=sec0,format=raw,file=" + secret);
        } finally {
            Files.deleteIfExists(secret);
        }
    }

    /** Runs the command, failing on a non-zero exit or after two minutes; returns its output. */
    public static String run(List<String> command) throws IOException {
        Path log = Files.createTempFile("qemu-tool-", ".log");
        try {
            Process process = new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectOutput(log.toFile()).redirectInput(ProcessBuilder.Redirect.PIPE).start();
            process.getOutputStream().close();
            if (!process.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new IOException(command.get(0) + " did not finish within " + TIMEOUT_SECONDS + " s");
            }
            String output = Files.readString(log, StandardCharsets.UTF_8);
            if (process.exitValue() != 0) {
                throw new IOException(command.get(0) + " failed (exit " + process.exitValue() + "): " + output.strip());
            }
            return output;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while " + command.get(0) + " ran", e);
        } finally {
            Files.deleteIfExists(log);
        }
    }
}
