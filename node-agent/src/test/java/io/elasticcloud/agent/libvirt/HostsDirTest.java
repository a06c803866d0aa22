package io.elasticcloud.agent.libvirt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.elasticcloud.agent.libvirt.DhcpHosts.Entry;
import io.elasticcloud.agent.network.CommandRunner;
import io.elasticcloud.protocol.ElasticException;
import io.elasticcloud.protocol.ErrorType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.w3c.dom.Document;

/**
 * A network's host entries as files dnsmasq reads ({@code dhcp-hostsdir}), on a directory of the
 * test's own; dnsmasq reading them is {@code RealNetworkGuestTest}'s, with real guests.
 */
class HostsDirTest {
    @TempDir
    Path work;
    private final List<String> commands = new CopyOnWriteArrayList<>();
    private final CommandRunner runner = argv -> {
        commands.add(String.join(" ", argv));
        return new CommandRunner.Result(0, "", "");
    };

    @Test
    void anEntryIsOneFileReadableByDnsmasqAndGoesWithItsRemoval() throws Exception {
        Path dir = work.resolve("net.hostsdir");
        HostsDir.create(dir);
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dir))).isEqualTo("rwxr-xr-x");
        HostsDir hosts = new HostsDir("elastic-none-such", dir, runner);
        hosts.add(new Entry("52:54:00:aa:bb:01", "169.254.10.50"));
        hosts.add(new Entry("52:54:00:aa:bb:02", "169.254.10.51"));
        assertThat(Files.readString(dir.resolve("52:54:00:aa:bb:01"))).isEqualTo("52:54:00:aa:bb:01,169.254.10.50\n");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.resolve("52:54:00:aa:bb:01"))))
                .isEqualTo("rw-r--r--");
        assertThat(hosts.entries()).containsExactlyInAnyOrder(new Entry("52:54:00:aa:bb:01", "169.254.10.50"),
                new Entry("52:54:00:aa:bb:02", "169.254.10.51"));

        // a MAC's entry replaced whole; no temporary file left for dnsmasq to read
        hosts.add(new Entry("52:54:00:aa:bb:01", "169.254.10.52"));
        assertThat(hosts.entries()).contains(new Entry("52:54:00:aa:bb:01", "169.254.10.52")).hasSize(2);
        try (var files = Files.list(dir)) {
            assertThat(files.map(f -> f.getFileName().toString())).containsExactlyInAnyOrder("52:54:00:aa:bb:01",
                    "52:54:00:aa:bb:02");
        }

        hosts.remove(new Entry("52:54:00:aa:bb:01", "169.254.10.52"));
        assertThat(hosts.entries()).containsExactly(new Entry("52:54:00:aa:bb:02", "169.254.10.51"));
        // no dnsmasq runs for a network of that name: none is signalled
        assertThat(commands).isEmpty();
        assertThat(new HostsDir("x", work.resolve("never-made"), runner).entries()).isEmpty();
    }

    @Test
    void nothingButAMacAndAnAddressGetsIntoDnsmasqsFiles() {
        Path dir = work.resolve("net.hostsdir");
        HostsDir.create(dir);
        HostsDir hosts = new HostsDir("n", dir, runner);
        for (Entry bad : List.of(new Entry("../../etc/x", "169.254.10.50"),
                new Entry("52:54:00:aa:bb:01", "169.254.10.50\ndhcp-option=3,192.0.2.1"),
                new Entry("52:54:00:aa:bb:01,set:x", "169.254.10.50"), new Entry("52:54:00:aa:bb:01", "169.254.10.256"))) {
            assertThatThrownBy(() -> hosts.add(bad)).isInstanceOfSatisfying(ElasticException.class,
                    e -> assertThat(e.type()).isEqualTo(ErrorType.FAILED));
        }
        assertThat(hosts.entries()).isEmpty();
        assertThat(work.resolve("etc")).doesNotExist();
    }

    @Test
    void theAgentsNetworkHasItsEntriesInItsDirectoryAndOnePlaceholderHost() {
        PublicNetwork network = new PublicNetwork("elastic-public", "elpublic0", "169.254.10.0/24", "169.254.10.1");
        assertThat(network.hostsDir()).isEqualTo(Path.of("/var/lib/libvirt/dnsmasq/elastic-public.hostsdir"));
        Document xml = DhcpHosts.parse(network.xml());
        assertThat(DhcpHosts.hostsDir(xml)).contains(network.hostsDir());
        assertThat(network.xml()).contains("<host mac=\"00:00:00:00:00:00\" ip=\"169.254.10.1\"/>")
                .contains("xmlns:dnsmasq=\"http://libvirt.org/schemas/network/dnsmasq/1.0\"").doesNotContain("<range");
        assertThat(DhcpHosts.hostsDir(DhcpHosts.parse("<network><name>n</name></network>"))).isEmpty();
        assertThatThrownBy(() -> new PublicNetwork("n", "b", "169.254.10.0/24", "169.254.10.1", Path.of("relative")))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
