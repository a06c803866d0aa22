package io.elasticcloud.storage.lvm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.elasticcloud.protocol.ElasticException;
import io.elasticcloud.protocol.secret.MasterKey;
import io.elasticcloud.protocol.storage.Cipher;
import io.elasticcloud.storage.host.FakeHostCommands.Call;
import io.elasticcloud.storage.host.HostCommands.Result;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The backend's steps on the storage host, on {@link FakeLvm}: where keys go, what a crash or a
 * failure leaves, the order that keeps a volume whole. The same backend against real LVM and
 * dm-crypt is {@link LvmVolumeBackendContractTest}.
 */
class LvmVolumeBackendTest {
    private final FakeLvm lvm = new FakeLvm();
    private final MasterKey masterKey = MasterKey.random();

    private final FakeLvm.NoDevices devices = new FakeLvm.NoDevices();

    private LvmVolumeBackend backend() throws IOException {
        return lvm.backend(devices, masterKey);
    }

    @Test
    void theKeyReachesCryptsetupOnItsStdinOnlyAndTheLvKeepsItWrapped() throws IOException {
        backend().create("secret", 1 << 20, Cipher.AES_XTS_PLAIN, null);
        Call format = lvm.host.lastCall("cryptsetup", "luksFormat");
        String passphrase = format.stdinText();
        assertThat(passphrase).matches("[A-Za-z0-9_-]{43}");
        assertThat(lvm.host.lastCall("cryptsetup", "open").stdinText()).isEqualTo(passphrase);
        assertThat(format.argv()).contains("luks1", "aes-xts-plain64", "512", "--key-file=-");
        for (Call call : lvm.host.calls()) {
            assertThat(String.join(" ", call.argv())).doesNotContain(passphrase);
            assertThat(call.toString()).doesNotContain(passphrase);
            if (!call.startsWith(List.of("cryptsetup", "luksFormat")) && !call.startsWith(List.of("cryptsetup", "open"))) {
                assertThat(call.stdin()).as(call.toString()).isEmpty();
            }
        }
        String keyTag = lvm.lvs.get("ev-secret").tags().stream().filter(t -> t.startsWith("elastic-key:")).findFirst().orElseThrow();
        byte[] wrapped = java.util.Base64.getDecoder().decode(keyTag.substring("elastic-key:".length()));
        assertThat(new String(masterKey.unwrap("secret", wrapped), StandardCharsets.US_ASCII)).isEqualTo(passphrase);
        assertThat(lvm.lvs.get("ev-secret").tags()).doesNotContain(LvmNames.PARTIAL_TAG);
    }

    @Test
    void anEncryptedVolumeHasRoomForItsHeaderAndWholeSectors() throws IOException {
        backend().create("odd", 1000, Cipher.AES_XTS_PLAIN, null);
        backend().create("plain", 1000, Cipher.NONE, null);
        assertThat(lvm.lvs.get("ev-odd").size()).isEqualTo(2 * 1024 * 1024 + 1024);
        assertThat(lvm.lvs.get("ev-plain").size()).isEqualTo(1024);
        assertThat(backend().describe("odd")).map(v -> v.size()).contains(1000L);
    }

    @Test
    void aPoolThatDoesNotZeroNewBlocksIsRefused() {
        lvm.poolAttr = "twi-aot---";
        assertThatThrownBy(this::backend).isInstanceOf(IOException.class).hasMessageContaining("zero");
    }

    @Test
    void thePoolsUnallocatedPartIsTheRoomUntilItsMetadataFillsUp() throws IOException {
        LvmVolumeBackend backend = backend();
        assertThat(backend.usableSpace()).isEqualTo((1L << 30) * 3 / 4);
        assertThat(backend.poolSize()).isEqualTo(1L << 30);
        lvm.poolMetadata = "80.50";
        assertThat(backend.usableSpace()).as("a pool whose metadata fills turns read-only").isZero();
    }

