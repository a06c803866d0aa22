package io.elasticcloud.storage.export;

import io.elasticcloud.protocol.ElasticException;
import io.elasticcloud.protocol.agent.NbdExport;
import io.elasticcloud.protocol.secret.PrivateFiles;
import io.elasticcloud.protocol.storage.StorageCommands.ExportInfo;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The NBD exports of every pool of this process: one daemon per exported volume and mode, listening on
 * {@code address} at a port of the configured range, exporting the volume file's bytes as they
 * are kept (a LUKS volume stays encrypted on the wire and in the daemon: only the guest's QEMU,
 * given the passphrase as a libvirt secret, decrypts it). An export is held by the guests using
 * it ({@code holders}) and stops when the last lets go, or when its volume is destroyed. A volume
 * has a writable export for its owner's guests and a read-only one (qemu-storage-daemon's
 * {@code writable=off}, the file opened read-only) for every guest that must not write it: the two
 * open the file side by side, neither taking a lock that shuts the other out. With a TLS directory
 * ({@link Settings#tlsDir()}) every daemon speaks only TLS and admits only a client certificate of
 * its CA, and the attach answer says so ({@link NbdExport#tls()}).
 *
 * <p>Nothing left running, nothing lost: each export's {@link ExportRecord} is written before its
 * daemon starts. When the service stops, its daemons keep running (guests on other hosts keep
 * their disks); when it starts, a recorded daemon that runs is adopted, a recorded one that died
 * is started again on its port (the volume's guests reconnect), a record whose volume is gone is
 * dropped, and a daemon of ours that no record names is stopped. The state directory's layout is
 * {@link ExportFiles}'.
 */
public final class NbdExports implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(NbdExports.class);
    private static final Pattern HOLDER = Pattern.compile("[A-Za-z0-9][A-Za-z0-9/_.:-]{0,127}");

    /**
     * @param address   where exports listen, and what guests' hosts connect to: the storage host's
     *                  address on the storage network
     * @param firstPort the first port of the range
     * @param lastPort  the last port of the range (inclusive)
     * @param stateDir  the records and pid files of the exports
     * @param tlsDir    null for plain NBD; else where the daemons run, the x509 directory of their
     *                  TLS server ({@code ca-cert.pem}, {@code server-cert.pem}, {@code
     *                  server-key.pem}): every export then admits only a client whose certificate
     *                  that CA signed
     */
    public record Settings(String address, int firstPort, int lastPort, Path stateDir, Path tlsDir) {

        /** Plain NBD. */
        public Settings(String address, int firstPort, int lastPort, Path stateDir) {
            this(address, firstPort, lastPort, stateDir, null);
        }

        /** Whether exports require TLS with a client certificate. */
        public boolean tls() {
            return tlsDir != null;
        }

        public Settings {
            if (address == null || address.isBlank()) {
                throw new IllegalArgumentException("NBD exports need an address to listen on");
            }
            if (firstPort < 1 || lastPort > 65535 || firstPort > lastPort) {
                throw new IllegalArgumentException("NBD port range " + firstPort + "-" + lastPort + " is not a range of ports");
            }
        }

        /** Parses {@code FIRST-LAST} (or one port). */
        public static int[] ports(String range) {
            String[] parts = range.strip().split("-");
            try {
                int first = Integer.parseInt(parts[0].strip());
                int last = parts.length > 1 ? Integer.parseInt(parts[1].strip()) : first;
                if (parts.length > 2) {
                    throw new NumberFormatException();
                }
                return new int[] {first, last};
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("'" + range + "' is not a port range FIRST-LAST");
            }
        }
    }

    private final Settings settings;
    private final ExportDaemons daemons;
    private final ExportFiles files;
    /** The running exports by {@link ExportRecord#key()}, each with its daemon's process id. */
    private final Map<String, Running> exports = new TreeMap<>();

    private record Running(ExportRecord record, long pid) {
    }

    public NbdExports(Settings settings, ExportDaemons daemons) throws IOException {
        this.settings = settings;
        this.daemons = daemons;
        this.files = new ExportFiles(settings.stateDir());
        // rwx------ (its parents, the data directory, keep their modes: guests reach volumes below them)
        PrivateFiles.directory(settings.stateDir());
        recover();
    }

    public Settings settings() {
        return settings;
    }

    /**
     * The export of {@code volume} (kept in {@code file}) of pool {@code pool}, writable or read-only,
     * started if it does not run, now held by {@code holder} too.
     *
     * @throws ElasticException {@code usage} for a bad holder, {@code failed} when no daemon starts
     */
    public synchronized NbdExport attach(String pool, String volume, Path file, String holder, boolean readOnly)
            throws IOException {
        if (holder == null || !HOLDER.matcher(holder).matches()) {
            throw ElasticException.usage("an export needs a holder (letters, digits and /_.:-), not '%s'", holder);
        }
        String key = ExportRecord.key(pool, volume, readOnly);
        Running running = exports.get(key);
        if (running != null && !daemons.alive(running.pid(), files.pid(key))) {
            log.warn("the export of volume {} (pool {}) had stopped: starting it again on port {}", volume, pool,
                    running.record().port());
            running = launch(running.record(), true);
        }
        if (running == null) {
            running = launch(new ExportRecord(pool, volume, file, 0, Set.of(holder), readOnly, settings.tls()), false);
        }
        if (!running.record().holders().contains(holder)) {
            Set<String> holders = new LinkedHashSet<>(running.record().holders());
            holders.add(holder);
            running = remember(new Running(running.record().withHolders(holders), running.pid()));
        }
        return nbd(running.record());
    }

    /** {@code holder} lets go of the exports of {@code volume} (either mode); the last holder of one stops it. */
    public synchronized void detach(String pool, String volume, String holder) throws IOException {
        detach(ExportRecord.key(pool, volume, false), holder);
        detach(ExportRecord.key(pool, volume, true), holder);
    }

    private void detach(String key, String holder) throws IOException {
        Running running = exports.get(key);
        if (running == null || !running.record().holders().contains(holder)) {
            return;
        }
        Set<String> holders = new LinkedHashSet<>(running.record().holders());
        holders.remove(holder);
        if (holders.isEmpty()) {
            stop(key);
        } else {
            remember(new Running(running.record().withHolders(holders), running.pid()));
        }
    }

    /** Stops the exports of {@code volume}, whoever holds them (the volume is being destroyed). */
    public synchronized void stop(String pool, String volume) throws IOException {
        stop(ExportRecord.key(pool, volume, false));
        stop(ExportRecord.key(pool, volume, true));
    }

    /** The exports of {@code pool}. */
    public synchronized List<ExportInfo> list(String pool) {
        List<ExportInfo> list = new ArrayList<>();
        for (Running running : exports.values()) {
            if (running.record().pool().equals(pool)) {
                list.add(new ExportInfo(running.record().volume(), nbd(running.record()), running.record().sortedHolders(),
                        running.record().readOnly()));
            }
        }
        return list;
    }

    /**
     * Starts again, each on its port, the exports whose daemon died (the storage host restarted,
     * or the daemon was killed), so that the guests holding them reconnect without anyone
     * attaching again. One look at the running daemons ({@link ExportDaemons#running}) per call,
     * whatever the number of exports: a storage box answers each command through its one agent
     * channel. An export that does not start now keeps its record and holders for the next call.
     *
     * @return how many exports were started again
     */
    public synchronized int revive() {
        if (exports.isEmpty()) {
            return 0;
        }
        Set<Long> running;
        try {
            running = daemons.running(settings.stateDir());
        } catch (RuntimeException unreachable) {
            log.warn("cannot list the export daemons on {} (tried again later): {}", settings.address(),
                    unreachable.getMessage());
            return 0;
        }
        int revived = 0;
        for (Running dead : List.copyOf(exports.values())) {
            if (running.contains(dead.pid())) {
                continue;
            }
            try {
                launch(dead.record(), true);
                revived++;
                log.info("the export of volume {} (pool {}) had stopped: started again", dead.record().volume(),
                        dead.record().pool());
            } catch (IOException | RuntimeException e) {
                log.warn("the export of volume {} (pool {}) is down and did not start again (tried again later): {}",
                        dead.record().volume(), dead.record().pool(), e.getMessage());
                try {
                    remember(dead);
                } catch (IOException unwritten) {
                    log.warn("could not keep the export record of volume {}: {}", dead.record().volume(),
                            unwritten.getMessage());
                }
            }
        }
        return revived;
    }

    /** Stops every export (for tests and for taking a storage host out of service). */
    public synchronized void stopAll() throws IOException {
        for (String key : List.copyOf(exports.keySet())) {
            stop(key);
        }
    }

    /** Leaves the daemons running: guests keep their disks, and the next start adopts them. */
    @Override
    public void close() {
    }

    private NbdExport nbd(ExportRecord record) {
        return new NbdExport(settings.address(), record.port(), record.volume(), record.tls());
    }

    private Running launch(ExportRecord record, boolean samePortFirst) throws IOException {
        Set<Integer> taken = new HashSet<>();
        for (Running other : exports.values()) {
            if (!other.record().key().equals(record.key())) {
                taken.add(other.record().port());
            }
        }
        List<Integer> candidates = new ArrayList<>();
        if (samePortFirst && record.port() > 0) {
            candidates.add(record.port());
        }
        for (int port = settings.firstPort(); port <= settings.lastPort(); port++) {
            if (!taken.contains(port) && !candidates.contains(port)) {
                candidates.add(port);
            }
        }
        String key = record.key();
        ExportDaemons.LaunchFailure last = null;
        for (int port : candidates) {
            ExportRecord at = record.withPort(port).withTls(settings.tls());
            at.write(files.record(key));
            try {
                long pid = daemons.start(new ExportDaemons.Launch(at.file(), settings.address(), port, at.volume(),
                        files.pid(key), at.readOnly(), settings.tls() ? settings.tlsDir().toString() : null));
                log.info("exporting volume {} (pool {}) {} over NBD{} on {}:{}", at.volume(), at.pool(),
                        at.readOnly() ? "read-only" : "writable", at.tls() ? " with TLS" : "", settings.address(), port);
                return remember(new Running(at, pid));
            } catch (ExportDaemons.LaunchFailure e) {
                last = e;
                if (!e.portTaken()) {
                    break;
                }
            }
        }
        exports.remove(key);
        Files.deleteIfExists(files.record(key));
        log.error("volume {} (pool {}) could not be exported: {}", record.volume(), record.pool(),
                last == null ? "no free port in " + settings.firstPort() + "-" + settings.lastPort() : last.getMessage());
        throw ElasticException.failed("volume %s could not be exported to another host: %s", record.volume(),
                last == null || last.portTaken() ? "no free NBD port" : "the export daemon did not start");
    }

    private Running remember(Running running) throws IOException {
        running.record().write(files.record(running.record().key()));
        exports.put(running.record().key(), running);
        return running;
    }

    private void stop(String key) throws IOException {
        Running running = exports.remove(key);
        // the record goes first: after a crash right here, the daemon is a stray the next start
        // stops, never an export restarted for a holder that let go
        Files.deleteIfExists(files.record(key));
        if (running != null) {
            daemons.stop(running.pid());
            log.info("stopped the NBD export of volume {} (pool {}) on port {}", running.record().volume(),
                    running.record().pool(), running.record().port());
        }
        Files.deleteIfExists(files.pid(key));
    }

    private void recover() throws IOException {
        for (Path file : files.records()) {
            ExportRecord record;
            try {
                record = ExportRecord.read(file);
            } catch (IOException e) {
                log.warn("dropping unreadable export record {}: {}", file, e.getMessage());
                Files.deleteIfExists(file);
                continue;
            }
            String key = record.key();
            Optional<Long> pid = daemons.pid(files.pid(key));
            boolean alive = pid.isPresent() && daemons.alive(pid.get(), files.pid(key));
            if (alive && record.tls() != settings.tls()) {
                // never adopt a daemon that serves otherwise than the setting: a plain one would
                // leave the volume open to any host of the storage network after TLS was turned on
                log.warn("the NBD export of volume {} (pool {}) ran {} TLS: starting it again {} (its guests' hosts"
                        + " reconnect only if they are configured alike)", record.volume(), record.pool(),
                        record.tls() ? "with" : "without", settings.tls() ? "with" : "without");
                daemons.stop(pid.get());
                alive = false;
            }
            if (alive) {
                log.info("adopting the NBD export of volume {} (pool {}) on port {}", record.volume(), record.pool(),
                        record.port());
                exports.put(key, new Running(record, pid.get()));
            } else if (record.holders().isEmpty() || !daemons.exists(record.file())) {
                log.info("dropping the export record of volume {} (pool {}): nothing holds it", record.volume(),
                        record.pool());
                Files.deleteIfExists(file);
                Files.deleteIfExists(files.pid(key));
            } else {
                try {
                    launch(record, true);
                } catch (ElasticException e) {
                    log.error("the export of volume {} (pool {}) could not be restarted: {}", record.volume(),
                            record.pool(), e.getMessage());
                }
            }
        }
        Set<Long> ours = new HashSet<>();
        exports.values().forEach(r -> ours.add(r.pid()));
        for (long pid : daemons.running(settings.stateDir())) {
            if (!ours.contains(pid)) {
                log.info("stopping export daemon {}: no export record names it", pid);
                daemons.stop(pid);
            }
        }
        files.sweep(exports.keySet());
    }
}
