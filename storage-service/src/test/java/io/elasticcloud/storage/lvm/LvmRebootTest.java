package io.elasticcloud.storage.lvm;

import static org.assertj.core.api.Assertions.assertThat;

import io.elasticcloud.protocol.secret.MasterKey;
import io.elasticcloud.protocol.storage.Cipher;
import io.elasticcloud.storage.host.GuestAgentCommands;
import io.elasticcloud.storage.volume.VolumeHandle;
import java.io.IOException;
import java.time.Duration;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * A storage box restarted under a running backend: its volume group, volumes and data come back,
 * and the backend opens them again by itself (mappings and exports are gone after a reboot); a
 * backend started afterwards (the storage service restarted too) finds them as well.
 */
@Tag("guest")
@Tag("root")
class LvmRebootTest {
    private static final Duration TIMEOUT = Duration.ofSeconds(60);
    private static final MasterKey MASTER_KEY = MasterKey.random();

    @Test
    void volumesComeBackAfterTheStorageHostRestarts() throws IOException {
        StorageBox box = StorageBox.shared();
        byte[] sealed = random(3 << 20, 1);
        byte[] plain = random(1 << 20, 2);
        try (LvmVolumeBackend backend = backend(box)) {
            backend.create("reboot-sealed", 8 << 20, Cipher.AES_XTS_PLAIN, null);
            backend.create("reboot-plain", 8 << 20, Cipher.NONE, null);
            write(backend, "reboot-sealed", 12_345, sealed);
            write(backend, "reboot-plain", 4096, plain);

            box.stop();
            StorageBox.start("test", box.dir(), box.address(), "4G");

            assertThat(read(backend, "reboot-sealed", 12_345, sealed.length)).isEqualTo(sealed);
            assertThat(read(backend, "reboot-plain", 4096, plain.length)).isEqualTo(plain);
            assertThat(read(backend, "reboot-sealed", 0, 12_345)).as("holes still read as zeros").isEqualTo(new byte[12_345]);
        }
        try (LvmVolumeBackend again = backend(box)) {
            assertThat(again.list()).extracting(v -> v.volume()).contains("reboot-sealed", "reboot-plain");
            assertThat(read(again, "reboot-sealed", 12_345, sealed.length)).isEqualTo(sealed);
            again.destroy("reboot-sealed");
            again.destroy("reboot-plain");
        }
    }

    private static LvmVolumeBackend backend(StorageBox box) throws IOException {
        GuestAgentCommands commands = new GuestAgentCommands(box.agent());
        return new LvmVolumeBackend(commands, TIMEOUT, box.vg(), "thinpool",
                new BoxDevices(commands, box.address(), 10809, 10872, TIMEOUT), MASTER_KEY);
    }

    private static byte[] random(int length, long seed) {
        byte[] bytes = new byte[length];
        new Random(seed).nextBytes(bytes);
        return bytes;
    }

    private static void write(LvmVolumeBackend backend, String volume, long offset, byte[] data) throws IOException {
        try (VolumeHandle h = backend.open(volume)) {
            h.write(offset, data, 0, data.length);
            h.force();
        }
    }

    private static byte[] read(LvmVolumeBackend backend, String volume, long offset, int length) throws IOException {
        byte[] back = new byte[length];
        try (VolumeHandle h = backend.open(volume)) {
            return Arrays.copyOf(back, h.readFully(offset, back, 0, length));
        }
    }
}
