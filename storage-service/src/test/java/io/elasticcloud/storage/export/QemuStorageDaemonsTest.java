package io.elasticcloud.storage.export;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The daemon's command line: a read-only export refuses writes and opens its file read-only. */
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
    }
}
