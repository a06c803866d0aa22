package io.elasticcloud.storage.lvm;

import static org.assertj.core.api.Assertions.assertThat;

import io.elasticcloud.protocol.agent.NbdExport;
import io.elasticcloud.protocol.agent.VolumeAttachment;
import io.elasticcloud.protocol.secret.MasterKey;
import io.elasticcloud.protocol.storage.Cipher;
import io.elasticcloud.storage.export.BoxExportDaemons;
import io.elasticcloud.storage.export.NbdExports;
import io.elasticcloud.storage.host.GuestAgentCommands;
import io.elasticcloud.storage.nbd.NbdClient;
import io.elasticcloud.storage.nbd.NbdTarget;
import io.elasticcloud.storage.volume.VolumeHandle;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.OptionalLong;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What a guest's QEMU gets for an encrypted LVM volume, in a real storage box (169.254.77.41):
 * writable and read-only NBD exports of the LV served in the box, carrying the LUKS ciphertext (read
 * raw over NBD, the plaintext is not there), opened by QEMU's {@code luks} driver with the
 * attachment's passphrase (qemu-img and qemu-io on this host, as a guest's QEMU would); the
 * read-only one refuses writes; after the box restarts, {@link NbdExports#revive()} serves them again
 * on their ports, with what was written before; a restarted storage service adopts them.
 */
@Tag("guest")
@Tag("root")
class LvmGuestExportRealTest {
    private static final Duration TIMEOUT = Duration.ofSeconds(60);
    private static final MasterKey MASTER_KEY = MasterKey.random();
    private static final String VOLUME = "guest-sealed";
    private static final int MIB = 1 << 20;

    @TempDir
    Path dir;

    @Test
    void encryptedExportsOpenWithThePassphraseCarryCiphertextAndComeBackAfterTheBoxRestarts() throws Exception {
        StorageBox box = StorageBox.start("attach-test", dir.resolve("box"), "169.254.77.41", "4G");
        GuestAgentCommands agent = new GuestAgentCommands(box.agent());
        try (LvmVolumeBackend backend = new LvmVolumeBackend(agent, TIMEOUT, box.vg(), "thinpool",
                new BoxDevices(agent, box.address(), 10809, 10872, TIMEOUT), MASTER_KEY)) {
            byte[] marker = new byte[64 * 1024];
            new Random(14).nextBytes(marker);
            backend.create(VOLUME, 8 * MIB, Cipher.AES_XTS_PLAIN, null);
            try (VolumeHandle h = backend.open(VOLUME)) {
                h.write(MIB, marker, 0, marker.length);
                h.force();
            }
            VolumeAttachment attachment = backend.attachment(VOLUME);
            Path secret = Files.createFile(dir.resolve("secret"),
                    PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            Files.writeString(secret, attachment.passphrase(), StandardCharsets.US_ASCII);

            NbdExports exports = new NbdExports(new NbdExports.Settings(box.address(), 10873, 10880,
                    dir.resolve("exports")), new BoxExportDaemons(agent, TIMEOUT,
                    volume -> OptionalLong.of(backend.guestBytes(volume))));
            NbdExport rw = exports.attach("pool-lvm", VOLUME, Path.of(attachment.path()), "s1/1", false);
            NbdExport ro = exports.attach("pool-lvm", VOLUME, Path.of(attachment.path()), "s2/2", true);
            assertThat(rw.port()).isNotEqualTo(ro.port());

            byte[] wire = rawRead(rw, 0, 4 * MIB);
            assertThat(Arrays.copyOf(wire, 6)).as("a LUKS header on the wire")
                    .isEqualTo(new byte[] {'L', 'U', 'K', 'S', (byte) 0xba, (byte) 0xbe});
            assertThat(indexOf(wire, Arrays.copyOf(marker, 512))).as("no plaintext on the wire").isEqualTo(-1);

            byte[] seen = plaintext(ro, secret, "ro");
            assertThat(seen).as("the guest sees the drive's size, not the LV's").hasSize(8 * MIB);
            assertThat(Arrays.copyOfRange(seen, MIB, MIB + marker.length)).isEqualTo(marker);
            Result written = qemuIo(rw, secret, false, "write -P 0xa5 3M 4k");
            assertThat(written.exit()).as(written.output()).isZero();
            assertThat(read(backend, 3 * MIB, 4096)).containsOnly((byte) 0xa5);

            Result refused = qemuIo(ro, secret, true, "write -P 0x11 0 4k");
            assertThat(refused.output()).contains("read-only");
            assertThat(refused.exit()).isNotZero();
            Result notWritable = qemuIo(ro, secret, false, "read 0 4k");
            assertThat(notWritable.exit()).as(notWritable.output()).isNotZero();

            box.stop();
            box = StorageBox.start("attach-test", dir.resolve("box"), "169.254.77.41", "4G");
            int revived = 0;
            long deadline = System.nanoTime() + TIMEOUT.toNanos();
            while (revived < 2 && System.nanoTime() < deadline) {
                revived += exports.revive();
                if (revived < 2) {
                    Thread.sleep(1000);
                }
            }
            assertThat(revived).as("both exports started again").isEqualTo(2);
            assertThat(exports.list("pool-lvm")).extracting(e -> e.nbd()).containsExactlyInAnyOrder(rw, ro);

            byte[] again = plaintext(ro, secret, "ro-again");
            assertThat(Arrays.copyOfRange(again, MIB, MIB + marker.length)).isEqualTo(marker);
            Result rwAgain = qemuIo(rw, secret, false, "read -P 0xa5 3M 4k");
            assertThat(rwAgain.exit()).as(rwAgain.output()).isZero();
            assertThat(rwAgain.output()).contains("read 4096/4096");

            // the storage service restarts: its records name the daemons running in the box, adopted
            NbdExports restarted = new NbdExports(exports.settings(), new BoxExportDaemons(agent, TIMEOUT,
                    volume -> OptionalLong.of(backend.guestBytes(volume))));
            assertThat(restarted.list("pool-lvm")).isEqualTo(exports.list("pool-lvm"));
            assertThat(restarted.revive()).as("adopted, running: nothing to start").isZero();

            restarted.stopAll();
            backend.destroy(VOLUME);
        } finally {
            box.stop();
        }
    }

    /** Reads {@code length} bytes of the export as they travel: no decryption. */
    private static byte[] rawRead(NbdExport export, long offset, int length) throws IOException {
        try (NbdClient client = new NbdClient(new NbdTarget(export.host(), export.port(), export.export()),
                Duration.ofSeconds(5), TIMEOUT)) {
            byte[] bytes = new byte[length];
            client.read(offset, bytes, 0, length);
            return bytes;
        }
    }

    /** The volume's plaintext as the guest's QEMU sees it: qemu-img through the luks driver over NBD. */
    private byte[] plaintext(NbdExport export, Path secret, String name) throws IOException, InterruptedException {
        Path out = dir.resolve(name + ".raw");
        Result converted = run(List.of("qemu-img", "convert", "--object", "secret,id=sec0,file=" + secret,
                "--image-opts", imageOpts(export), "-O", "raw", out.toString()));
        assertThat(converted.exit()).as(converted.output()).isZero();
        return Files.readAllBytes(out);
    }

    private static Result qemuIo(NbdExport export, Path secret, boolean readOnly, String command)
            throws IOException, InterruptedException {
        List<String> argv = new ArrayList<>(List.of("qemu-io"));
        if (readOnly) {
            argv.add("-r");
        }
        argv.addAll(List.of("--object", "secret,id=sec0,file=" + secret, "--image-opts", imageOpts(export), "-c", command));
        return run(argv);
    }

    private static String imageOpts(NbdExport export) {
        return "driver=luks,key-secret=sec0,file.driver=nbd,file.server.type=inet,file.server.host=" + export.host()
                + ",file.server.port=" + export.port() + ",file.export=" + export.export();
    }

    private record Result(int exit, String output) {
    }

    private static Result run(List<String> argv) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(argv).redirectErrorStream(true).start();
        if (!p.waitFor(TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new IOException(argv.get(0) + " did not finish within " + TIMEOUT);
        }
        return new Result(p.exitValue(), new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
    }

    private static byte[] read(LvmVolumeBackend backend, long offset, int length) throws IOException {
        byte[] back = new byte[length];
        try (VolumeHandle h = backend.open(VOLUME)) {
            h.readFully(offset, back, 0, length);
        }
        return back;
    }

    private static int indexOf(byte[] haystack, byte[] needle) {
        outer:
        for (int i = 0; i + needle.length <= haystack.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }
}
