package io.elasticcloud.cli.transfer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TransferStateTest {

    @Test
    void anUploadStateSurvivesSaveAndLoad(@TempDir Path dir) throws IOException {
        TransferState s = TransferState.upload("d-1", true, 4194304, 123456789L, "/data/img", 123456789L, 1700000000123L);
        for (int i = 0; i < 40; i++) {
            s.markDone(i, 0xfedcba98L - i);
        }
        s.setSubmitted(104);
        Path file = dir.resolve("img.elastic-upload");
        s.save(file);
        assertThat(dir.resolve("img.elastic-upload.tmp")).doesNotExist();
        String text = Files.readString(file);
        assertThat(text).startsWith("# elastic drives upload: resume state").contains("drive d-1\n", "done 40\n",
                "chunk 4194304\n", "crc32 fedcba98 fedcba97");

        TransferState back = TransferState.load(file);
        assertThat(back.kind()).isEqualTo("upload");
        assertThat(back.drive()).isEqualTo("d-1");
        assertThat(back.created()).isTrue();
        assertThat(back.chunkSize()).isEqualTo(4194304);
        assertThat(back.length()).isEqualTo(123456789L);
        assertThat(back.source()).isEqualTo("/data/img");
        assertThat(back.sourceModified()).isEqualTo(1700000000123L);
        assertThat(back.submitted()).isEqualTo(104);
        assertThat(back.done()).isEqualTo(40);
        assertThat(back.crc(39)).isEqualTo(0xfedcba98L - 39);
        assertThat(back.format()).isEqualTo(s.format());
    }

    @Test
    void chunksAreDoneInOrderAndCanBeForgotten() {
        TransferState s = TransferState.download("d-2", 4096, 10000);
        s.markDone(0, 1);
        assertThatThrownBy(() -> s.markDone(2, 1)).isInstanceOf(IllegalStateException.class);
        s.markDone(1, 2);
        s.markDone(2, 3);
        s.truncate(1);
        assertThat(s.done()).isEqualTo(1);
        s.markDone(1, 7);
        assertThat(s.crc(1)).isEqualTo(7);
    }

    @Test
    void aSaveReplacesTheOldFileWhole(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("f.elastic-download");
        TransferState s = TransferState.download("d-3", 4096, 1 << 20);
        s.save(file);
        s.markDone(0, 5);
        s.save(file);
        assertThat(TransferState.load(file).done()).isEqualTo(1);
        try (var files = Files.list(dir)) {
            assertThat(files).containsExactly(file);
        }
    }

    @Test
    void aDamagedStateIsRefusedWithAdvice(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("x.elastic-upload");
        Files.writeString(file, "kind upload\ndrive d\nchunk 4194304\nlength 10\ndone 2\ncrc32 00000001\n");
        assertThatThrownBy(() -> TransferState.load(file)).hasMessageContaining("delete it to start over");
        Files.writeString(file, "garbage");
        assertThatThrownBy(() -> TransferState.load(file)).hasMessageContaining("not a resume state");
    }
}
