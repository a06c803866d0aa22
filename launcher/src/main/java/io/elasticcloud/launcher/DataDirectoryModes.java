package io.elasticcloud.launcher;

import io.elasticcloud.protocol.secret.PrivateFiles;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.Optional;
import org.springframework.boot.EnvironmentPostProcessor;
import org.springframework.boot.SpringApplication;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.Environment;

/**
 * The modes of the data directory ({@code elastic.data-dir}) and of the H2 database in it, set
 * before anything opens a file there, so an install made before they were kept private is closed
 * at its next start. Every entry below the data directory is closed by the module that owns it
 * ({@link PrivateFiles}: {@code keys/}, {@code tmp/}, {@code exports/} {@code rwx------},
 * {@code volumes/} and its pools {@code rwx--x--x}); this class owns the directory itself and
 * {@code db/} (H2 is configured here, in application.yml).
 *
 * <p>The data directory is {@code rwx--x--x} in a process that runs a storage node or a node
 * agent: libvirt runs each guest's qemu as its own user ({@code libvirt-qemu}) and, with
 * {@code dynamic_ownership}, hands it the volume file (and console log) by path for the guest's
 * lifetime, so that user must be able to pass through every directory above it. Passing is all
 * it gets: no one else may list the directory, and every entry in it is closed on its own. A
 * process with the API alone has no such guest: {@code rwx------}.
 */
public class DataDirectoryModes implements EnvironmentPostProcessor {

    @Override
    public void postProcessEnvironment(ConfigurableEnvironment environment, SpringApplication application) {
        apply(environment);
    }

    /** Sets the modes; again after start for the database files H2 made meanwhile. */
    static void apply(Environment environment) {
        Roles roles = Roles.of(environment);
        Path data = dataDir(environment);
        try {
            PrivateFiles.directory(data, roles.storage() || roles.agent() ? PrivateFiles.TRAVERSE : PrivateFiles.DIRECTORY);
            if (roles.api()) {
                Optional<Path> db = h2Directory(environment.getProperty("spring.datasource.url"));
                if (db.isPresent()) {
                    PrivateFiles.directory(db.get());
                    PrivateFiles.closeTree(db.get());
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot set the modes of the data directory " + data, e);
        }
    }

    static Path dataDir(Environment environment) {
        return Path.of(environment.getProperty("elastic.data-dir", "./data")).toAbsolutePath().normalize();
    }

    /** The directory of an H2 file database ({@code jdbc:h2:file:PATH;...}); empty for any other. */
    static Optional<Path> h2Directory(String url) {
        String prefix = "jdbc:h2:file:";
        if (url == null || !url.startsWith(prefix)) {
            return Optional.empty();
        }
        String file = url.substring(prefix.length());
        int options = file.indexOf(';');
        if (options >= 0) {
            file = file.substring(0, options);
        }
        Path parent = Path.of(file).toAbsolutePath().normalize().getParent();
        return Optional.ofNullable(parent);
    }
}
