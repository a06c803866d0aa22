package io.elasticcloud.storage.export;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The daemon's command line: a read-only export refuses writes and opens its file read-only; with a
 * TLS directory the NBD server takes x509 credentials that verify the client's certificate; a stop
 * returns as soon as the daemon (no child of ours) is gone.
 */
class QemuStorageDaemonsTest {

    @ParameterizedTest(name = "readOnly={0}")
    @CsvSource(delimiter = '|', value = {
        "false | {\"driver\":\"file\",\"filename\":\"/v/a.raw\",\"node-name\":\"volume\"} | {\"type\":\"nbd\",\"id\":\"export\",\"node-name\":\"volume\",\"name\":\"a\",\"writable\":true}",
        "true  | {\"driver\":\"file\",\"filename\":\"/v/a.raw\",\"node-name\":\"volume\",\"read-only\":true} | {\"type\":\"nbd\",\"id\":\"export\",\"node-name\":\"volume\",\"name\":\"a\",\"writable\":false}",
    })
    void theExportIsWritableOnlyForAWritableAttachment(boolean readOnly, String blockdev, String export) {
        List<String> command = new QemuStorageDaemons("qemu-storage-daemon", Duration.ofSeconds(5)).command(
                new ExportDaemons.Launch(Path.of("/v/a.raw"), "127.0.0.1", 10809, "a", Path.of("/s/p.pid"), readOnly));
        assertThat(command.get(command.indexOf("--blockdev") + 1)).isEqualTo(blockdev);
        assertThat(command.get(command.indexOf("--export") + 1)).isEqualTo(export);
        assertThat(command).doesNotContain("--object");
        assertThat(command.get(command.indexOf("--nbd-server") + 1)).doesNotContain("tls");
    }

    @Test
    void withATlsDirectoryTheServerRequiresTlsAndAClientCertificateOfItsCa() {
        List<String> command = new QemuStorageDaemons("qemu-storage-daemon", Duration.ofSeconds(5)).command(
                new ExportDaemons.Launch(Path.of("/v/a.raw"), "127.0.0.1", 10809, "a", Path.of("/s/p.pid"), false,
                        "/etc/elastic/nbd, tls"));
        assertThat(command.get(command.indexOf("--object") + 1)).isEqualTo("{\"qom-type\":\"tls-creds-x509\","
                + "\"id\":\"tls\",\"endpoint\":\"server\",\"dir\":\"/etc/elastic/nbd, tls\",\"verify-peer\":true}");
        assertThat(command.get(command.indexOf("--nbd-server") + 1)).startsWith("{\"addr\":{")
                .contains("\"host\":\"127.0.0.1\"").endsWith("},\"tls-creds\":\"tls\"}");
        assertThat(command.indexOf("--object")).as("the credentials exist before the server names them")
                .isLessThan(command.indexOf("--nbd-server"));
    }

    @Test
    void aTlsDirectoryWithoutItsThreeFilesStopsTheServiceAtStart(@TempDir Path dir) throws IOException {
        Files.writeString(dir.resolve("ca-cert.pem"), "ca");
        Files.writeString(dir.resolve("server-cert.pem"), "cert");
        assertThatThrownBy(() -> StorageDaemonCommand.serverTlsDir(dir)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("server-key.pem");
        Files.writeString(dir.resolve("server-key.pem"), "key");
        assertThat(StorageDaemonCommand.serverTlsDir(dir)).isEqualTo(dir.toAbsolutePath().normalize());
    }

    /** The reported case: each stop waited about 1.4 s for the JDK to notice a non-child's exit, one after another. */
    @Test
    void aStopReturnsOnceTheDaemonIsGoneThoughItIsNoChildOfOurs() throws Exception {
        Process starter = new ProcessBuilder("sh", "-c", "setsid sleep 60 > /dev/null 2>&1 < /dev/null & echo $!").start();
        long pid = Long.parseLong(new String(starter.getInputStream().readAllBytes()).trim());
        starter.waitFor();
        assertThat(ProcessHandle.of(pid)).as("the daemon stand-in runs").isPresent();

        long begun = System.nanoTime();
        new QemuStorageDaemons("/usr/bin/qemu-storage-daemon", Duration.ofSeconds(5)).stop(pid);
        assertThat(Duration.ofNanos(System.nanoTime() - begun)).isLessThan(Duration.ofSeconds(1));
        assertThat(QemuStorageDaemons.exited(pid)).as("stopped").isTrue();
    }
}
