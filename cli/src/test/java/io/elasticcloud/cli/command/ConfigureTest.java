package io.elasticcloud.cli.command;

import static org.assertj.core.api.Assertions.assertThat;

import io.elasticcloud.cli.FakeApi;
import io.elasticcloud.cli.Run;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code elastic configure}: the config file from the environment or from answers, mode 0600, the key never shown. */
class ConfigureTest {
    private final FakeApi api = new FakeApi();
    @TempDir
    Path home;

    @AfterEach
    void stop() {
        api.close();
    }

    private Path config() {
        return home.resolve(".config/elastic/config");
    }

    @Test
    void writesTheEnvironmentsEndpointAndCredentialsWithMode0600AndLaterCommandsUseThem() throws IOException {
        Run run = Run.of(Map.of("HOME", home.toString(), "EHURI", api.uri(),
                "EHAUTH", FakeApi.USER + ":" + FakeApi.KEY), null, "configure");
        assertThat(run.status()).as(run.stderr()).isZero();
        assertThat(Files.readString(config())).contains("uri " + api.uri() + "\n",
                "auth " + FakeApi.USER + ":" + FakeApi.KEY + "\n");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(config()))).isEqualTo("rw-------");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(config().getParent())))
                .isEqualTo("rwx------");
        assertThat(run.stderr()).contains("wrote " + config(), FakeApi.USER).doesNotContain(FakeApi.KEY);
        assertThat(run.out()).isEmpty();
        try (var files = Files.list(config().getParent())) {
            assertThat(files).containsExactly(config()); // no temporary file left behind
        }

        // no EHURI nor EHAUTH now: the file is what the tool uses, without a warning about its mode
        String drive = api.addDrive(1024);
        Run info = Run.of(Map.of("HOME", home.toString()), null, "drives", "info", drive);
        assertThat(info.status()).as(info.stderr()).isZero();
        assertThat(info.stderr()).isEmpty();
        assertThat(api.requests().get(api.requests().size() - 1).header("Authorization"))
                .isEqualTo("Basic " + java.util.Base64.getEncoder().encodeToString(
                        (FakeApi.USER + ":" + FakeApi.KEY).getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void asksForWhatTheEnvironmentDoesNotSayAndReplacesTheOldFile() throws IOException {
        Files.createDirectories(config().getParent());
        Files.writeString(config(), "uri http://old.example/\nauth old:old\n");
        Files.setPosixFilePermissions(config(), PosixFilePermissions.fromString("rw-r--r--"));
        byte[] answers = ("http://127.0.0.1:9/\n" + FakeApi.USER + "\n" + FakeApi.KEY + "\n")
                .getBytes(StandardCharsets.UTF_8);
        Run run = Run.of(Map.of("ELASTIC_CONFIG", config().toString()), answers, "configure");
        assertThat(run.status()).as(run.stderr()).isZero();
        assertThat(Files.readString(config())).contains("uri http://127.0.0.1:9/\n",
                "auth " + FakeApi.USER + ":" + FakeApi.KEY + "\n").doesNotContain("old");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(config()))).isEqualTo("rw-------");
        assertThat(run.stderr() + run.out()).doesNotContain(FakeApi.KEY);
    }

    @Test
    void refusesWhatCannotBeAnEndpointOrCredentialsAndWritesNothing() {
        Map<String, String> env = Map.of("HOME", home.toString());
        Run badUri = Run.of(env, ("ftp://host/\n").getBytes(StandardCharsets.UTF_8), "configure");
        assertThat(badUri.status()).isEqualTo(2);
        assertThat(badUri.stderr()).startsWith("elastic: config: EHURI must be an http:// or https:// URL");

        Run badUser = Run.of(env, ("http://127.0.0.1:9/\nnot-a-uuid\nsecret-word\n").getBytes(StandardCharsets.UTF_8),
                "configure");
        assertThat(badUser.status()).isEqualTo(2);
        assertThat(badUser.stderr()).contains("the account must be a UUID").doesNotContain("secret-word");

        Run noKey = Run.of(env, ("http://127.0.0.1:9/\n" + FakeApi.USER + "\n").getBytes(StandardCharsets.UTF_8),
                "configure");
        assertThat(noKey.status()).isEqualTo(2);
        assertThat(noKey.stderr()).contains("no answer: nothing was written");

        Run spacedKey = Run.of(Map.of("HOME", home.toString(), "EHURI", "http://127.0.0.1:9/",
                "EHAUTH", FakeApi.USER + ":two words"), null, "configure");
        assertThat(spacedKey.status()).isEqualTo(2);
        assertThat(spacedKey.stderr()).doesNotContain("two words");
        assertThat(config()).doesNotExist();

        Run help = Run.of(env, null, "configure", "--help");
        assertThat(help.status()).isZero();
        assertThat(help.out()).startsWith("usage: elastic configure [OPTIONS]").contains("mode 0600");
    }
}
