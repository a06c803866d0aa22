package io.elasticcloud.cli.transfer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.zip.CRC32;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.Test;

/** Chunk planning, zero detection, the per-chunk gzip stream, and taking results in order. */
class ChunkingTest {
    private static final int MIB = 1024 * 1024;

    @Test
    void planCutsIntoChunksWithAShortLastOne() {
        ChunkPlan p = new ChunkPlan(10L * MIB + 5, 4 * MIB);
        assertThat(p.count()).isEqualTo(3);
        assertThat(p.offset(2)).isEqualTo(8L * MIB);
        assertThat(p.size(0)).isEqualTo(4 * MIB);
        assertThat(p.size(2)).isEqualTo(2 * MIB + 5);
        assertThat(p.size(3)).isZero();
        assertThat(new ChunkPlan(8L * MIB, 4 * MIB).count()).isEqualTo(2);
        assertThat(new ChunkPlan(0, 4 * MIB).count()).isZero();
        assertThat(new ChunkPlan(5L << 40, 4 * MIB).count()).isEqualTo(5L << 40 >> 22);
        assertThat(new ChunkPlan(-1, 4 * MIB).lengthKnown()).isFalse();
        assertThatThrownBy(() -> new ChunkPlan(-1, 4 * MIB).count()).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void zerosAreFoundAndAnyOtherByteAnywhereIsNot() {
        byte[] b = new byte[4 * MIB];
        assertThat(Zeros.isAllZero(b, 0, b.length)).isTrue();
        for (int at : new int[] {0, 1, 65535, 65536, 65537, 2 * MIB + 3, b.length - 1}) {
            b[at] = 1;
            assertThat(Zeros.isAllZero(b, 0, b.length)).as("byte at %d", at).isFalse();
            assertThat(Zeros.isAllZero(b, at + 1, b.length)).isTrue();
            b[at] = 0;
        }
        assertThat(Zeros.isAllZero(b, 0, 0)).isTrue();
    }

    @Test
    void eachChunkIsACompleteGzipStreamWhateverItHolds() throws IOException {
        Random r = new Random(42);
        byte[] random = new byte[4 * MIB];
        r.nextBytes(random);
        byte[] text = new byte[4 * MIB];
        for (int i = 0; i < text.length; i++) {
            text[i] = (byte) ("block of text " + (i / 64)).charAt(i % 13);
        }
        byte[] mixed = new byte[3 * MIB + 7];
        System.arraycopy(random, 0, mixed, 0, MIB);
        System.arraycopy(text, 0, mixed, MIB + 1000, MIB); // text from the middle of a segment
        ChunkGzip gz = new ChunkGzip();
        for (byte[] data : List.of(random, text, new byte[4 * MIB], mixed, new byte[] {9})) {
            ChunkGzip.Result res = gz.gzip(data, 0, data.length);
            byte[] back = new GZIPInputStream(new ByteArrayInputStream(res.gzip(), 0, res.length())).readAllBytes();
            assertThat(back).isEqualTo(data);
            CRC32 crc = new CRC32();
            crc.update(data);
            assertThat(res.crc32()).isEqualTo(crc.getValue());
        }
        // random data is stored (a few bytes over its size), text and zeros are compressed
        assertThat(gz.compresses(random, 0, random.length)).isFalse();
        assertThat(gz.gzip(random, 0, random.length).length()).isBetween(random.length, random.length + 400);
        assertThat(gz.gzip(text, 0, text.length).length()).isLessThan(text.length / 10);
        assertThat(gz.gzip(new byte[4 * MIB], 0, 4 * MIB).length()).isLessThan(40_000);
        // half random, half text: the random half stored, the text deflated
        byte[] half = new byte[4 * MIB];
        System.arraycopy(random, 0, half, 0, 2 * MIB);
        System.arraycopy(text, 0, half, 2 * MIB, 2 * MIB);
        assertThat(gz.compresses(half, 0, ChunkGzip.SEGMENT)).isFalse();
        assertThat(gz.compresses(half, 2 * MIB, ChunkGzip.SEGMENT)).isTrue();
        assertThat(gz.gzip(half, 0, half.length).length()).isBetween(2 * MIB, 2 * MIB + 2 * MIB / 5);
    }

    @Test
    void resultsAreTakenInOrderThoughTheyFinishOutOfOrder() {
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Integer> seen = new ArrayList<>();
            OrderedWindow<Integer> w = new OrderedWindow<>(pool, 4, seen::add);
            for (int i = 0; i < 20; i++) {
                int n = i;
                w.submit(() -> {
                    Thread.sleep((20 - n) % 5 * 5L);
                    return n;
                });
            }
            w.drain();
            assertThat(seen).containsExactly(0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19);

            OrderedWindow<Integer> failing = new OrderedWindow<>(pool, 2, seen::add);
            failing.submit(() -> {
                throw io.elasticcloud.cli.CliException.local("chunk 0 broke");
            });
            assertThatThrownBy(failing::drain).hasMessage("chunk 0 broke");
        } finally {
            pool.shutdownNow();
        }
    }
}
