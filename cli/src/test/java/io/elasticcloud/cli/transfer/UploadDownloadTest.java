package io.elasticcloud.cli.transfer;

import static org.assertj.core.api.Assertions.assertThat;

import io.elasticcloud.cli.FakeApi;
import io.elasticcloud.cli.Run;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.io.OutputStream;
import java.nio.file.attribute.FileTime;
import java.util.List;
import java.util.Random;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Upload and download against the in-memory API: chunks, zeros, retries, resume, verification. */
class UploadDownloadTest {
    private static final int MIB = 1024 * 1024;
    private final FakeApi api = new FakeApi();
    @TempDir
    Path dir;

    @AfterEach
    void stop() {
        api.close();
    }

    /** 6 chunks and a bit: random, zeros, random, zeros, zeros, random, then a short tail. */
    static byte[] image() {
        byte[] b = new byte[6 * 4 * MIB + 12345];
        Random r = new Random(1);
        for (int chunk : new int[] {0, 2, 5}) {
            byte[] part = new byte[4 * MIB];
            r.nextBytes(part);
            System.arraycopy(part, 0, b, chunk * 4 * MIB, part.length);
        }
        b[b.length - 1] = 7;
        return b;
    }

    private Path file(byte[] content) throws IOException {
        Path f = dir.resolve("img");
        Files.write(f, content);
        return f;
    }

    @Test
    void aNewDriveGetsTheFileWithoutItsZeroChunksAndIsVerified() throws IOException {
        byte[] content = image();
        Path f = file(content);
        Run run = Run.of(api.env(), null, "drives", "upload", f.toString(), "--parallel", "3");
        assertThat(run.status()).as(run.stderr()).isZero();
        String drive = run.out().strip();
        assertThat(api.drive(drive)).isEqualTo(content);
        assertThat(api.writeCount()).isEqualTo(4); // chunks 0, 2, 5 and the tail; 1, 3, 4 are zeros
        assertThat(api.requests()).allSatisfy(r -> {
            if (r.path().contains("/write/")) {
                assertThat(r.header("Content-Encoding")).isEqualTo("gzip");
                assertThat(r.header("Content-Type")).isEqualTo("application/octet-stream");
            }
        });
        assertThat(api.requests().stream().filter(r -> r.path().contains("/read/")).count()).isEqualTo(7);
        // every chunk read back once, right after its write: the zero chunks too (they must read as zeros)
        assertThat(run.stderr()).contains("created drive " + drive, "(4 chunks sent, 3 of zeros skipped)",
                "sha256 " + sha256(content) + " (verified)");
        assertThat(dir.resolve("img.elastic-upload")).doesNotExist();
    }

    @Test
    void anExistingDriveGetsEveryChunkIncludingZeros() throws IOException {
        String drive = api.addDrive(30 * MIB);
        Path f = file(image());
        Run run = Run.of(api.env(), null, "drives", "upload", f.toString(), drive, "--no-verify");
        assertThat(run.status()).as(run.stderr()).isZero();
        assertThat(api.writeCount()).isEqualTo(7);
        assertThat(run.stderr()).contains("(not verified)");
    }

    @Test
    void transientFailuresAreRetried() throws IOException {
        byte[] content = image();
        api.failWrites(n -> n == 2 || n == 3 ? "500 system" : null);
        Run run = Run.of(api.env(), null, "drives", "upload", file(content).toString(), "--parallel", "1");
        assertThat(run.status()).as(run.stderr()).isZero();
        assertThat(api.drive(run.out().strip())).isEqualTo(content);
        assertThat(run.stderr()).contains("failed (system: write 2 refused by the test); try 2 of 5");
    }

    @Test
    void anInterruptedUploadResumesWhereItStopped() throws IOException {
        byte[] content = image();
        Path f = file(content);
        api.failWrites(n -> n == 3 ? "409 busy" : null); // a permanent error: the upload stops there
        Run first = Run.of(api.env(), null, "drives", "upload", f.toString(), "--parallel", "1");
        assertThat(first.status()).isEqualTo(15);
        assertThat(first.stderr()).contains("elastic: busy: write 3 refused by the test");
        Path state = dir.resolve("img.elastic-upload");
        assertThat(state).exists();
        TransferState s = TransferState.load(state);
        assertThat(s.done()).isEqualTo(5); // chunks 0-4 (0 and 2 sent, the rest zeros); chunk 5 failed

        Run again = Run.of(api.env(), null, "drives", "upload", f.toString());
        assertThat(again.status()).isEqualTo(2);
        assertThat(again.stderr()).contains("holds an interrupted upload: add --resume");

        api.failWrites(n -> null);
        int requestsBefore = api.requests().size();
        Run resumed = Run.of(api.env(), null, "drives", "upload", f.toString(), "--resume");
        assertThat(resumed.status()).as(resumed.stderr()).isZero();
        assertThat(resumed.out().strip()).isEqualTo(s.drive());
        assertThat(api.drive(s.drive())).isEqualTo(content);
        // chunks below the old run's "submitted" mark are all written again when not done (zeros
        // included); here that is chunk 5 and the tail only
        assertThat(api.requests().subList(requestsBefore, api.requests().size()).stream()
                .filter(r -> r.path().contains("/write")).map(FakeApi.Request::path).toList())
                .containsExactlyInAnyOrder("/drives/" + s.drive() + "/write/" + 5 * 4 * MIB,
                        "/drives/" + s.drive() + "/write/" + 6 * 4 * MIB);
        assertThat(resumed.stderr()).contains("resuming the upload into " + s.drive() + " after chunk 5",
                "5 done before", "(verified)");
        assertThat(state).doesNotExist();
    }

