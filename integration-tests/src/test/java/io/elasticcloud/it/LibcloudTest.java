package io.elasticcloud.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Apache Libcloud's ElasticHosts driver (Debian's {@code python3-libcloud}, unmodified, run with
 * {@code /usr/bin/python3}) against the real system and real guests, through the load balancer
 * before two API instances ({@link StandardGuestSystem}):
 * {@code src/test/python/libcloud_elastichosts.py} lists nodes, creates one from a gzipped standard
 * drive (the test guest, imported with the operator's script under a UUID that libcloud's own
 * image table lists) with a VNC password, waits for it to boot from its imaged IDE disk, reboots
 * it, shuts it down by ACPI, creates a second one and destroys it, and destroys both drives. This
 * test checks each step's printed result, and afterwards what the system and libvirt hold.
 */
class LibcloudTest {
    /** "Debian Linux 5.0" in libcloud's table of ElasticHosts standard drives. */
    private static final String IMAGE = SharedGuestSystem.IMAGE;
    private static final Path WORK = Path.of("target", "libcloud").toAbsolutePath();
    private static final Duration SCRIPT_LIMIT = Duration.ofMinutes(10);
    @RegisterExtension
    static final SharedGuestSystem CLOUD = new SharedGuestSystem();
    private static StandardGuestSystem cloud;
    private static Libvirt.Network network;
    private static RunningSystem agent;
    private static Customer customer;

    @BeforeAll
    static void startSystem() throws IOException {
        Files.createDirectories(WORK);
        cloud = CLOUD.get();
        network = cloud.network;
        agent = cloud.agent;
        customer = CLOUD.newCustomer();
    }

    @Test
    void theElasticHostsDriverRunsANodeThroughItsLife() throws Exception {
        long[] before = cloud.answered();
        List<Map<String, String>> steps = runScript();
        assertThat(steps.stream().map(s -> s.get("STEP")))
                .containsExactly("list_nodes", "create_node", "list_nodes", "booted", "reboot_node", "rebooted",
                        "ex_shutdown_node", "shut_down", "create_node", "destroy_node", "destroyed",
                        "ex_destroy_drive", "ex_destroy_drive", "list_nodes", "done");
        cloud.assertBothInstancesAnsweredSince(before);

        assertThat(steps.get(0)).containsEntry("count", "0");
        Map<String, String> created = steps.get(1);
        String first = created.get("id");
        assertThat(first).matches(RunningSystem.UUID);
        assertThat(created).containsEntry("state", "running").containsEntry("cpu", "1000").containsEntry("mem", "256")
                .containsEntry("password", "s3cr3t");
        // nic:0:dhcp auto: an address of the pool on the test network, which vnc auto shares
        assertThat(created.get("public_ips")).matches("169\\.254\\." + network.subnet() + "\\.[0-9]+");
        assertThat(created.get("vnc_ip")).isEqualTo(created.get("public_ips"));
        assertThat(steps.get(2)).containsEntry("count", "1").containsEntry("listed", "1")
                .containsEntry("state", "running").containsEntry("node_name", "libcloud_one");
        assertThat(steps.get(4)).containsEntry("result", "True");
        assertThat(steps.get(6)).containsEntry("result", "True");
        String second = steps.get(8).get("id");
        assertThat(steps.get(9)).containsEntry("result", "True");
        assertThat(steps.get(11)).containsEntry("drive", created.get("drive")).containsEntry("result", "True");
        assertThat(steps.get(12)).containsEntry("drive", steps.get(8).get("drive")).containsEntry("result", "True");
        assertThat(steps.get(13)).containsEntry("count", "0");

        // The guest booted from the drive libcloud imaged (gunzip of the standard drive), twice
        // (reset), and powered itself off on the ACPI button.
        String console = Files.readString(Libvirt.console(agent, first), java.nio.charset.StandardCharsets.ISO_8859_1);
        assertThat(console.split("ELASTIC-TEST-GUEST-READY", -1)).hasSizeGreaterThanOrEqualTo(3);
        assertThat(console).contains("bus=ide ro=0").contains("ELASTIC-TEST-GUEST-POWEROFF");
        // the public IP create_node reported is the one the guest got by DHCP
        assertThat(console).containsPattern("DHCP name=eth[0-9] ip=" + created.get("public_ips").replace(".", "\\.") + "\\b");

        // Nothing left: no server, no drive, no domain.
        PlainHttp http = cloud.http();
        String auth = PlainHttp.basic(customer);
        for (String server : List.of(first, second)) {
            assertThat(http.get("/servers/" + server + "/info", auth).status()).isEqualTo(404);
            assertThat(Libvirt.domains()).doesNotContain(Libvirt.domainOf(server));
        }
        for (String drive : List.of(created.get("drive"), steps.get(8).get("drive"))) {
            assertThat(http.get("/drives/" + drive + "/info", auth).status()).isEqualTo(404);
        }
        assertThat(http.get("/drives/" + IMAGE + "/info", auth).status()).as("the standard drive stays").isEqualTo(200);
    }

    /** Runs the script; answers its STEP lines as maps (the step's name under "STEP"). */
    private static List<Map<String, String>> runScript() throws IOException, InterruptedException {
        Path script = Libvirt.repository().resolve("integration-tests/src/test/python/libcloud_elastichosts.py");
        Path out = Files.createTempFile(WORK, "libcloud-", ".out");
        Process p = new ProcessBuilder("/usr/bin/python3", script.toString(), cloud.endpoint().toString(),
                customer.uuid(), customer.key(), IMAGE, agent.dataDir().resolve("consoles").toString())
                .redirectErrorStream(true).redirectOutput(out.toFile()).start();
        if (!p.waitFor(SCRIPT_LIMIT.toSeconds(), TimeUnit.SECONDS)) {
            p.destroyForcibly();
            fail("the libcloud script ran longer than " + SCRIPT_LIMIT + ":\n" + Files.readString(out));
        }
        String output = Files.readString(out);
        assertThat(p.exitValue()).as("libcloud script:\n" + output + "\nsystem:\n" + cloud.logTails(40)).isZero();
        List<Map<String, String>> steps = new ArrayList<>();
        for (String line : output.lines().filter(l -> l.startsWith("STEP ")).toList()) {
            String[] words = line.split(" ");
            Map<String, String> step = new LinkedHashMap<>();
            step.put("STEP", words[1]);
            for (int i = 2; i < words.length; i++) {
                int eq = words[i].indexOf('=');
                step.put(words[i].substring(0, eq), words[i].substring(eq + 1));
            }
            steps.add(step);
        }
        return steps;
    }
}
