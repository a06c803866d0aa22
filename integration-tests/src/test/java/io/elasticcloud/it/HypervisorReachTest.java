package io.elasticcloud.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A storage pool that QEMU (libvirt's guest user) cannot reach, on the real system and libvirt. A
 * start that QEMU refuses answers the customer in our words with an incident id, and the operator
 * finds QEMU's own words (the drive's path) under that id in the system's log; every body these
 * tests read is checked by {@link FailureBodies} as well. And a system whose pool is out of QEMU's
 * reach at start does not start: the operator's script ends non-zero, naming the directory.
 */
class HypervisorReachTest {
    private static final Pattern INCIDENT = Pattern.compile("\\(incident ([0-9a-f]{8})\\)");
    private static final Set<PosixFilePermission> OWNER_ONLY = PosixFilePermissions.fromString("rwx------");

    @BeforeAll
    static void libvirt() {
        Libvirt.start();
    }

    @Test
    void aStartQemuCannotOpenTheDriveOfAnswersAnIncidentTheOperatorFindsInTheLog() throws IOException {
        try (RunningSystem system = RunningSystem.start("unreachable-pool")) {
            PlainHttp http = system.http();
            String auth = PlainHttp.basic(system.createCustomer());
            PlainHttp.Reply created = http.post("/drives/create", auth, "name data\nsize 16M\n");
            assertThat(created.status()).as(created.describe()).isEqualTo(200);
            String drive = PlainHttp.parseObject(created.text()).get("drive");
            // the pools' directory closed to QEMU after the start-time check passed
            Path volumes = system.dataDir().resolve("volumes");
            Set<PosixFilePermission> before = Files.getPosixFilePermissions(volumes);
            Files.setPosixFilePermissions(volumes, OWNER_ONLY);
            PlainHttp.Reply refused;
            try {
                refused = http.post("/servers/create", auth, "name blocked\ncpu 200\nmem 128\nide:0:0 " + drive + "\n");
            } finally {
                Files.setPosixFilePermissions(volumes, before);
            }

            assertThat(refused.status()).as(refused.describe()).isEqualTo(500);
            assertThat(refused.header("X-Elastic-Error")).hasValue("failed");
            Matcher incident = INCIDENT.matcher(refused.text());
            assertThat(incident.find()).as(refused.text()).isTrue();
            assertThat(refused.text()).isEqualTo("the host could not create the server (incident " + incident.group(1) + ")\n");
            String log = system.log();
            int at = log.indexOf("incident " + incident.group(1));
            assertThat(at).as("the incident in the system's log").isNotNegative();
            assertThat(log.substring(at, Math.min(log.length(), at + 4000)))
                    .as("what QEMU said, under the incident").contains(volumes.toString());
            // the system records the body it served, so that the harness checks 5xx bodies any client read
            assertThat(log).contains("5xx body served: 500 failed: " + refused.text().strip());
            assertThat(FailureBodies.served(log)).isEqualTo(1);
            assertThat(http.get("/servers/list", auth).text()).as("the server that could not start is gone").isEmpty();
        }
    }

    @Test
    void aPoolOutOfQemusReachAtStartStopsTheStartNamingTheDirectory() throws IOException {
        Path target = Path.of("target").toAbsolutePath();
        Files.createDirectories(target);
        Path locked = Files.createTempDirectory(target, "locked-");
        Files.setPosixFilePermissions(locked, OWNER_ONLY);
        Path pool = locked.resolve("pool-0");

        assertThatThrownBy(() -> RunningSystem.start("locked-pool", "--elastic.storage.pools[0].name=pool-0",
                "--elastic.storage.pools[0].directory=" + pool))
                .isInstanceOf(AssertionError.class)
                .hasMessageContaining("exited with status 1 ")
                .hasMessageContaining("elastic-cloud: refusing to start: the hypervisor runs guests as libvirt-qemu")
                .hasMessageContaining("cannot pass through " + locked + " (mode 700")
                .hasMessageContaining("storage pool pool-0 at " + pool)
                .hasMessageContaining("APPLICATION FAILED TO START");
    }
}