    @Test
    void aResumeRefusesAFileThatChanged() throws IOException {
        Path f = file(image());
        api.failWrites(n -> n == 2 ? "409 busy" : null);
        assertThat(Run.of(api.env(), null, "drives", "upload", f.toString()).status()).isEqualTo(15);
        Files.setLastModifiedTime(f, FileTime.fromMillis(Files.getLastModifiedTime(f).toMillis() - 60_000));
        Run resumed = Run.of(api.env(), null, "drives", "upload", f.toString(), "--resume");
        assertThat(resumed.status()).isEqualTo(2);
        assertThat(resumed.stderr()).contains("changed since the interrupted upload");
    }

    @Test
    void aFileLargerThanTheDriveIsRefusedBeforeAnythingIsWritten() throws IOException {
        String drive = api.addDrive(4 * MIB);
        Run run = Run.of(api.env(), null, "drives", "upload", file(image()).toString(), drive);
        assertThat(run.status()).isEqualTo(18);
        assertThat(run.stderr()).startsWith("elastic: full: ").contains("nothing was written", drive);
        assertThat(api.writeCount()).isZero();

        Run tooSmall = Run.of(api.env(), null, "drives", "upload", file(image()).toString(), "--size", "1M");
        assertThat(tooSmall.status()).isEqualTo(18);
        assertThat(tooSmall.stderr()).contains("more than --size 1.0 MiB: nothing was created");
    }

    @Test
    void gzippedStandardInputNeedsASizeAndArrivesDecompressed() throws IOException {
        byte[] content = image();
        ByteArrayOutputStream gz = new ByteArrayOutputStream();
        try (GZIPOutputStream g = new GZIPOutputStream(gz)) {
            g.write(content);
        }
        Run noSize = Run.of(api.env(), gz.toByteArray(), "drives", "upload", "-");
        assertThat(noSize.status()).isEqualTo(2);
        assertThat(noSize.stderr()).contains("needs --size");

        Run run = Run.of(api.env(), gz.toByteArray(), "drives", "upload", "-", "--size", "32M");
        assertThat(run.status()).as(run.stderr()).isZero();
        byte[] drive = api.drive(run.out().strip());
        assertThat(drive).hasSize(32 * MIB);
        assertThat(java.util.Arrays.copyOf(drive, content.length)).isEqualTo(content);

        Path gzFile = dir.resolve("img.gz");
        Files.write(gzFile, gz.toByteArray());
        Run fromFile = Run.of(api.env(), null, "drives", "upload", gzFile.toString());
        assertThat(fromFile.status()).as(fromFile.stderr()).isZero();
        assertThat(api.drive(fromFile.out().strip())).isEqualTo(content); // sized by decompressing once
    }

    @Test
    void verificationCatchesADriveThatDoesNotHoldWhatWasSentAndResumeSendsItAgain() throws IOException {
        byte[] content = image();
        Path f = file(content);
        AtomicBoolean corrupt = new AtomicBoolean(true);
        // chunk 1 is zeros, not sent to the new drive: it must still read back as zeros
        api.override(r -> corrupt.get() && r.path().matches("/drives/[^/]+/read/4194304/4194304")
                ? new String[] {"200", null, "x".repeat(4 * MIB)} : null);
        Run run = Run.of(api.env(), null, "drives", "upload", f.toString(), "--parallel", "2");
        assertThat(run.status()).isEqualTo(4);
        assertThat(run.stderr()).contains("elastic: verify: drive ", "does not hold what was sent in chunk 1",
                "--resume sends it again");
        TransferState s = TransferState.load(dir.resolve("img.elastic-upload"));
        assertThat(s.done()).isEqualTo(1);
        assertThat(s.verified()).isEqualTo(1);

        corrupt.set(false);
        Run resumed = Run.of(api.env(), null, "drives", "upload", f.toString(), "--resume");
        assertThat(resumed.status()).as(resumed.stderr()).isZero();
        assertThat(api.drive(s.drive())).isEqualTo(content);
        assertThat(resumed.stderr()).contains("(verified)");
    }