    @Test
    void unfinishedCreationsAreSweptAtStartAndOthersKept() throws IOException {
        lvm.lvs.put("ev-half", new FakeLvm.Lv(4096, List.of("elastic-partial", "elastic-size:4096", "elastic-cipher:none")));
        lvm.lvs.put("ev-whole", new FakeLvm.Lv(4096, List.of("elastic-size:4096", "elastic-cipher:none")));
        lvm.lvs.put("someone-elses", new FakeLvm.Lv(4096, List.of()));
        lvm.mappings.add("ec-half");
        LvmVolumeBackend backend = backend();
        assertThat(lvm.lvs).containsOnlyKeys("ev-whole", "someone-elses");
        assertThat(lvm.mappings).isEmpty();
        assertThat(backend.list()).extracting(v -> v.volume()).containsExactly("whole");
    }

    @Test
    void aFailedFormatLeavesNoVolume() throws IOException {
        LvmVolumeBackend backend = backend();
        lvm.host.when("cryptsetup", "luksFormat").thenExit(1, "Cannot format device");
        assertThatThrownBy(() -> backend.create("broken", 4096, Cipher.AES_XTS_PLAIN, null))
                .isInstanceOf(IOException.class).hasMessageContaining("Cannot format device");
        assertThat(lvm.lvs).doesNotContainKey("ev-broken");
        assertThat(backend.describe("broken")).isEmpty();
    }

    @Test
    void growRaisesTheSizeOnlyOnceTheBytesExist() throws IOException {
        LvmVolumeBackend backend = backend();
        backend.create("grows", 4096, Cipher.AES_XTS_PLAIN, null);
        lvm.host.clearCalls();
        assertThat(backend.grow("grows", 8192).size()).isEqualTo(8192);
        List<String> steps = lvm.host.commands().stream().map(argv -> argv.get(0) + " " + argv.get(1))
                .filter(s -> !s.equals("lvm lvs") && !s.equals("cryptsetup status")).toList();
        assertThat(steps).containsExactly("lvm lvextend", "cryptsetup resize", "lvm lvchange");
        assertThat(lvm.host.lastCall("lvm", "lvchange").argv())
                .containsSequence("--deltag", "elastic-size:4096", "--addtag", "elastic-size:8192");
    }

    @Test
    void destroyStopsServingClosesTheMappingThenRemovesTheLv() throws IOException {
        LvmVolumeBackend backend = backend();
        backend.create("doomed", 4096, Cipher.AES_XTS_PLAIN, null);
        lvm.host.clearCalls();
        assertThat(backend.destroy("doomed")).isTrue();
        assertThat(devices.released).containsExactly("/dev/mapper/ec-doomed", "/dev/vg/ev-doomed");
        List<String> steps = lvm.host.commands().stream().map(argv -> argv.get(0) + " " + argv.get(1))
                .filter(s -> !s.equals("lvm lvs") && !s.equals("cryptsetup status")).toList();
        assertThat(steps).containsExactly("cryptsetup close", "lvm lvremove");
        assertThat(backend.destroy("doomed")).isFalse();
    }

    @Test
    void namesAndExistingVolumesAreCheckedBeforeAnythingRuns() throws IOException {
        LvmVolumeBackend backend = backend();
        backend.create("taken", 4096, Cipher.NONE, null);
        lvm.host.clearCalls();
        assertThatThrownBy(() -> backend.create("taken", 4096, Cipher.NONE, null)).isInstanceOf(ElasticException.class);
        assertThatThrownBy(() -> backend.create("../x", 4096, Cipher.NONE, null)).isInstanceOf(ElasticException.class);
        assertThat(lvm.host.commands()).noneMatch(argv -> argv.contains("lvcreate"));
    }

    @Test
    void aStorageHostThatFailsSaysWhatFailedWithoutTheKey() throws IOException {
        LvmVolumeBackend backend = backend();
        lvm.host.when("cryptsetup", "open").thenReturn(new Result(2, new byte[0],
                "No key available with this passphrase.".getBytes(StandardCharsets.UTF_8)));
        assertThatThrownBy(() -> backend.create("locked", 4096, Cipher.AES_XTS_PLAIN, null))
                .isInstanceOf(IOException.class)
                .hasMessageContaining("cryptsetup open failed on the storage host (exit 2): No key available");
    }
}
