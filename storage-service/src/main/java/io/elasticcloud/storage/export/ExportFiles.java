package io.elasticcloud.storage.export;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

/**
 * The layout of the exports' state directory: per export ({@link ExportRecord#key()}) its record
 * {@code KEY.export} and its daemon's pid file {@code KEY.pid}; names starting with a dot are work
 * in progress.
 */
final class ExportFiles {
    private static final String RECORD = ".export";
    private static final String PID = ".pid";

    private final Path directory;

    ExportFiles(Path directory) {
        this.directory = directory;
    }

    Path record(String key) {
        return directory.resolve(key + RECORD);
    }

    Path pid(String key) {
        return directory.resolve(key + PID);
    }

    /** The export records kept, sorted by name. */
    List<Path> records() throws IOException {
        try (Stream<Path> files = Files.list(directory)) {
            return files.filter(p -> p.getFileName().toString().endsWith(RECORD)
                    && !p.getFileName().toString().startsWith(".")).sorted().toList();
        }
    }

    /** Deletes work in progress and the pid files of exports other than {@code running}. */
    void sweep(Set<String> running) throws IOException {
        try (Stream<Path> files = Files.list(directory)) {
            for (Path p : files.toList()) {
                String n = p.getFileName().toString();
                boolean leftover = n.startsWith(".") || n.endsWith(PID)
                        && !running.contains(n.substring(0, n.length() - PID.length()));
                if (leftover) {
                    Files.deleteIfExists(p);
                }
            }
        }
    }
}