    @Test
    void aResumeWithVerificationReadsBackTheChunksAnUnverifiedRunDid() throws IOException {
        byte[] content = image();
        Path f = file(content);
        api.failWrites(n -> n == 3 ? "409 busy" : null); // writes 1 and 2 are chunks 0 and 2; chunk 5 fails
        Run first = Run.of(api.env(), null, "drives", "upload", f.toString(), "--no-verify", "--parallel", "1");
        assertThat(first.status()).isEqualTo(15);
        TransferState s = TransferState.load(dir.resolve("img.elastic-upload"));
        assertThat(s.done()).isEqualTo(5);
        assertThat(s.verified()).isZero();

        api.failWrites(n -> null);
        int before = api.requests().size();
        Run resumed = Run.of(api.env(), null, "drives", "upload", f.toString(), "--resume");
        assertThat(resumed.status()).as(resumed.stderr()).isZero();
        assertThat(api.drive(s.drive())).isEqualTo(content);
        List<String> reads = api.requests().subList(before, api.requests().size()).stream()
                .map(FakeApi.Request::path).filter(p -> p.contains("/read/")).toList();
        assertThat(reads).hasSize(7); // the 5 done unverified chunks, then chunk 5 and the tail
    }

    @Test
    void aGzipFileLargerThanAnExistingDriveIsRefusedByItsTrailerBeforeAnythingIsWritten() throws IOException {
        byte[] content = image(); // 24 MiB and a bit
        Path gz = dir.resolve("img.gz");
        try (GZIPOutputStream g = new GZIPOutputStream(Files.newOutputStream(gz))) {
            g.write(content);
        }
        String drive = api.addDrive(20 * MIB);
        Run run = Run.of(api.env(), null, "drives", "upload", gz.toString(), drive);
        assertThat(run.status()).isEqualTo(18);
        assertThat(run.stderr()).startsWith("elastic: full: ").contains("decompresses to at least " + content.length,
                "nothing was written");
        assertThat(api.writeCount()).isZero();
    }

    @Test
    void aGzipFileWhoseTrailerUndersellsItIsStoppedWhereItPassesTheDrivesEnd() throws IOException {
        // two gzip members: the trailer read is the last one's (1 MiB), the content is 25 MiB
        Path gz = dir.resolve("two.gz");
        try (OutputStream out = Files.newOutputStream(gz)) {
            for (byte[] member : new byte[][] {new byte[24 * MIB], new byte[MIB]}) {
                ByteArrayOutputStream b = new ByteArrayOutputStream();
                try (GZIPOutputStream g = new GZIPOutputStream(b)) {
                    java.util.Arrays.fill(member, (byte) 1);
                    g.write(member);
                }
                out.write(b.toByteArray());
            }
        }
        String drive = api.addDrive(20 * MIB);
        Run run = Run.of(api.env(), null, "drives", "upload", gz.toString(), drive, "--parallel", "1");
        assertThat(run.status()).isEqualTo(18);
        assertThat(run.stderr()).startsWith("elastic: full: ").contains("is larger than drive " + drive,
                "the first 20.0 MiB were written");
        assertThat(api.writeCount()).isEqualTo(5);
    }

    @Test
    void downloadWritesTheWholeDriveAndResumesAfterAFailure() throws IOException {
        byte[] content = image();
        Run up = Run.of(api.env(), null, "drives", "upload", file(content).toString(), "--no-verify");
        String drive = up.out().strip();
        Path back = dir.resolve("back");
        AtomicBoolean failChunk3 = new AtomicBoolean(true);
        api.override(r -> failChunk3.get() && r.path().endsWith("/read/" + 3 * 4 * MIB + "/" + 4 * MIB)
                ? new String[] {"404", "missing", "gone for the test"} : null);
        Run first = Run.of(api.env(), null, "drives", "download", drive, back.toString(), "--parallel", "2");
        assertThat(first.status()).isEqualTo(13);
        assertThat(first.stderr()).contains("elastic: missing: gone for the test");
        Path state = dir.resolve("back.elastic-download");
        assertThat(TransferState.load(state).done()).isEqualTo(3);

        // stale bytes after the done chunks (where the drive holds zeros: chunk 4) must not survive
        try (var ch = java.nio.channels.FileChannel.open(back, java.nio.file.StandardOpenOption.WRITE)) {
            ch.write(java.nio.ByteBuffer.wrap(new byte[] {1, 2, 3}), 4L * 4 * MIB + 100);
        }
        failChunk3.set(false);
        Run resumed = Run.of(api.env(), null, "drives", "download", drive, back.toString(), "--resume");
        assertThat(resumed.status()).as(resumed.stderr()).isZero();
        assertThat(resumed.stderr()).contains("resuming the download of " + drive + " after chunk 3");
        assertThat(Files.readAllBytes(back)).isEqualTo(content);
        assertThat(state).doesNotExist();
        assertThat(resumed.stderr()).contains("sha256 " + sha256(content));

        Run toStdout = Run.of(api.env(), null, "drives", "download", drive, "-", "-q");
        assertThat(toStdout.status()).isZero();
        assertThat(toStdout.stdout()).isEqualTo(content);
    }

    @Test
    void aMissingDriveIsMissing() {
        Run run = Run.of(api.env(), null, "drives", "download", "00000000-0000-0000-0000-000000000000",
                dir.resolve("x").toString());
        assertThat(run.status()).isEqualTo(13);
        assertThat(run.stderr()).isEqualTo("elastic: missing: no drive 00000000-0000-0000-0000-000000000000\n");
    }

    static String sha256(byte[] b) {
        try {
            return java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256").digest(b));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
