package io.elasticcloud.storage.export;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.elasticcloud.storage.host.FakeHostCommands;
import io.elasticcloud.storage.host.FakeHostCommands.Call;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

/**
 * Export daemons in a storage box, on {@link FakeHostCommands}: the commands the box runs (fixed
 * scripts, the paths and pids their arguments), what their answers mean, and a box that does not
 * answer. The same daemons in a real box are {@code LvmGuestExportRealTest}'s.
 */
class BoxExportDaemonsTest {
    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final Duration TIMEOUT = Duration.ofSeconds(7);
    private static final Path PID_FILE = Path.of("/srv/data/exports/pool-lvm/pool-lvm.v1.ro.pid");
    private static final String BOX_PID_FILE = "/run/elastic-exports/pool-lvm/pool-lvm.v1.ro.pid";

    private final FakeHostCommands box = new FakeHostCommands();
    private final BoxExportDaemons daemons = new BoxExportDaemons(box, TIMEOUT,
            volume -> volume.equals("v1") ? OptionalLong.of(8 << 20) : OptionalLong.empty());

    @SuppressWarnings("unchecked")
    private static Map<String, Object> json(String text) {
        return JSON.readValue(text, Map.class);
    }

    private static ExportDaemons.Launch launch(boolean readOnly) {
        return new ExportDaemons.Launch(Path.of("/dev/elastic/ev-v1"), "169.254.77.40", 10873, "v1", PID_FILE, readOnly);
    }

    @Test
    void aDaemonStartsInTheBoxOnTheDeviceWithItsPidFileThereAndItsPathsAsArguments() throws IOException {
        box.when("sh", "-c", BoxExportDaemons.START).thenOutput("231\n");

        assertThat(daemons.start(launch(true))).isEqualTo(231);

        Call call = box.lastCall("sh");
        List<String> argv = call.argv();
        assertThat(argv.subList(0, 6)).containsExactly("sh", "-c", BoxExportDaemons.START, "start",
                "/run/elastic-exports/pool-lvm/", BOX_PID_FILE);
        assertThat(argv.subList(6, 10)).containsExactly("qemu-storage-daemon", "--daemonize", "--pidfile", BOX_PID_FILE);
        assertThat(argv.get(2)).doesNotContain("/dev/", "/run/elastic-exports/pool-lvm");
        Map<String, Object> blockdev = json(argv.get(argv.indexOf("--blockdev") + 1));
        assertThat(blockdev).as("the volume's bytes, not the whole LV").containsEntry("driver", "raw")
                .containsEntry("size", 8 << 20).containsEntry("node-name", "volume").containsEntry("read-only", true);
        assertThat(blockdev.get("file")).isEqualTo(Map.of("driver", "host_device", "filename", "/dev/elastic/ev-v1",
                "cache", Map.of("direct", true), "aio", "native"));
        Map<String, Object> export = json(argv.get(argv.indexOf("--export") + 1));
        assertThat(export).containsEntry("name", "v1").containsEntry("writable", false);
        assertThat(argv.get(argv.indexOf("--nbd-server") + 1)).contains("169.254.77.40", "10873");
        assertThat(call.timeout()).isEqualTo(TIMEOUT);
        assertThat(call.stdin()).isEmpty();
    }

    @Test
    void aWritableExportOpensTheDeviceReadWriteAndWithoutASizeTheWholeDevice() throws IOException {
        List<String> argv = daemons.command(launch(false), OptionalLong.empty());
        Map<String, Object> blockdev = json(argv.get(argv.indexOf("--blockdev") + 1));
        assertThat(blockdev).doesNotContainKey("read-only").containsEntry("driver", "host_device")
                .containsEntry("filename", "/dev/elastic/ev-v1").containsEntry("aio", "native");
        assertThat(json(argv.get(argv.indexOf("--export") + 1))).containsEntry("writable", true);
    }

