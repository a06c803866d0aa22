package io.elasticcloud.cli.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EndpointTest {
    private final ByteArrayOutputStream warnings = new ByteArrayOutputStream();
    private final PrintStream err = new PrintStream(warnings, true, StandardCharsets.UTF_8);

    @Test
    void theEnvironmentOfTheElasticHostsTools() {
        Endpoint e = Endpoint.resolve(Map.of("EHURI", "https://api.example.com/", "EHAUTH", "u-1:k-2",
                "HOME", "/nonexistent"), Optional.empty(), err);
        assertThat(e.resolve("/drives/list").toString()).isEqualTo("https://api.example.com/drives/list");
        assertThat(e.user()).isEqualTo("u-1");
        assertThat(e.authorization()).isEqualTo("Basic dS0xOmstMg==");
        assertThat(e.toString()).doesNotContain("k-2");
    }

    @Test
    void theConfigFileIsTheFallbackAndAWorldReadableOneIsWarnedAbout(@TempDir Path home) throws IOException {
        Path config = home.resolve(".config/elastic/config");
        Files.createDirectories(config.getParent());
        Files.writeString(config, "# mine\nuri http://127.0.0.1:8080/api/\nauth = u-3:k-4\n");
        Files.setPosixFilePermissions(config, PosixFilePermissions.fromString("rw-------"));
        Endpoint e = Endpoint.resolve(Map.of("HOME", home.toString()), Optional.empty(), err);
        assertThat(e.resolve("/drives/list").toString()).isEqualTo("http://127.0.0.1:8080/api/drives/list");
        assertThat(e.user()).isEqualTo("u-3");
        assertThat(warnings.toString(StandardCharsets.UTF_8)).isEmpty();

        Files.setPosixFilePermissions(config, PosixFilePermissions.fromString("rw-r--r--"));
        Endpoint.resolve(Map.of("HOME", home.toString(), "EHAUTH", "u-5:k-6"), Optional.of("http://h:1/"), err);
        assertThat(warnings.toString(StandardCharsets.UTF_8)).contains("chmod 600").doesNotContain("k-4");
    }

    @Test
    void missingOrMalformedSettingsSayWhatToSet() {
        assertThatThrownBy(() -> Endpoint.resolve(Map.of("HOME", "/nonexistent", "EHAUTH", "a:b"), Optional.empty(), err))
                .hasMessageContaining("set EHURI");
        assertThatThrownBy(() -> Endpoint.resolve(Map.of("HOME", "/nonexistent", "EHURI", "http://h/"), Optional.empty(), err))
                .hasMessageContaining("set EHAUTH=UUID:KEY");
        assertThatThrownBy(() -> Endpoint.resolve(Map.of("HOME", "/x", "EHURI", "ftp://h/", "EHAUTH", "a:b"),
                Optional.empty(), err)).hasMessageContaining("http:// or https://");
        assertThatThrownBy(() -> Endpoint.resolve(Map.of("HOME", "/x", "EHURI", "http://u:p@h/", "EHAUTH", "a:b"),
                Optional.empty(), err)).hasMessageContaining("not in EHURI");
    }
}
