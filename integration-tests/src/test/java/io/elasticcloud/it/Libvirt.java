package io.elasticcloud.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * What the tests of real guests need from this host: libvirtd and virtlogd running (started here
 * when they do not run, as {@code deploy/start-services.sh} does), an isolated libvirt network
 * with DHCP on 169.254.x.0/24 (no forward), the test guest of {@code deploy/build-test-guest.sh},
 * and {@code virsh}. Fails, never skips, where QEMU or libvirt are missing. Every wait is bounded.
 */
final class Libvirt {
    static final String URI = "qemu:///system";
    private static final Duration VIRSH = Duration.ofSeconds(30);
    /** Where the tests' pools map their consoles: pool address N listens at 127.10.0.N. */
    static final String CONSOLE_BASE = "127.10.0.";

    private Libvirt() {
    }

    /** A transient libvirt network on 169.254.{@code subnet}.0/24; {@link #close()} destroys it. */
    record Network(String name, int subnet) implements AutoCloseable {
        /**
         * The system's arguments for guests on this network: the agent's public network, and the
         * public pool on its subnet (below the network's dynamic range), consoles mapped onto
         * 127.10.0.N as in the single-host default ({@link #consoleAddress}).
         */
        String[] systemArgs() {
            return Stream.concat(agentArgs().stream(), apiArgs().stream()).toArray(String[]::new);
        }

        /** The node agent's part of {@link #systemArgs()}: its public network. */
        List<String> agentArgs() {
            return List.of("--elastic.agent.network=" + name);
        }

        /** The API service's part of {@link #systemArgs()}: the public pool. */
        List<String> apiArgs() {
            return List.of("--elastic.network.pools[0].name=public",
                    "--elastic.network.pools[0].cidr=169.254." + subnet + ".0/24",
                    "--elastic.network.pools[0].first=169.254." + subnet + ".2",
                    "--elastic.network.pools[0].last=169.254." + subnet + ".99",
                    "--elastic.network.pools[0].vnc-listen-base=" + CONSOLE_BASE + "0");
        }

        @Override
        public void close() {
            virsh("net-destroy", name);
        }
    }

    /**
     * Takes away a public network a system's agent defined (persistent), with the directory of DHCP
     * host entries it made beside libvirt's files.
     */
    static void removeAgentNetwork(String name) {
        output("virsh", "-c", URI, "net-destroy", name);
        output("virsh", "-c", URI, "net-undefine", name);
        output("rm", "-rf", "/var/lib/libvirt/dnsmasq/" + name + ".hostsdir");
    }

