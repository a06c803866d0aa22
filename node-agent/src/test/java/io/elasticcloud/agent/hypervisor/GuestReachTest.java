package io.elasticcloud.agent.hypervisor;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Whether libvirt's guest user can pass through a directory, and the operator's message when not. */
class GuestReachTest {
    private static final GuestUser QEMU = new GuestUser("libvirt-qemu", 64055, Set.of(113, 64055));

    @ParameterizedTest(name = "uid {0} gid {1} mode {2}: {3}")
    @CsvSource(textBlock = """
            0,     0,     0711, true
            0,     0,     0700, false
            0,     0,     0750, false
            0,     113,   0750, true
            0,     113,   0701, false
            64055, 0,     0700, true
            64055, 0,     0077, false
            0,     64055, 0010, true
            0,     0,     0001, true
            """)
    void passesThroughAsTheKernelDecides(int uid, int gid, String mode, boolean passes) {
        assertThat(QEMU.canPass(new GuestUser.Mode(uid, gid, Integer.parseInt(mode, 8)))).isEqualTo(passes);
    }

    @Test
    void namesTheFirstDirectoryOnTheWayItCannotPass() throws IOException {
        Map<Path, GuestUser.Mode> modes = Map.of(
                Path.of("/"), new GuestUser.Mode(0, 0, 0755),
                Path.of("/srv"), new GuestUser.Mode(0, 0, 0755),
                Path.of("/srv/ci"), new GuestUser.Mode(0, 0, 0700),
                Path.of("/srv/ci/data"), new GuestUser.Mode(0, 0, 0700),
                Path.of("/srv/ci/data/volumes"), new GuestUser.Mode(0, 0, 0711));
        GuestUser.Stat stat = dir -> {
            GuestUser.Mode m = modes.get(dir);
            if (m == null) {
                throw new NoSuchFileException(dir.toString());
            }
            return m;
        };

        assertThat(QEMU.blockedAt(Path.of("/srv/ci/data/volumes"), stat)).hasValue(Path.of("/srv/ci"));
        assertThat(new GuestUser("root", 0, Set.of(0)).blockedAt(Path.of("/srv/ci/data/volumes"), stat)).isEmpty();
    }

    @Test
    void theMessageNamesTheBlockingDirectoryThePoolAndWhatToDo() {
        GuestUser.Stat stat = dir -> new GuestUser.Mode(0, 0, dir.equals(Path.of("/tmp")) ? 0700 : 0755);

        // /tmp exists on every test machine; what the stat says of it decides
        assertThat(GuestReach.problems(QEMU, Map.of("storage pool pool-0", Path.of("/tmp")), stat))
                .singleElement().asString()
                .contains("libvirt-qemu (uid 64055)", "cannot pass through /tmp", "mode 700", "storage pool pool-0",
                        "chmod o+x /tmp");
        assertThat(GuestReach.problems(QEMU, Map.of("storage pool pool-0", Path.of("/tmp")),
                dir -> new GuestUser.Mode(0, 0, 0711))).isEmpty();
    }
}
