package io.elasticcloud.storage.volume;

import static org.assertj.core.api.Assertions.assertThat;

import io.elasticcloud.storage.luks.QemuImg;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Runs the real qemu-img / qemu-io against our volumes. Tests that use it fail (not skip) where
 * qemu-utils is missing: the interop they check is the reason the format exists.
 */
final class QemuTool {
    static final QemuImg QEMU_IMG = new QemuImg("qemu-img", 10, Duration.ofMinutes(2));

    private QemuTool() {
    }

    static void requireQemu() throws IOException {
        assertThat(QEMU_IMG.run(List.of("qemu-img", "--version"))).contains("qemu-img version");
    }

    /** Converts the LUKS volume's plaintext into a raw file, with qemu doing the decryption. */
    static void decryptWithQemu(Path luks, byte[] passphrase, Path rawOut) throws IOException {
        Path secret = QemuImg.writeSecret(rawOut.getParent(), passphrase);
        try {
            QEMU_IMG.run(List.of("qemu-img", "convert", "--object", "secret,id=sec0,format=raw,file=" + secret,
                    "--image-opts", "driver=luks,key-secret=sec0,file.filename=" + luks,
                    "-O", "raw", rawOut.toString()));
        } finally {
            Files.deleteIfExists(secret);
        }
    }

    /** Writes a raw file's bytes into the existing LUKS volume from offset 0, qemu encrypting. */
    static void encryptWithQemu(Path rawIn, Path luks, byte[] passphrase) throws IOException {
        Path secret = QemuImg.writeSecret(rawIn.getParent(), passphrase);
        try {
            QEMU_IMG.run(List.of("qemu-img", "convert", "-n", "-f", "raw",
                    "--object", "secret,id=sec0,format=raw,file=" + secret,
                    rawIn.toString(), "--target-image-opts", "driver=luks,key-secret=sec0,file.filename=" + luks));
        } finally {
            Files.deleteIfExists(secret);
        }
    }

    /** Runs qemu-io commands (such as {@code write -P 0xab 0 4096}) on the LUKS volume. */
    static String qemuIo(Path luks, byte[] passphrase, String... commands) throws IOException {
        Path secret = QemuImg.writeSecret(luks.getParent(), passphrase);
        try {
            List<String> cmd = new ArrayList<>(List.of("qemu-io", "--object", "secret,id=sec0,format=raw,file=" + secret,
                    "--image-opts", "driver=luks,key-secret=sec0,file.filename=" + luks));
            for (String c : commands) {
                cmd.add("-c");
                cmd.add(c);
            }
            return QEMU_IMG.run(cmd);
        } finally {
            Files.deleteIfExists(secret);
        }
    }
}