    /**
     * The DHCP host entries ({@code MAC,IP}) of a public network a system's agent defined: the files
     * of its directory, which the network's dnsmasq reads ({@code dhcp-hostsdir}).
     */
    static List<String> hostEntries(String network) {
        Path dir = Path.of("/var/lib/libvirt/dnsmasq", network + ".hostsdir");
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> files = Files.list(dir)) {
            List<String> entries = new java.util.ArrayList<>();
            for (Path file : files.filter(f -> !f.getFileName().toString().startsWith(".")).sorted().toList()) {
                entries.add(Files.readString(file).strip());
            }
            return entries;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Starts virtlogd and libvirtd where they do not answer yet. */
    static void start() {
        for (String binary : List.of("/usr/sbin/libvirtd", "/usr/sbin/virtlogd", "/usr/bin/qemu-system-x86_64")) {
            if (!Files.isExecutable(Path.of(binary))) {
                fail(binary + " is missing: deploy/install-deps.sh installs libvirt and QEMU");
            }
        }
        if (tryRun("virsh", "-c", URI, "version")) {
            return;
        }
        // no systemd here: start the daemons by hand, as deploy/start-services.sh does
        if (!Files.exists(Path.of("/run/libvirt/virtlogd-sock"))) {
            run(Duration.ofSeconds(20), "/usr/sbin/virtlogd", "-d");
        }
        run(Duration.ofSeconds(20), "/usr/sbin/libvirtd", "-d");
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (!tryRun("virsh", "-c", URI, "version")) {
            if (System.nanoTime() > deadline) {
                fail("libvirtd did not answer at " + URI + " within 30 s");
            }
            RunningSystem.sleep(Duration.ofMillis(250));
        }
    }

    /** A new isolated network (169.254.x.0/24, DHCP .100-.199, no forward) with a random name. */
    static Network isolatedNetwork(Path work) {
        int subnet = 100 + (int) (Math.random() * 100);
        String name = "elit-" + UUID.randomUUID().toString().substring(0, 8);
        Path xml = work.resolve(name + ".xml");
        try {
            Files.createDirectories(work);
            Files.writeString(xml, "<network><name>" + name + "</name><bridge name='" + name.replace("-", "").substring(0, 12)
                    + "'/><ip address='169.254." + subnet + ".1' netmask='255.255.255.0'><dhcp><range start='169.254."
                    + subnet + ".100' end='169.254." + subnet + ".199'/></dhcp></ip></network>");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        virsh("net-create", xml.toString());
        return new Network(name, subnet);
    }

    /** Builds the test guest into {@code work}: {@code test-guest.iso} (bootable as cdrom and as disk). */
    static Path testGuest(Path work) {
        run(Duration.ofMinutes(3), repository().resolve("deploy/build-test-guest.sh").toString(), work.toString());
        return work.resolve("test-guest.iso");
    }

    /**
     * Checks that the guests' qemu (libvirt's own user) can reach the volume files below the
     * system's data directory: the system itself makes the data directory and {@code volumes/}
     * rwx--x--x at start (the harness made the directory rwx------, an operator's ./data is
     * rwxr-xr-x), so a real guest booting is the proof that these modes are enough.
     */
    static void assertReachableByGuests(RunningSystem system) {
        try {
            for (Path dir : List.of(system.dataDir(), system.dataDir().resolve("volumes"))) {
                assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dir))).as("mode of " + dir)
                        .isEqualTo("rwx--x--x");
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Where the node agent logs a server's serial console (the file may not exist yet). */
    static Path console(RunningSystem system, String server) {
        return system.dataDir().resolve("consoles").resolve(domainOf(server) + ".log");
    }

    /** Waits until the console of {@code server} shows {@code marker} {@code times} times; answers it. */
    static String awaitConsole(RunningSystem system, String server, String marker, int times, Duration limit) {
        Path file = console(system, server);
        Wait.until(marker + " x" + times + " on the console of " + server, limit,
                () -> consoleText(file).split(marker, -1).length - 1 >= times, () -> system.logTail(40));
        return consoleText(file);
    }

    private static String consoleText(Path file) {
        try {
            return Files.exists(file) ? Files.readString(file, StandardCharsets.ISO_8859_1) : "";
        } catch (IOException e) {
            return "";
        }
    }

    /** Every libvirt domain, running or not. */
    static List<String> domains() {
        return virsh("list", "--all", "--name").lines().map(String::strip).filter(l -> !l.isEmpty()).toList();
    }

    /**
     * The domains whose XML contains {@code text} (for example a system's data directory, where
     * its guests' consoles are logged), each with its state ({@code running}, {@code shut off}...).
     * Domains of other systems on this host are left out; one that vanishes meanwhile too.
     */
    static Map<String, String> domainsMentioning(String text) {
        Map<String, String> found = new TreeMap<>();
        for (String domain : domains()) {
            Optional<String> xml = output("virsh", "-c", URI, "dumpxml", domain);
            if (xml.isPresent() && xml.get().contains(text)) {
                output("virsh", "-c", URI, "domstate", domain).ifPresent(state -> found.put(domain, state.strip()));
            }
        }
        return found;
    }

    /** Where on this host the console of {@code vncIp} (a pool address, a /24) listens. */
    static String consoleAddress(String vncIp) {
        return CONSOLE_BASE + vncIp.substring(vncIp.lastIndexOf('.') + 1);
    }

    /** The domain name the node agent gives a server's guest. */
    static String domainOf(String server) {
        return "elastic-" + server;
    }

    /** {@code virsh -c qemu:///system ARGS}; fails the test unless it exits 0. */
    static String virsh(String... args) {
        String[] command = new String[args.length + 3];
        command[0] = "virsh";
        command[1] = "-c";
        command[2] = URI;
        System.arraycopy(args, 0, command, 3, args.length);
        return run(VIRSH, command);
    }

    /** Runs a command, bounded; fails the test unless it exits 0; answers its output. */
    static String run(Duration limit, String... command) {
        Ran ran = exec(limit, command);
        assertThat(ran.exit()).as(String.join(" ", command) + ": " + ran.output()).isZero();
        return ran.output();
    }

    /** Runs a command, bounded; fails the test if it exits 0; answers its output (why it failed). */
    static String refused(Duration limit, String... command) {
        Ran ran = exec(limit, command);
        assertThat(ran.exit()).as(String.join(" ", command) + " succeeded: " + ran.output()).isNotZero();
        return ran.output();
    }

    private record Ran(int exit, String output) {
    }

    private static Ran exec(Duration limit, String... command) {
        Path out = null;
        try {
            out = Files.createTempFile("it-run-", ".out");
            Process p = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(out.toFile()).start();
            if (!p.waitFor(limit.toMillis(), TimeUnit.MILLISECONDS)) {
                p.destroyForcibly();
                fail(String.join(" ", command) + " took longer than " + limit);
            }
            return new Ran(p.exitValue(), Files.readString(out));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        } finally {
            if (out != null) {
                out.toFile().delete();
            }
        }
    }

    /** The output of a command that exited 0, else empty. */
    static Optional<String> output(String... command) {
        Path out = null;
        try {
            out = Files.createTempFile("it-run-", ".out");
            Process p = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(out.toFile()).start();
            if (!p.waitFor(30, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                return Optional.empty();
            }
            return p.exitValue() == 0 ? Optional.of(Files.readString(out)) : Optional.empty();
        } catch (IOException e) {
            return Optional.empty();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        } finally {
            if (out != null) {
                out.toFile().delete();
            }
        }
    }

    static boolean tryRun(String... command) {
        try {
            Process p = new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            if (!p.waitFor(30, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                return false;
            }
            return p.exitValue() == 0;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    static Path repository() {
        return RunningSystemSupport.repositoryRoot();
    }
}
