package io.elasticcloud.agent.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.libvirt.Connect;

/** What the real-QEMU tests need of this host: libvirt and QEMU installed and answering, commands run bounded. */
public final class RealHost {
    public static final String URI = "qemu:///system";

    private RealHost() {
    }

    /** Fails (never skips) when libvirt or QEMU are not installed. */
    public static void requireLibvirtAndQemu() {
        for (String binary : List.of("/usr/sbin/libvirtd", "/usr/sbin/virtlogd", "/usr/bin/qemu-system-x86_64", "/usr/bin/qemu-img")) {
            if (!Files.isExecutable(Path.of(binary))) {
                fail(binary + " is missing: deploy/install-deps.sh installs libvirt and QEMU");
            }
        }
    }

    /** A connection to {@link #URI}, starting virtlogd and libvirtd when they do not run (there is no systemd here). */
    public static Connect connectStartingDaemons() throws Exception {
        try {
            return new Connect(URI);
        } catch (Exception first) {
            if (!Files.exists(Path.of("/run/libvirt/virtlogd-sock"))) {
                run(Duration.ofSeconds(20), "/usr/sbin/virtlogd", "-d");
            }
            run(Duration.ofSeconds(20), "/usr/sbin/libvirtd", "-d");
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (true) {
                try {
                    return new Connect(URI);
                } catch (Exception e) {
                    if (System.nanoTime() > deadline) {
                        throw new AssertionError("libvirtd did not answer at " + URI + " within 30 s", e);
                    }
                    Thread.sleep(250);
                }
            }
        }
    }

    /** Builds the test guest ({@code deploy/build-test-guest.sh}) into {@code dir}; answers its ISO. */
    public static Path buildTestGuest(Path dir) throws IOException, InterruptedException {
        run(Duration.ofMinutes(2), Path.of("..", "deploy", "build-test-guest.sh").toAbsolutePath().toString(), dir.toString());
        return dir.resolve("test-guest.iso");
    }

    /** Runs a command to its end within {@code limit}; fails the test when it fails. Answers its output. */
    public static String run(Duration limit, String... command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        if (!p.waitFor(limit.toMillis(), TimeUnit.MILLISECONDS)) {
            p.destroyForcibly();
            fail(String.join(" ", command) + " took longer than " + limit);
        }
        String output = new String(p.getInputStream().readAllBytes());
        assertThat(p.exitValue()).as(String.join(" ", command) + ": " + output).isZero();
        return output;
    }
}
