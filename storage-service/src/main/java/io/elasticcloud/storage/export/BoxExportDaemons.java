package io.elasticcloud.storage.export;

import io.elasticcloud.storage.host.HostCommands;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Export daemons run inside a storage box (or any storage host reached through {@link
 * HostCommands}): {@code qemu-storage-daemon --daemonize} serving a block device of the box (an
 * LV, as it is kept: a LUKS volume's ciphertext) on the box's address. The pid files are in the
 * box, {@code /run/elastic-exports/STATE/KEY.pid} for the local {@code STATE/KEY.pid} that {@link
 * NbdExports} names; {@code /run} is a tmpfs, so a reboot of the box leaves neither daemons nor pid
 * files, and {@link NbdExports#revive()} starts them again.
 *
 * <p>Every command is a fixed {@code sh -c} script whose paths and ids are its arguments, never
 * spliced into it. The box's busybox has no {@code pkill}: processes are found by their {@code
 * /proc/PID/cmdline}. A command the box does not answer (it is restarting) is an {@link
 * IOException} of {@link #start} (not a {@link LaunchFailure}: the export keeps its record), and
 * {@link #alive} false.
 */
public final class BoxExportDaemons implements ExportDaemons {
    private static final Logger log = LoggerFactory.getLogger(BoxExportDaemons.class);
    /** Where the pid files are, in the box. */
    static final String RUN_DIR = "/run/elastic-exports/";
    /** Makes the pid file's directory, starts the daemon given as the remaining arguments, prints its pid. */
    static final String START = "d=$1; p=$2; shift 2; mkdir -p \"$d\" && rm -f \"$p\" && \"$@\" && cat \"$p\"";
    /** Exit 0 when process $1 wrote pid file $2 and has it on its command line. */
    static final String ALIVE = "p=$1; f=$2; [ \"$(cat \"$f\" 2>/dev/null)\" = \"$p\" ]"
            + " && tr '\\0' '\\n' 2>/dev/null < \"/proc/$p/cmdline\" | grep -qxF -- \"$f\"";
    /**
     * Exit 0 when the command line in file {@code $c} has {@code --pidfile} followed by a path under
     * {@code $d}: a daemon of ours, and never this script itself (whose arguments name {@code $d}).
     */
    private static final String OURS = "tr '\\0' '\\n' 2>/dev/null < \"$c\" | { n=0; while read -r a; do"
            + " if [ $n = 1 ]; then case \"$a\" in \"$d\"*) exit 0;; esac; fi; n=0;"
            + " [ \"$a\" = --pidfile ] && n=1; done; exit 1; }";
    /** Exit 0 while process {@code $c}'s command line is not empty (gone or a zombie: empty). */
    private static final String RUNS = "[ -n \"$(tr -d '\\0' 2>/dev/null < \"$c\")\" ]";
    /**
     * Ends process $1 if it is a daemon of ours (pid file under $2): TERM, up to 5 s, then KILL.
     * The box's init reaps late, so an ended daemon is told by its empty command line, not by kill -0.
     */
    static final String STOP = "p=$1; d=$2; c=/proc/$p/cmdline; " + OURS + " || exit 0;"
            + " kill \"$p\" 2>/dev/null; i=0; while [ $i -lt 50 ] && " + RUNS + "; do sleep 0.1; i=$((i+1)); done;"
            + " " + RUNS + " && kill -9 \"$p\" 2>/dev/null; exit 0";
    /**
     * The pids of the daemons whose pid file is under $1, one a line: from the pid files there
     * (a daemon keeps its own until it exits), not a scan of every process, since {@link
     * NbdExports#revive()} asks this every few seconds of a box that emulates its CPU.
     */
    static final String RUNNING = "d=$1; for f in \"$d\"*.pid; do [ -f \"$f\" ] || continue;"
            + " p=$(cat \"$f\" 2>/dev/null); case \"$p\" in ''|*[!0-9]*) continue;; esac; c=/proc/$p/cmdline; "
            + OURS + " && echo \"$p\"; done; exit 0";

    /**
     * How many bytes of a volume's device an export serves: a device is larger than its volume
     * (LVM rounds an LV up to whole extents), and a guest must see its drive's size, not the LV's.
     */
    @FunctionalInterface
    public interface Sizes {
        /** The bytes to serve of volume {@code volume}'s device, from its start; empty: the whole device. */
        OptionalLong bytes(String volume) throws IOException;

        /** Every device whole. */
        Sizes WHOLE = volume -> OptionalLong.empty();
    }

    private final HostCommands commands;
    private final Duration timeout;
    private final Sizes sizes;

    /**
     * @param commands the box's commands
     * @param timeout  how long one command in the box may take (a daemon's start included)
     * @param sizes    how much of each volume's device its exports serve
     */
    public BoxExportDaemons(HostCommands commands, Duration timeout, Sizes sizes) {
        this.commands = commands;
        this.timeout = timeout;
        this.sizes = sizes;
    }

    /** The box's pid file for the local {@code pidFile} NbdExports names. */
    static String boxPidFile(Path pidFile) {
        return boxDirectory(pidFile.getParent()) + pidFile.getFileName();
    }

    /** The box's directory for the local state directory {@code directory}, with a trailing slash. */
    static String boxDirectory(Path directory) {
        return RUN_DIR + directory.getFileName() + "/";
    }

    /**
     * The daemon's command line: the device by {@code host_device}, O_DIRECT with native AIO (as
     * {@code BoxDevices}: the box's page cache slowed writes and could run the box out of memory),
     * its first {@code bytes} through a {@code raw} node when given, read-only for a read-only
     * export. Options as JSON, so no path needs qemu's comma escaping.
     */
    List<String> command(Launch launch, OptionalLong bytes) {
        Map<String, Object> device = StorageDaemonCommand.device(launch.file().toString());
        Map<String, Object> blockdev = new LinkedHashMap<>();
        if (bytes.isPresent()) {
            blockdev.put("driver", "raw");
            blockdev.put("file", device);
            blockdev.put("size", bytes.getAsLong());
        } else {
            blockdev.putAll(device);
        }
        return StorageDaemonCommand.argv("qemu-storage-daemon", boxPidFile(launch.pidFile()), blockdev, launch.address(),
                launch.port(), launch.name(), launch.readOnly(), launch.tlsDir());
    }

    @Override
    public long start(Launch launch) throws IOException {
        List<String> argv = new ArrayList<>(List.of("sh", "-c", START, "start",
                boxDirectory(launch.pidFile().getParent()), boxPidFile(launch.pidFile())));
        argv.addAll(command(launch, sizes.bytes(launch.name())));
        HostCommands.Result result = run(argv);
        if (!result.ok()) {
            String said = result.stderrText();
            throw new LaunchFailure("qemu-storage-daemon failed in the storage host (exit " + result.exit() + "): "
                    + said, said.contains("Address already in use"));
        }
        return parsePid(result.stdoutText()).orElseThrow(() -> new LaunchFailure("qemu-storage-daemon started but its pid file "
                + boxPidFile(launch.pidFile()) + " held no pid", false));
    }

    @Override
    public boolean alive(long pid, Path pidFile) {
        try {
            return run(List.of("sh", "-c", ALIVE, "alive", Long.toString(pid), boxPidFile(pidFile))).ok();
        } catch (IOException unreachable) {
            log.debug("cannot ask the storage host about export daemon {}: {}", pid, unreachable.getMessage());
            return false;
        }
    }

    @Override
    public void stop(long pid) {
        try {
            HostCommands.Result result = run(List.of("sh", "-c", STOP, "stop", Long.toString(pid), RUN_DIR));
            if (!result.ok()) {
                log.warn("stopping export daemon {} in the storage host: {}", pid, result);
            }
        } catch (IOException unreachable) {
            log.warn("cannot stop export daemon {} in the storage host: {}", pid, unreachable.getMessage());
        }
    }

    @Override
    public Set<Long> running(Path directory) {
        HostCommands.Result result;
        try {
            result = run(List.of("sh", "-c", RUNNING, "running", boxDirectory(directory)));
        } catch (IOException e) {
            throw new IllegalStateException("cannot list the export daemons of the storage host: " + e.getMessage(), e);
        }
        Set<Long> pids = new HashSet<>();
        result.stdoutText().lines().map(BoxExportDaemons::parsePid).flatMap(Optional::stream).forEach(pids::add);
        return pids;
    }

    @Override
    public Optional<Long> pid(Path pidFile) throws IOException {
        HostCommands.Result result = run(List.of("cat", boxPidFile(pidFile)));
        return result.ok() ? parsePid(result.stdoutText()) : Optional.empty();
    }

    @Override
    public boolean exists(Path file) throws IOException {
        return run(List.of("test", "-e", file.toString())).ok();
    }

    private HostCommands.Result run(List<String> argv) throws IOException {
        return commands.run(argv, new byte[0], timeout);
    }

    private static Optional<Long> parsePid(String text) {
        try {
            return Optional.of(Long.parseLong(text.strip()));
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }

    @Override
    public String toString() {
        return "BoxExportDaemons[" + commands + "]";
    }
}
