package io.elasticcloud.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Stream;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * What rests on the host's disk, seen by an attacker who can read files there: another local user,
 * or whoever gets the data directory after a crash. (8) a large chunked gzip write to an encrypted
 * drive, killed mid-body, leaves none of its plaintext under the data directory, and nothing of
 * its spool after a restart; (11) the data directory, the database and the keys are closed to other
 * users (also when an older install left them open), and the database holds no VNC password in clear.
 * The node agent runs on libvirt's test driver: no guest boots here.
 */
class HostileStorageFilesTest {
    private static final int MIB = 1024 * 1024;
    private static final Set<PosixFilePermission> OPEN_TO_OTHERS = Set.of(
            PosixFilePermission.GROUP_READ, PosixFilePermission.GROUP_WRITE,
            PosixFilePermission.OTHERS_READ, PosixFilePermission.OTHERS_WRITE);

    private static RunningSystem system;
    private static PlainHttp http;
    private static Customer customer;

    @BeforeAll
    static void startSystem() {
        system = RunningSystem.start("files", "--elastic.agent.libvirt-uri=test:///default");
        http = system.http();
        customer = system.createCustomer();
    }

    @AfterAll
    static void stopSystem() {
        if (system != null) {
            system.close();
        }
    }

    @Test
    void aKilledChunkedWriteToAnEncryptedDriveLeavesNoPlaintextAndNoSpool() throws Exception {
        String auth = PlainHttp.basic(customer);
        PlainHttp.Reply created = http.post("/drives/create", auth,
                "name secret\nsize 32M\nencryption:cipher aes-xts-plain\n");
        assertThat(created.status()).as(created.describe()).isEqualTo(200);
        String drive = PlainHttp.parseObject(created.text()).get("drive");

        // 12 MiB of lines holding a random marker: past the 8 MiB kept in memory, tiny on the wire
        byte[] marker = ("hostile-marker-" + UUID.randomUUID() + "\n").getBytes(StandardCharsets.US_ASCII);
        int length = 12 * MIB;
        try (Socket socket = new Socket(system.baseUri().getHost(), system.baseUri().getPort())) {
            socket.setSoTimeout(30_000);
            OutputStream out = socket.getOutputStream();
            out.write(("POST /drives/" + drive + "/write HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: " + auth
                    + "\r\nContent-Type: application/octet-stream\r\nContent-Encoding: gzip\r\n"
                    + "Transfer-Encoding: chunked\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            out.write(chunk(gzipFlushedNotFinished(marker, length)));
            out.flush(); // no last chunk: the body stays open while the system holds what it read

            // bounded: until the system has read (and put somewhere) the whole 12 MiB
            Wait.until("the write's 12 MiB taken in by the system", Duration.ofSeconds(30),
                    () -> spooledBytes() >= length, () -> system.logTail(30));
            system.crash();
        }

        List<Path> holding = filesContaining(system.dataDir(), marker);
        assertThat(holding).as("files under the data directory holding the written plaintext").isEmpty();

        system.restart();
        assertThat(filesUnder(system.dataDir().resolve("tmp"))).as("spool left over after a restart").isEmpty();
        PlainHttp.Reply read = http.get("/drives/" + drive + "/read/0/64", auth);
        assertThat(read.status()).as(read.describe()).isEqualTo(200);
        assertThat(read.body()).as("the killed write wrote nothing").containsOnly(0);
    }

    @Test
    void theDataDirectoryDatabaseAndKeysAreClosedAndHoldNoVncPasswordInClear() throws Exception {
        String auth = PlainHttp.basic(customer);
        String password = "V" + UUID.randomUUID().toString().substring(0, 7);
        PlainHttp.Reply created = http.post("/servers/create/stopped", auth,
                "name vnc-at-rest\ncpu 500\nmem 128\nvnc:password " + password + "\n");
        assertThat(created.status()).as(created.describe()).isEqualTo(200);
        String server = PlainHttp.parseObject(created.text()).get("server");
        assertThat(PlainHttp.parseObject(http.get("/servers/" + server + "/info", auth).text()))
                .as("the owner still sees the password").containsEntry("vnc:password", password);

        assertClosed();
        system.stop(); // the database's files are complete on disk only once it is closed
        List<Path> holding = filesContaining(system.dataDir().resolve("db"),
                password.getBytes(StandardCharsets.US_ASCII));
        assertThat(holding).as("database files holding the VNC password in clear").isEmpty();

        // an install made before: everything readable by everyone; the next start closes it again
        loosen(system.dataDir());
        system.restart();
        assertClosed();
        assertThat(PlainHttp.parseObject(http.get("/servers/" + server + "/info", auth).text()))
                .containsEntry("vnc:password", password);
    }

    private static void assertClosed() throws IOException {
        Path data = system.dataDir();
        // at most rwx--x--x: guests' qemu (libvirt's own user) must pass through to the volumes
        assertThat(Files.getPosixFilePermissions(data)).as("mode of " + data)
                .doesNotContainAnyElementsOf(OPEN_TO_OTHERS);
        for (String dir : List.of("db", "keys")) {
            Path d = data.resolve(dir);
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(d))).as("mode of " + d)
                    .isEqualTo("rwx------");
            List<Path> files = filesUnder(d);
            assertThat(files).as("files in " + d).isNotEmpty();
            for (Path f : files) {
                assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(f))).as("mode of " + f)
                        .isEqualTo("rw-------");
            }
        }
    }

    private static void loosen(Path data) throws IOException {
        Set<PosixFilePermission> dir = PosixFilePermissions.fromString("rwxr-xr-x");
        Set<PosixFilePermission> file = PosixFilePermissions.fromString("rw-r--r--");
        Files.setPosixFilePermissions(data, dir);
        for (String d : List.of("db", "keys")) {
            Files.setPosixFilePermissions(data.resolve(d), dir);
            for (Path f : filesUnder(data.resolve(d))) {
                Files.setPosixFilePermissions(f, file);
            }
        }
    }

    /** A gzip stream of {@code length} bytes of {@code marker} lines, flushed but not finished. */
    private static byte[] gzipFlushedNotFinished(byte[] marker, int length) throws IOException {
        var buffer = new java.io.ByteArrayOutputStream();
        GZIPOutputStream gz = new GZIPOutputStream(buffer, 64 * 1024, true);
        for (int written = 0; written < length; written += marker.length) {
            gz.write(marker, 0, Math.min(marker.length, length - written));
        }
        gz.flush();
        return buffer.toByteArray();
    }

    private static byte[] chunk(byte[] data) {
        byte[] head = (Integer.toHexString(data.length) + "\r\n").getBytes(StandardCharsets.US_ASCII);
        byte[] out = new byte[head.length + data.length + 2];
        System.arraycopy(head, 0, out, 0, head.length);
        System.arraycopy(data, 0, out, head.length, data.length);
        out[out.length - 2] = '\r';
        out[out.length - 1] = '\n';
        return out;
    }

    private static List<Path> filesUnder(Path dir) {
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> files = Files.walk(dir)) {
            return files.filter(Files::isRegularFile).toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Bytes in the system's spool files: they have no name (unlinked as soon as they are open), so
     * they are found through the processes' open descriptors into {@code DATA_DIR/tmp}.
     */
    private long spooledBytes() {
        String tmp = system.dataDir().toAbsolutePath().resolve("tmp") + "/";
        long total = 0;
        for (ProcessHandle p : system.processes()) {
            Path fds = Path.of("/proc", Long.toString(p.pid()), "fd");
            try (var entries = Files.list(fds)) {
                for (Path fd : entries.toList()) {
                    try {
                        if (Files.readSymbolicLink(fd).toString().startsWith(tmp)) {
                            total += Files.size(fd);
                        }
                    } catch (IOException closed) {
                        // closed meanwhile
                    }
                }
            } catch (IOException gone) {
                // the process ended meanwhile
            }
        }
        return total;
    }

    /** The regular files below {@code dir} whose bytes contain {@code needle} (read in bounded blocks). */
    private static List<Path> filesContaining(Path dir, byte[] needle) throws IOException {
        List<Path> found = new ArrayList<>();
        for (Path f : filesUnder(dir)) {
            if (contains(f, needle)) {
                found.add(f);
            }
        }
        return found;
    }

    private static boolean contains(Path file, byte[] needle) throws IOException {
        byte[] block = new byte[MIB + needle.length];
        int kept = 0;
        try (InputStream in = Files.newInputStream(file)) {
            while (true) {
                int n = in.readNBytes(block, kept, block.length - kept);
                int end = kept + n;
                if (indexOf(block, end, needle) >= 0) {
                    return true;
                }
                if (n == 0) {
                    return false;
                }
                kept = Math.min(needle.length - 1, end);
                System.arraycopy(block, end - kept, block, 0, kept);
            }
        }
    }

    private static int indexOf(byte[] hay, int end, byte[] needle) {
        outer:
        for (int i = 0; i + needle.length <= end; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (hay[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }
}
