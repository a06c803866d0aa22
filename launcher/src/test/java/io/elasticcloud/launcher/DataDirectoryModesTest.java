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
    void aProcessWithTheApiAloneClosesTheDataDirectoryWhole() throws IOException {
        Path data = openInstall();
        DataDirectoryModes.apply(env(data).withProperty("elastic.storage.enabled", "false")
                .withProperty("elastic.agent.enabled", "false"));
        assertThat(mode(data)).isEqualTo("rwx------");
        assertThat(mode(data.resolve("db/elastic.mv.db"))).isEqualTo("rw-------");
    }

    @Test
    void aNewDataDirectoryIsMadeClosed() throws IOException {
        Path data = tmp.resolve("new/data");
        DataDirectoryModes.apply(env(data));
        assertThat(mode(data)).isEqualTo("rwx--x--x");
        assertThat(mode(data.resolve("db"))).isEqualTo("rwx------");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "jdbc:h2:file:/srv/e/db/elastic;MODE=PostgreSQL|/srv/e/db",
            "jdbc:h2:file:/srv/e/db/elastic|/srv/e/db",
            "jdbc:h2:mem:test;DB_CLOSE_DELAY=-1|",
            "jdbc:postgresql://db:5432/elastic|"})
    void findsTheDirectoryOfAnH2FileDatabaseOnly(String url, String directory) {
        assertThat(DataDirectoryModes.h2Directory(url))
                .isEqualTo(directory == null ? Optional.empty() : Optional.of(Path.of(directory)));
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
