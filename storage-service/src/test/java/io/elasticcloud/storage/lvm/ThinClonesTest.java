package io.elasticcloud.storage.lvm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.elasticcloud.protocol.secret.MasterKey;
import io.elasticcloud.protocol.storage.Cipher;
import io.elasticcloud.storage.host.FakeHostCommands.Call;
import io.elasticcloud.storage.host.LvmReports;
import io.elasticcloud.storage.volume.VolumeBackend;
import io.elasticcloud.storage.volume.VolumeHandle;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Imaging by thin snapshot ({@link ThinClones} through {@link LvmVolumeBackend#cloneInto}) on
 * {@link FakeLvm}: the commands and their order, the tags, when it declines (the caller copies the
 * bytes then) and what the sweep at start does with what a crash left. The same against real LVM
 * is {@link LvmThinCloneBoxTest}.
 */
class ThinClonesTest {
    private static final long MIB = 1 << 20;

    private final FakeLvm lvm = new FakeLvm();
    private final List<String> released = new ArrayList<>();
    /** Writes through the opened devices, as "device@offset+length zeros|data". */
    private final List<String> writes = new ArrayList<>();

    private final VolumeDevices devices = new VolumeDevices() {
        @Override
        public VolumeHandle open(String device, long size) {
            return new VolumeHandle() {
                @Override
                public long size() {
                    return size;
                }

                @Override
                public int read(long offset, byte[] dst, int off, int len) {
                    throw new UnsupportedOperationException("no reads in this test");
                }

                @Override
                public void write(long offset, byte[] src, int off, int len) {
                    boolean zeros = true;
                    for (int i = off; i < off + len; i++) {
                        zeros &= src[i] == 0;
                    }
                    writes.add(device + "@" + offset + "+" + len + (zeros ? " zeros" : " data"));
                }

                @Override
                public void force() {
                }

                @Override
                public void close() {
                }
            };
        }

        @Override
        public void release(String device) {
            released.add(device);
        }

        @Override
        public void close() {
        }
    };

    private LvmVolumeBackend backend() throws IOException {
        return new LvmVolumeBackend(lvm.host, Duration.ofSeconds(5), "vg", "thinpool", devices, MasterKey.random());
    }

    private int mark() {
        return lvm.host.calls().size();
    }

    private List<List<String>> since(int mark) {
        return lvm.host.calls().subList(mark, lvm.host.calls().size()).stream().map(Call::argv).toList();
    }

    @Test
    void aNoneVolumeIntoANoneTargetIsASnapshotTaggedPartialThenFinishedThenRenamedInPlace() throws IOException {
        LvmVolumeBackend backend = backend();
        backend.create("src", 8 * MIB, Cipher.NONE, null);
        backend.create("dst", 8 * MIB, Cipher.NONE, null);
        int mark = mark();

        assertThat(backend.cloneInto("src", "dst", 8 * MIB)).isTrue();

        assertThat(since(mark)).containsExactly(
                LvmReports.lvs("vg"),
                List.of("lvm", "lvchange", "--addtag", "elastic-shared", "vg/ev-src"),
                List.of("lvm", "lvcreate", "--snapshot", "--setactivationskip", "n", "--activate", "y", "--name",
                        "ev-dst.clone", "--addtag", "elastic-partial", "--addtag", "elastic-size:" + 8 * MIB, "--addtag",
                        "elastic-cipher:none", "--addtag", "elastic-shared", "vg/ev-src"),
                List.of("lvm", "lvchange", "--deltag", "elastic-partial", "vg/ev-dst.clone"),
                List.of("lvm", "lvremove", "--yes", "vg/ev-dst"),
                List.of("lvm", "lvrename", "vg", "ev-dst.clone", "ev-dst"));
        assertThat(released).contains("/dev/vg/ev-dst");
        assertThat(lvm.lvs).containsOnlyKeys("ev-src", "ev-dst");
        assertThat(lvm.lvs.get("ev-dst").tags()).containsExactlyInAnyOrder("elastic-size:" + 8 * MIB,
                "elastic-cipher:none", "elastic-shared");
        assertThat(lvm.lvs.get("ev-src").tags()).contains("elastic-shared");
        assertThat(backend.describe("dst")).map(v -> v.cipher()).contains(Cipher.NONE);
        assertThat(writes).isEmpty();
    }

    @Test
    void aSourceAlreadySharedIsNotTaggedAgain() throws IOException {
        LvmVolumeBackend backend = backend();
        backend.create("src", MIB, Cipher.NONE, null);
        backend.create("a", MIB, Cipher.NONE, null);
        backend.create("b", MIB, Cipher.NONE, null);
        backend.cloneInto("src", "a", MIB);
        int mark = mark();
        assertThat(backend.cloneInto("src", "b", MIB)).isTrue();
        assertThat(since(mark)).noneMatch(argv -> argv.contains("vg/ev-src") && argv.contains("lvchange"));
        assertThat(lvm.lvs.get("ev-src").tags()).containsOnlyOnce("elastic-shared");
    }

    @Test
    void aLargerTargetIsGrownBeforeItIsFinishedAndTheSourceLvTailIsZeroed() throws IOException {
        LvmVolumeBackend backend = backend();
        backend.create("src", 1000, Cipher.NONE, null);
        backend.create("big", 4 * MIB, Cipher.NONE, null);
        int mark = mark();

        assertThat(backend.cloneInto("src", "big", 1000)).isTrue();

        List<List<String>> calls = since(mark);
        int extend = calls.indexOf(List.of("lvm", "lvextend", "--size", 4 * MIB + "b", "vg/ev-big.clone"));
        int finish = calls.indexOf(List.of("lvm", "lvchange", "--deltag", "elastic-partial", "vg/ev-big.clone"));
        assertThat(extend).isPositive().isLessThan(finish);
        assertThat(lvm.lvs.get("ev-big").size()).isEqualTo(4 * MIB);
        assertThat(lvm.lvs.get("ev-big").tags()).contains("elastic-size:" + 4 * MIB);
        // the source's LV is 1024 bytes (whole sectors): bytes 1000-1023 are zeroed in the target
        assertThat(writes).containsExactly("/dev/vg/ev-big@1000+24 zeros");
    }

    @Test
    void everyOtherCaseDeclinesHavingChangedNothing() throws IOException {
        LvmVolumeBackend backend = backend();
        backend.create("plain", MIB, Cipher.NONE, null);
        backend.create("secret", MIB, Cipher.AES_XTS_PLAIN, null);
        backend.create("target", MIB, Cipher.NONE, null);
        backend.create("small", MIB / 2, Cipher.NONE, null);
        backend.create("held", MIB, Cipher.NONE, null);
        lvm.openLvs.add("ev-held");
        int mark = mark();

        assertThat(backend.cloneInto("secret", "target", MIB)).as("encrypted source").isFalse();
        assertThat(backend.cloneInto("plain", "secret", MIB)).as("encrypted target").isFalse();
        assertThat(backend.cloneInto("plain", "small", MIB)).as("smaller target").isFalse();
        assertThat(backend.cloneInto("plain", "target", MIB / 2)).as("part of the source").isFalse();
        assertThat(backend.cloneInto("plain", "held", MIB)).as("target held open").isFalse();
        assertThat(backend.cloneInto("plain", "plain", MIB)).as("itself").isFalse();
        assertThat(backend.cloneInto("ghost", "target", MIB)).as("no source").isFalse();
        assertThat(backend.cloneInto("plain", "ghost", MIB)).as("no target").isFalse();

        assertThat(since(mark)).allMatch(argv -> argv.get(1).equals("lvs") || argv.get(0).equals("cryptsetup"));
        assertThat(lvm.lvs).containsOnlyKeys("ev-plain", "ev-secret", "ev-target", "ev-small", "ev-held");
        assertThat(lvm.lvs.get("ev-plain").tags()).doesNotContain("elastic-shared");
    }

    @Test
    void aBackendWithoutTheCapabilityDeclines() throws IOException {
        VolumeBackend plain = new io.elasticcloud.storage.volume.InMemoryVolumeBackend();
        plain.create("a", 4096, Cipher.NONE, null);
        plain.create("b", 4096, Cipher.NONE, null);
        assertThat(plain.cloneInto("a", "b", 4096)).isFalse();
    }

    @Test
    void aFailureBeforeTheCloneIsFinishedRemovesItAndLeavesTheTarget() throws IOException {
        LvmVolumeBackend backend = backend();
        backend.create("src", MIB, Cipher.NONE, null);
        backend.create("big", 2 * MIB, Cipher.NONE, null);
        lvm.host.when("lvm", "lvextend").thenExit(5, "Insufficient free space");

        assertThatThrownBy(() -> backend.cloneInto("src", "big", MIB)).isInstanceOf(IOException.class)
                .hasMessageContaining("Insufficient free space");

        assertThat(lvm.lvs).containsOnlyKeys("ev-src", "ev-big");
        assertThat(lvm.lvs.get("ev-big").tags()).doesNotContain("elastic-shared");
        assertThat(backend.describe("big")).map(v -> v.size()).contains(2 * MIB);
    }

    @Test
    void theSweepRemovesUnfinishedClonesAndPutsAFinishedOneInItsTargetsPlace() throws IOException {
        List<String> finished = List.of("elastic-size:" + MIB, "elastic-cipher:none", "elastic-shared");
        lvm.lvs.put("ev-src", new FakeLvm.Lv(MIB, List.of("elastic-size:" + MIB, "elastic-cipher:none", "elastic-shared")));
        // crashed before it was finished
        lvm.lvs.put("ev-a", new FakeLvm.Lv(MIB, List.of("elastic-size:" + MIB, "elastic-cipher:none")));
        lvm.lvs.put("ev-a.clone", new FakeLvm.Lv(MIB, List.of("elastic-partial", "elastic-size:" + MIB,
                "elastic-cipher:none", "elastic-shared")));
        // crashed before the target's LV was removed
        lvm.lvs.put("ev-b", new FakeLvm.Lv(MIB, List.of("elastic-size:" + MIB, "elastic-cipher:none")));
        lvm.lvs.put("ev-b.clone", new FakeLvm.Lv(MIB, finished));
        // crashed between the removal and the rename
        lvm.lvs.put("ev-c.clone", new FakeLvm.Lv(MIB, finished));

        LvmVolumeBackend backend = backend();

        assertThat(lvm.lvs).containsOnlyKeys("ev-src", "ev-a", "ev-b", "ev-c");
        assertThat(lvm.lvs.get("ev-c").tags()).isEqualTo(finished);
        assertThat(backend.list()).extracting(v -> v.volume()).containsExactly("a", "b", "c", "src");
    }

    @Test
    void aSharedVolumeCountsAsWhollyUnwritten() throws IOException {
        LvmVolumeBackend backend = backend();
        backend.create("src", 8 * MIB, Cipher.NONE, null);
        backend.create("dst", 8 * MIB, Cipher.NONE, null);
        // the fake reports every volume half written
        assertThat(backend.space()).isEqualTo(new VolumeBackend.Space(16 * MIB, 8 * MIB));
        backend.cloneInto("src", "dst", 8 * MIB);
        assertThat(backend.space()).isEqualTo(new VolumeBackend.Space(16 * MIB, 16 * MIB));
    }
}
