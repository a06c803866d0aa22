package io.elasticcloud.api.drive;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.elasticcloud.protocol.ElasticException;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Arrays;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class WriteSpoolTest {
    @TempDir
    Path data;

    @ParameterizedTest(name = "head {0} + body {1}, max {2}")
    @CsvSource({
            "0, 0, 10, nothing",
            "5, 0, 10, a head only",
            "0, 1000003, 2000000, a body only of an odd length",
            "65536, 700001, 2000000, both, across buffers",
            "100, 1000, 600, a body cut at max"})
    void givesBackExactlyWhatItTookUpToMax(int head, int body, long max, String what) throws IOException {
        WriteSpool spool = new WriteSpool(data.resolve("tmp"));
        byte[] h = bytes(1, head);
        byte[] b = bytes(2, body);
        try (WriteSpool.Spooled s = spool.spool(h, h.length, new ByteArrayInputStream(b), max)) {
            long expected = Math.min(max, (long) head + body);
            assertThat(s.length()).isEqualTo(expected);
            byte[] all = new byte[head + body];
            System.arraycopy(h, 0, all, 0, head);
            System.arraycopy(b, 0, all, head, body);
            byte[] back;
            try (InputStream in = s.open()) {
                back = in.readAllBytes();
            }
            assertThat(back).isEqualTo(Arrays.copyOf(all, (int) expected));
            assertThat(s.raw().readAllBytes()).hasSize((int) expected);
        }
        assertThat(files(data.resolve("tmp"))).isEmpty();
    }

    @Test
    void theFileHoldsNoPlaintextAndNobodyElseMayReadIt() throws IOException {
        WriteSpool spool = new WriteSpool(data.resolve("tmp"));
        byte[] marker = "a marker that must never rest on disk\n".getBytes(StandardCharsets.US_ASCII);
        byte[] body = new byte[marker.length * 20_000];
        for (int i = 0; i < body.length; i += marker.length) {
            System.arraycopy(marker, 0, body, i, marker.length);
        }
        try (WriteSpool.Spooled s = spool.spool(marker, marker.length, new ByteArrayInputStream(body),
                10L * body.length)) {
            byte[] onDisk = s.raw().readAllBytes();
            assertThat(new String(onDisk, StandardCharsets.ISO_8859_1)).doesNotContain("marker");
            assertThat(files(data.resolve("tmp"))).as("no name anyone could open").isEmpty();
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(data.resolve("tmp"))))
                    .isEqualTo("rwx------");
        }
    }

    @Test
    void twoSpoolsOfTheSameBytesDiffer() throws IOException {
        WriteSpool spool = new WriteSpool(data.resolve("tmp"));
        byte[] body = bytes(3, 4096);
        try (WriteSpool.Spooled a = spool.spool(new byte[0], 0, new ByteArrayInputStream(body), 8192);
             WriteSpool.Spooled b = spool.spool(new byte[0], 0, new ByteArrayInputStream(body), 8192)) {
            assertThat(a.raw().readAllBytes()).isNotEqualTo(b.raw().readAllBytes());
        }
    }

    @Test
    void aSecondProcessSharingTheDirectoryCannotDeleteAWriteInFlight() throws IOException {
        Path tmp = data.resolve("tmp");
        WriteSpool first = new WriteSpool(tmp);
        byte[] body = bytes(6, 100_000);
        try (WriteSpool.Spooled s = first.spool(new byte[0], 0, new ByteArrayInputStream(body), 200_000)) {
            new WriteSpool(tmp); // another API process starting on the same data directory
            try (InputStream in = s.open()) {
                assertThat(in.readAllBytes()).isEqualTo(body);
            }
        }
    }

    @Test
    void aDirectoryRemovedUnderTheServiceIsMadeAgainClosed() throws IOException {
        Path tmp = data.resolve("tmp");
        WriteSpool spool = new WriteSpool(tmp);
        Files.delete(tmp);
        try (WriteSpool.Spooled s = spool.spool(new byte[0], 0, new ByteArrayInputStream(bytes(7, 10)), 20)) {
            assertThat(s.length()).isEqualTo(10);
        }
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(tmp))).isEqualTo("rwx------");
    }

    @Test
    void anOpenDirectoryIsClosedAtStart() throws IOException {
        Path tmp = Files.createDirectories(data.resolve("tmp"));
        Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rwxr-xr-x"));
        Path other = Files.write(tmp.resolve("someone-elses"), bytes(5, 10));
        new WriteSpool(tmp);
        assertThat(other).exists();
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(tmp))).isEqualTo("rwx------");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(other))).isEqualTo("rw-------");
    }

    @Test
    void aBodyThatFailsLeavesNoFile() throws IOException {
        WriteSpool spool = new WriteSpool(data.resolve("tmp"));
        InputStream broken = new InputStream() {
            private int left = 100_000;

            @Override
            public int read() throws IOException {
                byte[] one = new byte[1];
                return read(one, 0, 1) < 0 ? -1 : one[0];
            }

            @Override
            public int read(byte[] b, int off, int len) throws IOException {
                if (left == 0) {
                    throw new java.util.zip.ZipException("invalid block type"); // as GZIPInputStream does
                }
                int n = Math.min(len, left);
                Arrays.fill(b, off, off + n, (byte) 'x');
                left -= n;
                return n;
            }
        };
        assertThatThrownBy(() -> spool.spool(new byte[0], 0, broken, 1_000_000))
                .isInstanceOf(java.util.zip.ZipException.class); // the body's reader maps it (BodyReader)
        assertThat(files(data.resolve("tmp"))).isEmpty();
    }

    static byte[] bytes(long seed, int length) {
        byte[] b = new byte[length];
        new Random(seed).nextBytes(b);
        return b;
    }

    static java.util.List<Path> files(Path dir) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.toList();
        }
    }
}
