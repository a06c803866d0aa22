package io.elasticcloud.storage.export;

import java.io.IOException;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Properties;
import java.util.Set;

/**
 * What the storage service remembers of one export, in {@code STATE/POOL.VOLUME.export}: written
 * before its daemon starts and at every change of holders, so that after a restart every daemon
 * is either adopted (its record names it) or stopped (no record does). Text (java.util.Properties):
 * {@code pool}, {@code volume}, {@code file}, {@code port}, {@code holders} (comma-separated),
 * {@code mode} ({@code ro} for a read-only export; a record without it is writable, as every
 * export was before read-only ones), {@code tls} ({@code on} when its daemon was started with TLS;
 * a record without it is plain NBD): what the attach answer tells the guest's host, and what a
 * restart compares with the setting, so that an adopted daemon never serves otherwise than it says.
 *
 * <p>A volume has at most two exports, each with its own daemon and port: the writable one (its
 * owner's guests) and the read-only one (library and shared drives, cdroms).
 */
record ExportRecord(String pool, String volume, Path file, int port, Set<String> holders, boolean readOnly,
                    boolean tls) {

    ExportRecord {
        holders = Set.copyOf(new LinkedHashSet<>(holders));
    }

    static String key(String pool, String volume, boolean readOnly) {
        return pool + "." + volume + (readOnly ? ".ro" : "");
    }

    String key() {
        return key(pool, volume, readOnly);
    }

    ExportRecord withHolders(Set<String> newHolders) {
        return new ExportRecord(pool, volume, file, port, newHolders, readOnly, tls);
    }

    ExportRecord withPort(int newPort) {
        return new ExportRecord(pool, volume, file, newPort, holders, readOnly, tls);
    }

    ExportRecord withTls(boolean newTls) {
        return new ExportRecord(pool, volume, file, port, holders, readOnly, newTls);
    }

    List<String> sortedHolders() {
        List<String> sorted = new ArrayList<>(holders);
        sorted.sort(null);
        return sorted;
    }

    static ExportRecord read(Path file) throws IOException {
        Properties p = new Properties();
        p.load(new StringReader(Files.readString(file, StandardCharsets.UTF_8)));
        try {
            String holders = p.getProperty("holders", "");
            return new ExportRecord(require(p, "pool"), require(p, "volume"), Path.of(require(p, "file")),
                    Integer.parseInt(require(p, "port")),
                    holders.isEmpty() ? Set.of() : new LinkedHashSet<>(Arrays.asList(holders.split(","))),
                    "ro".equals(p.getProperty("mode")), "on".equals(p.getProperty("tls")));
        } catch (RuntimeException e) {
            throw new IOException("corrupt export record " + file + ": " + e.getMessage());
        }
    }

    /** Replaces the record atomically. */
    void write(Path file) throws IOException {
        String text = "# elastic-cloud NBD export: adopted or stopped when the storage service starts\n"
                + "pool=" + pool + "\nvolume=" + volume + "\nfile=" + escape(file().toString()) + "\nport=" + port
                + "\nholders=" + String.join(",", sortedHolders()) + "\nmode=" + (readOnly ? "ro" : "rw") + "\ntls=" + (tls ? "on" : "off") + "\n";
        Path tmp = file.resolveSibling("." + file.getFileName() + ".tmp");
        Files.writeString(tmp, text, StandardCharsets.UTF_8, StandardOpenOption.CREATE,
                StandardOpenOption.TRUNCATE_EXISTING, StandardOpenOption.WRITE, StandardOpenOption.SYNC);
        Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }

    private static String escape(String value) {
        StringBuilder out = new StringBuilder();
        for (char c : value.toCharArray()) {
            if (c == '\\' || c == '=' || c == ':' || c == '#' || c == '!') {
                out.append('\\');
            }
            out.append(c);
        }
        return out.toString();
    }

    private static String require(Properties p, String key) {
        String value = p.getProperty(key);
        if (value == null || value.isEmpty()) {
            throw new IllegalArgumentException("no " + key);
        }
        return value;
    }
}
