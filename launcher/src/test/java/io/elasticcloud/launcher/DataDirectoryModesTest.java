package io.elasticcloud.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.springframework.boot.SpringApplication;
import org.springframework.mock.env.MockEnvironment;

/** The data directory and H2's files, as an older install left them open, closed at start. */
class DataDirectoryModesTest {
    @TempDir
    Path tmp;

    @Test
    void theSingleHostLetsGuestsPassAndClosesTheDatabase() throws IOException {
        Path data = openInstall();
        new DataDirectoryModes().postProcessEnvironment(env(data), new SpringApplication());
        assertThat(mode(data)).isEqualTo("rwx--x--x");
        assertThat(mode(data.resolve("db"))).isEqualTo("rwx------");
        assertThat(mode(data.resolve("db/elastic.mv.db"))).isEqualTo("rw-------");
        assertThat(mode(data.resolve("volumes"))).as("the storage node's own").isEqualTo("rwxr-xr-x");
    }

    @Test
    void aProcessWithTheApiAloneClosesReadingAndWriting() throws IOException {
        Path data = openInstall();
        DataDirectoryModes.apply(env(data).withProperty("elastic.storage.enabled", "false")
                .withProperty("elastic.agent.enabled", "false"));
        assertThat(mode(data)).isEqualTo("rwx--x--x");
        assertThat(mode(data.resolve("db/elastic.mv.db"))).isEqualTo("rw-------");
        Files.setPosixFilePermissions(data, PosixFilePermissions.fromString("rwxr--r--"));
        DataDirectoryModes.apply(env(data).withProperty("elastic.storage.enabled", "false")
                .withProperty("elastic.agent.enabled", "false"));
        assertThat(mode(data)).as("no passage was there: none is opened").isEqualTo("rwx------");
    }

    @Test
    void aNewDataDirectoryIsMadeClosed() throws IOException {
        Path data = tmp.resolve("new/data");
        DataDirectoryModes.apply(env(data));
        assertThat(mode(data)).isEqualTo("rwx--x--x");
        assertThat(mode(data.resolve("db"))).isEqualTo("rwx------");
    }

    @Test
    void anApiProcessKeepsThePassageAStorageNodeSharingItsDataDirectoryNeeds() throws IOException {
        Path data = openInstall();
        Files.setPosixFilePermissions(data, PosixFilePermissions.fromString("rwx--x--x")); // the storage node's
        DataDirectoryModes.apply(env(data).withProperty("elastic.storage.enabled", "false")
                .withProperty("elastic.agent.enabled", "false"));
        assertThat(mode(data)).as("qemu must still pass").isEqualTo("rwx--x--x");
        Files.setPosixFilePermissions(data, PosixFilePermissions.fromString("rwxrwxrwx"));
        DataDirectoryModes.apply(env(data).withProperty("elastic.storage.enabled", "false")
                .withProperty("elastic.agent.enabled", "false"));
        assertThat(mode(data)).as("reading and writing closed, passing kept").isEqualTo("rwx--x--x");
    }

    @Test
    void anH2DatabaseStraightInTheDataDirectoryClosesItsOwnFilesOnly() throws IOException {
        Path data = openInstall();
        Path volume = Files.writeString(data.resolve("volumes/v.img"), "disk");
        Files.setPosixFilePermissions(volume, PosixFilePermissions.fromString("rw-rw----"));
        Path h2 = Files.writeString(data.resolve("elastic.mv.db"), "h2");
        Path trace = Files.writeString(data.resolve("elastic.trace.db"), "h2");
        Files.setPosixFilePermissions(h2, PosixFilePermissions.fromString("rw-r--r--"));
        Files.setPosixFilePermissions(trace, PosixFilePermissions.fromString("rw-r--r--"));
        DataDirectoryModes.apply(env(data).withProperty("spring.datasource.url", "jdbc:h2:file:" + data + "/elastic"));
        assertThat(mode(h2)).isEqualTo("rw-------");
        assertThat(mode(trace)).isEqualTo("rw-------");
        assertThat(mode(data.resolve("volumes"))).as("the storage node's, untouched").isEqualTo("rwxr-xr-x");
        assertThat(mode(volume)).as("a guest's volume, untouched").isEqualTo("rw-rw----");
        assertThat(mode(data)).isEqualTo("rwx--x--x");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "jdbc:h2:file:/srv/e/db/elastic;MODE=PostgreSQL|/srv/e/db/elastic",
            "jdbc:h2:file:/srv/e/db/elastic|/srv/e/db/elastic",
            "jdbc:h2:mem:test;DB_CLOSE_DELAY=-1|",
            "jdbc:postgresql://db:5432/elastic|"})
    void findsTheFilesOfAnH2FileDatabaseOnly(String url, String base) {
        assertThat(DataDirectoryModes.h2Base(url))
                .isEqualTo(base == null ? Optional.empty() : Optional.of(Path.of(base)));
    }

    @Test
    void anH2DatabaseInTheHomeDirectoryIsFoundThere() {
        assertThat(DataDirectoryModes.h2Base("jdbc:h2:file:~/elastic;MODE=PostgreSQL"))
                .contains(Path.of(System.getProperty("user.home"), "elastic"));
    }

    private Path openInstall() throws IOException {
        Path data = Files.createDirectories(tmp.resolve("data"));
        Files.createDirectories(data.resolve("db"));
        Files.createDirectories(data.resolve("volumes"));
        Files.writeString(data.resolve("db/elastic.mv.db"), "h2");
        for (Path p : new Path[] {data, data.resolve("db"), data.resolve("volumes")}) {
            Files.setPosixFilePermissions(p, PosixFilePermissions.fromString("rwxr-xr-x"));
        }
        Files.setPosixFilePermissions(data.resolve("db/elastic.mv.db"), PosixFilePermissions.fromString("rw-r--r--"));
        return data;
    }

    private static MockEnvironment env(Path data) {
        return new MockEnvironment().withProperty("elastic.data-dir", data.toString())
                .withProperty("spring.datasource.url", "jdbc:h2:file:" + data + "/db/elastic;MODE=PostgreSQL");
    }

    private static String mode(Path p) throws IOException {
        return PosixFilePermissions.toString(Files.getPosixFilePermissions(p));
    }
}
