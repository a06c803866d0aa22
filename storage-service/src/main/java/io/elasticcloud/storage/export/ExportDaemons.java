package io.elasticcloud.storage.export;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.Set;

/**
 * The processes that serve exports, behind a narrow interface: the real one runs {@code
 * qemu-storage-daemon} ({@link QemuStorageDaemons}), tests of the bookkeeping give a fake.
 */
public interface ExportDaemons {

    /**
     * What one daemon serves: {@code file}'s bytes as export {@code name} on {@code address:port},
     * refusing writes when {@code readOnly}; with {@code tlsDir} (where the daemon runs: {@code
     * ca-cert.pem}, {@code server-cert.pem}, {@code server-key.pem}), only over TLS and only to a
     * client whose certificate that CA signed; null: plain NBD.
     */
    record Launch(Path file, String address, int port, String name, Path pidFile, boolean readOnly, String tlsDir) {

        /** Plain NBD, no TLS. */
        public Launch(Path file, String address, int port, String name, Path pidFile, boolean readOnly) {
            this(file, address, port, name, pidFile, readOnly, null);
        }
    }

    /** Why a daemon did not start. */
    final class LaunchFailure extends IOException {
        private final boolean portTaken;

        public LaunchFailure(String message, boolean portTaken) {
            super(message);
            this.portTaken = portTaken;
        }

        /** True when only the port was in use: another port may work. */
        public boolean portTaken() {
            return portTaken;
        }
    }

    /**
     * Starts a daemon and returns its process id once it listens.
     *
     * @throws LaunchFailure when it does not start (its own words in the message)
     */
    long start(Launch launch) throws IOException;

    /** Whether process {@code pid} runs and is the daemon started with {@code pidFile}. */
    boolean alive(long pid, Path pidFile);

    /** Ends process {@code pid} (terminate, then kill after a bounded wait); gone already is fine. */
    void stop(long pid);

    /** The ids of running daemons whose pid file lies in {@code directory} (ours, by their command line). */
    Set<Long> running(Path directory);

    /**
     * The process id the daemon started with {@code pidFile} wrote, empty if there is none: the
     * file is where the daemons run (this machine, or a storage box for the daemons there).
     */
    default Optional<Long> pid(Path pidFile) throws IOException {
        return QemuStorageDaemons.readPid(pidFile);
    }

    /** Whether {@code file}, a volume's bytes, is there to export where the daemons run. */
    default boolean exists(Path file) throws IOException {
        return Files.exists(file);
    }
}
