package io.elasticcloud.launcher;

import io.elasticcloud.protocol.secret.PrivateFiles;
import io.elasticcloud.protocol.settings.DataDirectory;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.Optional;
import org.springframework.boot.EnvironmentPostProcessor;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.context.properties.bind.Binder;
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
 * process with the API alone has no such guest, but may share the directory with one that has:
 * it closes reading and writing to others and keeps whatever passage ({@code x}) is there.
 *
 * <p>H2's own files are closed: the whole {@code db/} directory when the database has one below
 * the data directory, only {@code NAME.*} when it lies straight in the data directory or elsewhere.
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
            if (roles.storage() || roles.agent()) {
                PrivateFiles.directory(data, PrivateFiles.TRAVERSE);
            } else {
                // an API process may share its data directory with a storage node or agent started
                // on its own: their guests' passage is kept, only reading and writing are closed
                PrivateFiles.directoryKeepingPassage(data);
            }
            if (roles.api()) {
                Optional<Path> base = h2Base(environment.getProperty("spring.datasource.url"));
                if (base.isPresent()) {
                    closeDatabase(base.get(), data);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot set the modes of the data directory " + data, e);
        }
    }

    /**
     * Closes H2's files ({@code NAME.*}, next to {@code base}); their directory too, whole, when it
     * is one of their own below the data directory (such as {@code db/}), never the data directory
     * or a directory above it, which hold other modules' files.
     */
    private static void closeDatabase(Path base, Path data) throws IOException {
        Path dir = base.getParent();
        if (dir == null) {
            return;
        }
        if (dir.startsWith(data) && !dir.equals(data)) {
            PrivateFiles.directory(dir);
            PrivateFiles.closeTree(dir);
            return;
        }
        if (!Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        String prefix = base.getFileName() + ".";
        try (DirectoryStream<Path> files = Files.newDirectoryStream(dir, f -> f.getFileName().toString().startsWith(prefix))) {
            for (Path f : files) {
                PrivateFiles.closeTree(f);
            }
        }
    }

    /** {@code elastic.data-dir}, bound as the services bind it ({@link DataDirectory}), its default included. */
    static Path dataDir(Environment environment) {
        return Binder.get(environment).bindOrCreate("elastic", DataDirectory.class).dataDir().toAbsolutePath().normalize();
    }

    /**
     * The base name of an H2 file database ({@code jdbc:h2:file:PATH;...}, a leading {@code ~} being
     * the home directory, as H2 reads it): its files are {@code PATH.mv.db}, {@code PATH.trace.db}...
     * Empty for any other URL.
     */
    static Optional<Path> h2Base(String url) {
        String prefix = "jdbc:h2:file:";
        if (url == null || !url.startsWith(prefix)) {
            return Optional.empty();
        }
        String file = url.substring(prefix.length());
        int options = file.indexOf(';');
        if (options >= 0) {
            file = file.substring(0, options);
        }
        if (file.equals("~") || file.startsWith("~/")) {
            file = System.getProperty("user.home") + file.substring(1);
        }
        if (file.isBlank()) {
            return Optional.empty();
        }
        return Optional.of(Path.of(file).toAbsolutePath().normalize());
    }
}
