package io.elasticcloud.protocol.secret;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PrivateFilesTest {
    @TempDir
    Path dir;

    @Test
    void makesAndClosesDirectories() throws IOException {
        Path made = PrivateFiles.directory(dir.resolve("a/b"));
        assertThat(mode(made)).isEqualTo("rwx------");
        Files.setPosixFilePermissions(made, PosixFilePermissions.fromString("rwxr-xr-x"));
        PrivateFiles.directory(made);
        assertThat(mode(made)).isEqualTo("rwx------");
        assertThat(mode(PrivateFiles.directory(dir.resolve("pools"), PrivateFiles.TRAVERSE))).isEqualTo("rwx--x--x");
    }

    @Test
    void closesATreeAnOlderInstallLeftOpenWithoutFollowingLinks() throws IOException {
        Path outside = Files.createDirectory(dir.resolve("outside"));
        Files.setPosixFilePermissions(outside, PosixFilePermissions.fromString("rwxr-xr-x"));
        Path tree = Files.createDirectories(dir.resolve("db/sub"));
        Path file = Files.writeString(dir.resolve("db/sub/elastic.mv.db"), "x");
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r--r--"));
        Files.setPosixFilePermissions(dir.resolve("db"), PosixFilePermissions.fromString("rwxr-xr-x"));
        Files.createSymbolicLink(dir.resolve("db/link"), outside);

        PrivateFiles.closeTree(dir.resolve("db"));

        assertThat(mode(dir.resolve("db"))).isEqualTo("rwx------");
        assertThat(mode(tree)).isEqualTo("rwx------");
        assertThat(mode(file)).isEqualTo("rw-------");
        assertThat(mode(outside)).as("a link's target is not ours").isEqualTo("rwxr-xr-x");
        PrivateFiles.closeTree(dir.resolve("missing")); // nothing to do, no failure
        assertThat(dir.resolve("missing")).doesNotExist();
    }

    @Test
    void aDirectoryThatIsALinkIsNotChangedThroughIt() throws IOException {
        Path shared = Files.createDirectory(dir.resolve("shared")); // as /tmp would be
        Files.setPosixFilePermissions(shared, PosixFilePermissions.fromString("rwxrwxrwx"));
        Path link = Files.createSymbolicLink(dir.resolve("tmp"), shared);
        PrivateFiles.directory(link);
        PrivateFiles.directory(link, PrivateFiles.TRAVERSE);
        PrivateFiles.directoryKeepingPassage(link);
        assertThat(mode(shared)).as("the link's target is not ours").isEqualTo("rwxrwxrwx");
    }

    @Test
    void aFileThisProcessMayNotChangeIsWarnedAboutNotFatal() throws IOException {
        // a file whose mode cannot be set (root's, or on a read-only mount): /proc/self/status
        // stands for it (r--r--r--, no chmod allowed)
        Path notOurs = Path.of("/proc/self/status");
        PrivateFiles.closeTree(notOurs);
        assertThat(mode(notOurs)).isEqualTo("r--r--r--");
    }

    @Test
    void keepingPassageClosesReadAndWriteOnly() throws IOException {
        Path d = Files.createDirectory(dir.resolve("d"));
        Files.setPosixFilePermissions(d, PosixFilePermissions.fromString("rwxrwxr-x"));
        assertThat(mode(PrivateFiles.directoryKeepingPassage(d))).isEqualTo("rwx--x--x");
        Files.setPosixFilePermissions(d, PosixFilePermissions.fromString("r-xr-----"));
        assertThat(mode(PrivateFiles.directoryKeepingPassage(d))).isEqualTo("rwx------");
        assertThat(mode(PrivateFiles.directoryKeepingPassage(dir.resolve("new")))).isEqualTo("rwx------");
    }

    @Test
    void aFileMadeWithItsAttributeIsPrivateFromTheStart() throws IOException {
        Path f = Files.createFile(dir.resolve("f"), PrivateFiles.file());
        assertThat(mode(f)).isEqualTo("rw-------");
    }

    private static String mode(Path p) throws IOException {
        return PosixFilePermissions.toString(Files.getPosixFilePermissions(p));
    }
}
