package io.elasticcloud.storage.volume;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Bytes that files really occupy on disk (st_blocks), which the JDK does not expose: asks
 * coreutils' {@code stat} once for a whole batch of files.
 */
final class DiskUsage {
    private static final Logger log = LoggerFactory.getLogger(DiskUsage.class);
    private static final int BATCH = 256;

    private DiskUsage() {
    }

    /** Allocated bytes per file; a file that vanished meanwhile is left out. */
    static Map<Path, Long> allocated(List<Path> files) {
        Map<Path, Long> result = new HashMap<>();
        for (int i = 0; i < files.size(); i += BATCH) {
            List<Path> batch = files.subList(i, Math.min(files.size(), i + BATCH));
            try {
                result.putAll(stat(batch));
            } catch (IOException e) {
                // the apparent size overstates a sparse file but is never less than the truth
                log.warn("stat failed, reporting apparent sizes: {}", e.getMessage());
                for (Path p : batch) {
                    try {
                        result.put(p, Files.size(p));
                    } catch (IOException gone) {
                        // vanished: left out
                    }
                }
            }
        }
        return result;
    }

    private static Map<Path, Long> stat(List<Path> files) throws IOException {
        List<String> cmd = new ArrayList<>(List.of("stat", "--printf=%n\\t%b\\t%B\\n", "--"));
        files.forEach(f -> cmd.add(f.toString()));
        Process p = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        p.getOutputStream().close();
        // bounded: one short line per file
        String out = new String(p.getInputStream().readNBytes(files.size() * 4096 + 4096), StandardCharsets.UTF_8);
        try {
            if (!p.waitFor(10, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IOException("stat did not finish");
            }
        } catch (InterruptedException e) {
            p.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
        Map<String, Path> byName = new HashMap<>();
        files.forEach(f -> byName.put(f.toString(), f));
        Map<Path, Long> result = new HashMap<>();
        for (String line : out.split("\n")) {
            String[] parts = line.split("\t");
            if (parts.length == 3 && byName.containsKey(parts[0])) {
                try {
                    result.put(byName.get(parts[0]), Long.parseLong(parts[1]) * Long.parseLong(parts[2]));
                } catch (NumberFormatException e) {
                    throw new IOException("unexpected stat output: " + line);
                }
            }
        }
        return result;
    }
}
