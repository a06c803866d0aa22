package io.elasticcloud.storage.luks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.SecureRandom;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Formatting in Java, checked by our own reader (the interop tests check it against qemu). */
class LuksFormatterTest {
    static final byte[] PASSPHRASE = "correct-horse-battery-staple".getBytes(StandardCharsets.US_ASCII);

    @TempDir
    Path dir;

    @Test
    void aFormattedVolumeUnlocksWithItsPassphraseToTheSameKey() throws IOException {
        Path file = dir.resolve("v.luks");
        LuksKey made = LuksFormatter.format(file, 10_000, PASSPHRASE);
        assertThat(made.payloadOffset()).isEqualTo(2_068_480);
        // the payload rounded up to whole sectors
        assertThat(Files.size(file)).isEqualTo(2_068_480 + 10_240);
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            LuksKey unlocked = LuksKey.unlock(ch, PASSPHRASE);
            assertThat(unlocked.payloadOffset()).isEqualTo(made.payloadOffset());
            byte[] a = new byte[1024];
            new Random(5).nextBytes(a);
            byte[] b = a.clone();
            made.newCipher().encrypt(a, 0, a.length, 7);
            unlocked.newCipher().encrypt(b, 0, b.length, 7);
            assertThat(b).isEqualTo(a);
            assertThatThrownBy(() -> LuksKey.unlock(ch, "wrong".getBytes(StandardCharsets.US_ASCII)))
                    .isInstanceOf(LuksFormatException.class);
        }
    }

    @Test
    void theHeaderHasOneActiveSlotAndFixedIterations() throws IOException {
        Path file = dir.resolve("v.luks");
        LuksFormatter.format(file, 0, PASSPHRASE);
        LuksHeader h = LuksHeader.parse(ByteBuffer.wrap(Files.readAllBytes(file), 0, LuksHeader.LENGTH));
        assertThat(h.cipherName()).isEqualTo("aes");
        assertThat(h.cipherMode()).isEqualTo("xts-plain64");
        assertThat(h.hash()).isEqualTo(LuksHash.SHA256);
        assertThat(h.keyBytes()).isEqualTo(64);
        assertThat(h.masterKeyDigestIterations()).isEqualTo(LuksFormatter.ITERATIONS);
        assertThat(h.keySlots()).extracting(LuksHeader.KeySlot::active)
                .containsExactly(true, false, false, false, false, false, false, false);
        assertThat(h.keySlots().get(0).iterations()).isEqualTo(LuksFormatter.ITERATIONS);
        assertThat(h.keySlots().get(1).salt()).containsOnly((byte) 0);
        assertThat(LuksHeader.parse(h.encode()).encode()).isEqualTo(h.encode());
        assertThat(h.encode().remaining()).isEqualTo(LuksHeader.LENGTH);
    }

    @Test
    void formatNeverOverwritesAFile() throws IOException {
        Path file = Files.write(dir.resolve("taken"), new byte[] {1});
        assertThatThrownBy(() -> LuksFormatter.format(file, 4096, PASSPHRASE)).isInstanceOf(FileAlreadyExistsException.class);
        assertThat(Files.readAllBytes(file)).containsExactly(1);
    }

    @Test
    void afMergeUndoesAfSplit() {
        byte[] key = new byte[64];
        new Random(6).nextBytes(key);
        byte[] material = AfSplitter.split(key, 4000, LuksHash.SHA256, new SecureRandom());
        assertThat(material).hasSize(64 * 4000);
        assertThat(AfSplitter.merge(material, 64, 4000, LuksHash.SHA256)).isEqualTo(key);
        material[12345] ^= 1;
        assertThat(AfSplitter.merge(material, 64, 4000, LuksHash.SHA256)).isNotEqualTo(key);
    }
}
