package io.elasticcloud.agent.libvirt;

import io.elasticcloud.agent.libvirt.DhcpHosts.Entry;
import io.elasticcloud.agent.network.CommandRunner;
import io.elasticcloud.codec.Ipv4;
import io.elasticcloud.protocol.ElasticException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * The host entries of a network whose dnsmasq reads them from a directory ({@code dhcp-hostsdir},
 * as the agent defines its public network): one file per MAC holding {@code MAC,IP}. dnsmasq reads
 * a new file by itself (inotify) within milliseconds; a removed one it forgets only when told
 * ({@code SIGHUP} to the pid libvirt keeps in {@code /run/libvirt/network/NAME.pid}). Both take
 * tens of milliseconds, where {@code virNetworkUpdate} restarts dnsmasq and reloads the network's
 * firewall, 0.6-2.8 s (docs/performance.md).
 *
 * <p>What goes into a file is checked to be a MAC and an IPv4 address and nothing else: dnsmasq
 * reads each line as options, so anything more would be configuration.
 */
final class HostsDir {
    static final Pattern MAC = Pattern.compile("[0-9a-f]{2}(:[0-9a-f]{2}){5}");
    private static final Path PIDS = Path.of("/run/libvirt/network");

    private final String network;
    private final Path dir;
    private final CommandRunner runner;

    HostsDir(String network, Path dir, CommandRunner runner) {
        this.network = network;
        this.dir = dir;
        this.runner = runner;
    }

    /** Makes the directory, readable by dnsmasq (which drops root), before the network starts. */
    static void create(Path dir) {
        try {
            Files.createDirectories(dir);
            Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
        } catch (IOException e) {
            throw ElasticException.system("DHCP host directory %s cannot be made: %s", dir, e.getMessage());
        }
    }

    List<Entry> entries() {
        List<Entry> entries = new ArrayList<>();
        try (DirectoryStream<Path> files = Files.newDirectoryStream(dir)) {
            for (Path file : files) {
                if (file.getFileName().toString().startsWith(".")) {
                    continue;
                }
                String[] line = Files.readString(file, StandardCharsets.US_ASCII).strip().split(",", -1);
                if (line.length == 2) {
                    entries.add(new Entry(line[0].toLowerCase(Locale.ROOT), line[1]));
                }
            }
        } catch (NoSuchFileException e) {
            return List.of();
        } catch (IOException e) {
            throw ElasticException.failed("network %s: host entries unreadable: %s", network, e.getMessage());
        }
        return entries;
    }

    /** Writes the entry's file whole (a temporary file renamed), so dnsmasq never reads half of it. */
    void add(Entry entry) {
        if (!MAC.matcher(entry.mac()).matches() || Ipv4.parse(entry.ip()).isEmpty()) {
            throw ElasticException.failed("network %s: '%s' -> '%s' is not a MAC and an IPv4 address", network,
                    entry.mac(), entry.ip());
        }
        Path file = dir.resolve(entry.mac());
        Path temporary = dir.resolve("." + entry.mac() + ".new");
        try {
            Files.writeString(temporary, entry.mac() + "," + entry.ip() + "\n", StandardCharsets.US_ASCII);
            Files.setPosixFilePermissions(temporary, PosixFilePermissions.fromString("rw-r--r--"));
            try {
                Files.move(temporary, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(temporary, file, StandardCopyOption.REPLACE_EXISTING);
            }
        } catch (IOException e) {
            throw ElasticException.failed("network %s: host entry %s -> %s not written: %s", network, entry.mac(),
                    entry.ip(), e.getMessage());
        }
    }

    /** Deletes the entry's file and has dnsmasq read the directory again. */
    void remove(Entry entry) {
        if (!MAC.matcher(entry.mac()).matches()) {
            return;
        }
        try {
            if (!Files.deleteIfExists(dir.resolve(entry.mac()))) {
                return;
            }
        } catch (IOException e) {
            throw ElasticException.failed("network %s: host entry %s not removed: %s", network, entry.mac(),
                    e.getMessage());
        }
        reread();
    }

    private static boolean isDnsmasq(String pid) {
        try {
            return Files.readString(Path.of("/proc", pid, "comm"), StandardCharsets.US_ASCII).strip().equals("dnsmasq");
        } catch (IOException e) {
            return false;
        }
    }

    private void reread() {
        String pid;
        try {
            pid = Files.readString(PIDS.resolve(network + ".pid"), StandardCharsets.US_ASCII).strip();
        } catch (IOException e) {
            // no dnsmasq runs: the next one reads the directory as it is
            return;
        }
        if (!pid.matches("[1-9][0-9]{0,9}") || !isDnsmasq(pid)) {
            // a stale pid file (dnsmasq gone, its pid maybe another process's now): no one to tell
            return;
        }
        CommandRunner.Result result = runner.run(List.of("kill", "-HUP", pid));
        if (!result.ok()) {
            throw ElasticException.failed("network %s: dnsmasq (pid %s) not told to reread its host entries: %s",
                    network, pid, result.error());
        }
    }
}
