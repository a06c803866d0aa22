package io.elasticcloud.cli.transfer;

import io.elasticcloud.cli.CliException;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * What an interrupted transfer needs to go on: a small text file next to the local file
 * ({@code FILE.elastic-upload} or {@code FILE.elastic-download}), in the API's {@code key value}
 * form. It names the drive, the chunk size, the content's length and (for an upload) the file's
 * size and modification time; {@code done N} says the first N chunks are on the other side, with
 * the CRC-32 of each, so a resume re-sends any chunk whose bytes are no longer what was sent.
 * Every save writes a new file and renames it over the old one, so a kill at any moment leaves
 * either the old state or the new, never half of one.
 */
public final class TransferState {
    private static final int CRCS_PER_LINE = 16;

    private final Map<String, String> fields;
    private final List<Long> crcs;

    private TransferState(Map<String, String> fields, List<Long> crcs) {
        this.fields = fields;
        this.crcs = crcs;
    }

    public static TransferState upload(String drive, boolean created, int chunkSize, long length,
                                       String source, long sourceSize, long sourceModified) {
        Map<String, String> f = new LinkedHashMap<>();
        f.put("kind", "upload");
        f.put("drive", drive);
        f.put("created", Boolean.toString(created));
        f.put("chunk", Integer.toString(chunkSize));
        f.put("length", Long.toString(length));
        f.put("source", source);
        f.put("source-size", Long.toString(sourceSize));
        f.put("source-modified", Long.toString(sourceModified));
        f.put("submitted", "0");
        f.put("verified", "0");
        return new TransferState(f, new ArrayList<>());
    }

    public static TransferState download(String drive, int chunkSize, long length) {
        Map<String, String> f = new LinkedHashMap<>();
        f.put("kind", "download");
        f.put("drive", drive);
        f.put("chunk", Integer.toString(chunkSize));
        f.put("length", Long.toString(length));
        return new TransferState(f, new ArrayList<>());
    }

    public synchronized String kind() {
        return fields.get("kind");
    }

    public synchronized String drive() {
        return fields.get("drive");
    }

    public synchronized boolean created() {
        return Boolean.parseBoolean(fields.get("created"));
    }

    public synchronized int chunkSize() {
        return Integer.parseInt(fields.get("chunk"));
    }

    public synchronized long length() {
        return Long.parseLong(fields.get("length"));
    }

    public synchronized String source() {
        return fields.getOrDefault("source", "");
    }

    public synchronized long sourceSize() {
        return Long.parseLong(fields.getOrDefault("source-size", "-1"));
    }

    public synchronized long sourceModified() {
        return Long.parseLong(fields.getOrDefault("source-modified", "-1"));
    }

    /** Chunks below this index may have been sent (possibly not finished) before an interruption. */
    public synchronized long submitted() {
        return Long.parseLong(fields.getOrDefault("submitted", "0"));
    }

    public synchronized void setSubmitted(long chunks) {
        fields.put("submitted", Long.toString(chunks));
    }

    /** The first {@code done()} chunks are complete. */
    public synchronized long done() {
        return crcs.size();
    }

    public synchronized long crc(long index) {
        return crcs.get((int) index);
    }

    /** Chunk {@code index} is complete; chunks complete in order, so it must be {@link #done()}. */
    public synchronized void markDone(long index, long crc32) {
        if (index != crcs.size()) {
            throw new IllegalStateException("chunk " + index + " done after " + crcs.size());
        }
        crcs.add(crc32);
    }

    /** The first {@code verified()} chunks (at most {@link #done()}) were read back and matched. */
    public synchronized long verified() {
        return Math.min(done(), Long.parseLong(fields.getOrDefault("verified", "0")));
    }

    /** Chunk {@code index} was read back and matched; counts when it is the next one ({@link #verified()}). */
    public synchronized void markVerified(long index) {
        if (index == verified() && index < done()) {
            fields.put("verified", Long.toString(index + 1));
        }
    }

    /** Forgets chunks from {@code index} on (their bytes changed since they were sent). */
    public synchronized void truncate(long index) {
        while (crcs.size() > index) {
            crcs.remove(crcs.size() - 1);
        }
        fields.put("verified", Long.toString(verified()));
    }

    public synchronized String format() {
        StringBuilder b = new StringBuilder("# elastic drives ").append(kind())
                .append(": resume state (elastic drives ").append(kind())
                .append(" --resume); delete this file to start over\n");
        fields.forEach((k, v) -> b.append(k).append(' ').append(v).append('\n'));
        b.append("done ").append(crcs.size()).append('\n');
        for (int i = 0; i < crcs.size(); i += CRCS_PER_LINE) {
            b.append("crc32");
            for (int j = i; j < Math.min(crcs.size(), i + CRCS_PER_LINE); j++) {
                b.append(' ').append(String.format(Locale.ROOT, "%08x", crcs.get(j)));
            }
            b.append('\n');
        }
        return b.toString();
    }

    public static TransferState parse(String text, Path from) {
        Map<String, String> f = new LinkedHashMap<>();
        List<Long> crcs = new ArrayList<>();
        long done = -1;
        try {
            for (String line : text.split("\n")) {
                if (line.isBlank() || line.startsWith("#")) {
                    continue;
                }
                int sp = line.indexOf(' ');
                String key = sp < 0 ? line : line.substring(0, sp);
                String value = sp < 0 ? "" : line.substring(sp + 1);
                switch (key) {
                    case "done" -> done = Long.parseLong(value);
                    case "crc32" -> {
                        for (String h : value.trim().split(" +")) {
                            crcs.add(Long.parseLong(h, 16));
                        }
                    }
                    default -> f.put(key, value);
                }
            }
            if (done != crcs.size() || !f.containsKey("kind") || !f.containsKey("drive") || !f.containsKey("chunk")
                    || !f.containsKey("length")) {
                throw new IllegalArgumentException("incomplete");
            }
            TransferState s = new TransferState(f, crcs);
            s.chunkSize();
            s.length();
            return s;
        } catch (RuntimeException e) {
            throw CliException.local("%s is not a resume state this tool wrote; delete it to start over", from);
        }
    }

    public static TransferState load(Path path) {
        try {
            return parse(Files.readString(path, StandardCharsets.UTF_8), path);
        } catch (IOException e) {
            throw CliException.local("cannot read %s: %s", path, e.getMessage());
        }
    }

    /** Writes the state to {@code path} atomically (a new file, synced, renamed over the old one). */
    public void save(Path path) {
        byte[] bytes = format().getBytes(StandardCharsets.UTF_8);
        Path tmp = path.resolveSibling(path.getFileName() + ".tmp");
        try {
            try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                    StandardOpenOption.TRUNCATE_EXISTING);
                 OutputStream out = java.nio.channels.Channels.newOutputStream(ch)) {
                out.write(bytes);
                out.flush();
                ch.force(true);
            }
            try {
                Files.move(tmp, path, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, path, StandardCopyOption.REPLACE_EXISTING);
            }
        } catch (IOException e) {
            throw CliException.local("cannot write the resume state %s: %s", path, e.getMessage());
        }
    }
}
