package io.elasticcloud.agent.libvirt;

import io.elasticcloud.protocol.secret.PrivateFiles;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The guests' serial console logs, one file per server ({@code elastic-UUID.log}) in one
 * directory, or none at all. A log outlives its guest's stops (it is the record of the last
 * boot) and goes with the server.
 */
final class ConsoleLogs {
    private static final Logger log = LoggerFactory.getLogger(ConsoleLogs.class);

    private final Path directory;

    /** @param directory where the logs are written, created if missing; null for no console logs */
    ConsoleLogs(Path directory) {
        this.directory = directory;
        if (directory != null) {
            try {
                // rwx--x--x: no one may list the guests' server UUIDs; qemu, handed each log by
                // path, may pass
                PrivateFiles.directory(directory, PrivateFiles.TRAVERSE);
            } catch (IOException e) {
                throw new IllegalStateException("cannot create console directory " + directory, e);
            }
        }
    }

    /** Where the server's console is written; null for no console log. */
    Path of(String server) {
        return directory == null ? null : directory.resolve(DomainXml.domainName(server) + ".log");
    }

    /**
     * Deletes the server's console log: the one its domain's metadata names ({@code recorded})
     * if any, else the one it would have here now.
     */
    void delete(String server, Optional<Path> recorded) {
        Path file = recorded.orElse(of(server));
        if (file != null) {
            try {
                Files.deleteIfExists(file);
            } catch (IOException e) {
                log.warn("server {}: console log {} not deleted: {}", server, file, e.getMessage());
            }
        }
    }
}
