package io.elasticcloud.bench;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Runs a bash pipeline ({@code set -euo pipefail}), bounded in time, and says how long it took. */
final class Shell {
    private static final Duration TIMEOUT = Duration.ofMinutes(5);

    private Shell() {
    }

    /** @return the wall-clock time of the whole pipeline, in nanoseconds */
    static long timed(String script) {
        long start = System.nanoTime();
        run(script);
        return System.nanoTime() - start;
    }

    /** Runs it; its output (both streams) is returned, and printed in the error if it fails. */
    static String run(String script) {
        Path out = null;
        try {
            out = java.nio.file.Files.createTempFile("bench-shell-", ".out");
            Process p = new ProcessBuilder(List.of("bash", "-c", "set -euo pipefail\n" + script))
                    .redirectErrorStream(true)
                    .redirectOutput(out.toFile())
                    .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                    .start();
            if (!p.waitFor(TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
                p.descendants().forEach(ProcessHandle::destroyForcibly);
                p.destroyForcibly();
                throw new IllegalStateException("still running after " + TIMEOUT + ": " + script);
            }
            String printed = java.nio.file.Files.readString(out, StandardCharsets.UTF_8);
            if (p.exitValue() != 0) {
                throw new IllegalStateException("exit " + p.exitValue() + ": " + script + "\n" + printed);
            }
            return printed;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        } finally {
            if (out != null) {
                out.toFile().delete();
            }
        }
    }

    /** Single-quoted for bash. */
    static String q(Object path) {
        return "'" + path.toString().replace("'", "'\\''") + "'";
    }

    /**
     * Drops the file's pages from the page cache (posix_fadvise DONTNEED through dd's
     * {@code iflag=nocache}), after an fsync so that none is dirty: the next read comes from the disk.
     */
    static void evict(Path file) {
        run("sync " + q(file) + "\ndd if=" + q(file) + " iflag=nocache count=0 status=none");
    }
}
