package io.elasticcloud.storage.lvm;

import static org.assertj.core.api.Assertions.assertThat;

import io.elasticcloud.storage.volume.VolumeHandle;
import java.io.IOException;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/**
 * {@link HoleKeepingHandle} over a stand-in for dm-crypt: the "ciphertext" is the plaintext XOR
 * 0x5A, so a hole (zeros underneath) reads through the stand-in as 0x5A noise, as through dm-crypt.
 */
class HoleKeepingHandleTest {
    private static final int SIZE = 64 << 10;
    private static final int HEADER = 4096;

    private final byte[] lv = new byte[HEADER + SIZE];
    private final Device plain = new Device(false);
    private final Device cipher = new Device(true);
    private final WrittenRanges known = new WrittenRanges();
    private int cipherOpens;

    private HoleKeepingHandle handle() {
        return new HoleKeepingHandle(plain, () -> {
            cipherOpens++;
            return cipher;
        }, HEADER, SIZE, known);
    }

    @Test
    void holesReadAsZerosAndWrittenBytesAsWritten() throws IOException {
        try (HoleKeepingHandle h = handle()) {
            h.write(1000, filled(100, (byte) 7), 0, 100); // within sector 1, the rest of it a hole
            h.force();
            byte[] back = new byte[2048];
            assertThat(h.read(0, back, 0, back.length)).isEqualTo(2048);
            byte[] expected = new byte[2048];
            Arrays.fill(expected, 1000, 1100, (byte) 7);
            assertThat(back).isEqualTo(expected);
        }
    }

    @Test
    void aFlushedWriteIsReadWithoutLookingAtTheCiphertext() throws IOException {
        try (HoleKeepingHandle h = handle()) {
            h.write(4096, filled(8192, (byte) 3), 0, 8192);
            h.force();
        }
        try (HoleKeepingHandle h = handle()) {
            cipher.reads = 0;
            byte[] back = new byte[8192];
            cipherOpens = 0;
            h.read(4096, back, 0, back.length);
            h.write(4096, filled(512, (byte) 4), 0, 512);
            h.force();
            assertThat(back).isEqualTo(filled(8192, (byte) 3));
            assertThat(cipher.reads).isZero();
            assertThat(cipherOpens).as("the LV under the device is not even opened").isZero();
            h.read(4096 - 512, new byte[1024], 0, 1024); // reaches a hole: looked at
            h.read(4096 - 1024, new byte[1024], 0, 1024);
            assertThat(cipher.reads).isEqualTo(2);
            assertThat(cipherOpens).as("opened once, when first needed").isEqualTo(1);
        }
    }

    @Test
    void aWriteNotFlushedIsStillChecked() throws IOException {
        try (HoleKeepingHandle h = handle()) {
            h.write(0, filled(4096, (byte) 9), 0, 4096);
            cipher.reads = 0;
            byte[] back = new byte[4096];
            h.read(0, back, 0, back.length);
            assertThat(back).isEqualTo(filled(4096, (byte) 9));
            assertThat(cipher.reads).isEqualTo(1);
        }
    }

    @Test
    void aWriteClosedWithoutFlushIsNotKnown() throws IOException {
        try (HoleKeepingHandle h = handle()) {
            h.write(0, filled(4096, (byte) 9), 0, 4096);
        }
        assertThat(known.covers(0, 4096)).isFalse();
    }

    @Test
    void aReadThatFindsNoHoleSparesTheNextOneTheCheck() throws IOException {
        // written by someone else (a guest, an earlier run of the service): unknown at first
        byte[] data = filled(4096, (byte) 1);
        plain.write(8192, data, 0, data.length);
        try (HoleKeepingHandle h = handle()) {
            cipher.reads = 0;
            h.read(8192, new byte[4096], 0, 4096);
            h.read(8192, new byte[4096], 0, 4096);
            assertThat(cipher.reads).isEqualTo(1);
            h.read(0, new byte[4096], 0, 4096); // a hole: looked at each time
            h.read(0, new byte[4096], 0, 4096);
            assertThat(cipher.reads).isEqualTo(3);
        }
    }

    private static byte[] filled(int n, byte value) {
        byte[] bytes = new byte[n];
        Arrays.fill(bytes, value);
        return bytes;
    }

    /** The stand-in's plain side (XOR on the way) or its ciphertext side (the LV, header first). */
    private final class Device implements VolumeHandle {
        private final boolean raw;
        int reads;

        Device(boolean raw) {
            this.raw = raw;
        }

        @Override
        public long size() {
            return raw ? lv.length : SIZE;
        }

        @Override
        public int read(long offset, byte[] dst, int off, int len) {
            reads++;
            int n = (int) Math.max(0, Math.min(len, size() - offset));
            for (int i = 0; i < n; i++) {
                byte b = lv[(int) offset + i + (raw ? 0 : HEADER)];
                dst[off + i] = raw ? b : (byte) (b ^ 0x5A);
            }
            return n;
        }

        @Override
        public void write(long offset, byte[] src, int off, int len) {
            for (int i = 0; i < len; i++) {
                lv[(int) offset + i + (raw ? 0 : HEADER)] = raw ? src[off + i] : (byte) (src[off + i] ^ 0x5A);
            }
        }

        @Override
        public void force() {
        }

        @Override
        public void close() {
        }
    }
}