    @Test
    void withTlsTheDaemonInTheBoxReadsItsCertificatesFromTheDirectoryInTheBox() {
        List<String> argv = daemons.command(new ExportDaemons.Launch(Path.of("/dev/elastic/ev-v1"), "169.254.77.40", 10873,
                "v1", PID_FILE, false, "/etc/elastic/nbd-tls"), OptionalLong.empty());
        assertThat(json(argv.get(argv.indexOf("--object") + 1))).containsEntry("qom-type", "tls-creds-x509")
                .containsEntry("endpoint", "server").containsEntry("dir", "/etc/elastic/nbd-tls")
                .containsEntry("verify-peer", true);
        assertThat(json(argv.get(argv.indexOf("--nbd-server") + 1))).containsEntry("tls-creds", "tls");
    }

    @Test
    void aTakenPortIsALaunchFailureThatMayTryAnotherAndAnUnreachableBoxIsNoLaunchFailure() {
        box.when("sh", "-c", BoxExportDaemons.START)
                .thenExit(1, "qemu-storage-daemon: --nbd-server ...: Failed to find an available port: Address already in use")
                .thenExit(1, "qemu-storage-daemon: Could not open '/dev/elastic/ev-v1': No such file or directory")
                .thenThrow(new IOException("the guest agent did not answer"));

        assertThatThrownBy(() -> daemons.start(launch(false))).isInstanceOfSatisfying(ExportDaemons.LaunchFailure.class,
                e -> assertThat(e.portTaken()).isTrue());
        assertThatThrownBy(() -> daemons.start(launch(false))).isInstanceOfSatisfying(ExportDaemons.LaunchFailure.class,
                e -> assertThat(e.portTaken()).isFalse()).hasMessageContaining("Could not open");
        assertThatThrownBy(() -> daemons.start(launch(false))).isInstanceOf(IOException.class)
                .isNotInstanceOf(ExportDaemons.LaunchFailure.class).hasMessageContaining("did not answer");
    }

    @Test
    void aliveAsksTheBoxByPidAndPidFileAndABoxThatDoesNotAnswerHasNoDaemons() {
        box.when("sh", "-c", BoxExportDaemons.ALIVE).thenSucceed().thenExit(1, "")
                .thenThrow(new IOException("the guest agent did not answer"));

        assertThat(daemons.alive(231, PID_FILE)).isTrue();
        assertThat(daemons.alive(231, PID_FILE)).isFalse();
        assertThat(daemons.alive(231, PID_FILE)).isFalse();
        assertThat(box.lastCall("sh").argv()).containsExactly("sh", "-c", BoxExportDaemons.ALIVE, "alive", "231", BOX_PID_FILE);
    }

    @Test
    void stopOnlyEndsADaemonOfOursAndAnUnreachableBoxIsNoError() {
        box.when("sh", "-c", BoxExportDaemons.STOP).thenSucceed().thenThrow(new IOException("gone"));

        daemons.stop(231);
        daemons.stop(232);

        assertThat(box.commands()).containsExactly(
                List.of("sh", "-c", BoxExportDaemons.STOP, "stop", "231", "/run/elastic-exports/"),
                List.of("sh", "-c", BoxExportDaemons.STOP, "stop", "232", "/run/elastic-exports/"));
    }

    @Test
    void runningListsThePidsTheBoxFindsUnderThePoolsDirectory() {
        box.when("sh", "-c", BoxExportDaemons.RUNNING).thenOutput("231\n247\n");

        assertThat(daemons.running(PID_FILE.getParent())).containsExactlyInAnyOrder(231L, 247L);
        assertThat(box.lastCall("sh").argv()).containsExactly("sh", "-c", BoxExportDaemons.RUNNING, "running",
                "/run/elastic-exports/pool-lvm/");
    }

    @Test
    void pidFilesAndDevicesAreLookedUpInTheBox() throws IOException {
        box.when("cat", BOX_PID_FILE).thenOutput("231\n").thenExit(1, "cat: can't open: No such file or directory");
        box.when("test", "-e").thenSucceed().thenExit(1, "");

        assertThat(daemons.pid(PID_FILE)).contains(231L);
        assertThat(daemons.pid(PID_FILE)).isEqualTo(Optional.empty());
        assertThat(daemons.exists(Path.of("/dev/elastic/ev-v1"))).isTrue();
        assertThat(daemons.exists(Path.of("/dev/elastic/ev-v1"))).isFalse();
        assertThat(box.lastCall("test").argv()).containsExactly("test", "-e", "/dev/elastic/ev-v1");
    }
}
