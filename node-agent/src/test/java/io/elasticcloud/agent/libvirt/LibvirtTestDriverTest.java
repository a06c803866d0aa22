package io.elasticcloud.agent.libvirt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.elasticcloud.agent.hypervisor.GuestEvent;
import io.elasticcloud.agent.testing.Specs;
import io.elasticcloud.protocol.ElasticException;
import io.elasticcloud.protocol.ErrorType;
import io.elasticcloud.protocol.agent.GuestInfo;
import io.elasticcloud.protocol.agent.GuestSpec;
import io.elasticcloud.protocol.agent.GuestState;
import io.elasticcloud.protocol.agent.StateReason;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.libvirt.Connect;

/**
 * {@link LibvirtHypervisor} against libvirt's own test driver ({@code test:///default}: in-process,
 * no QEMU). Its state lives as long as one connection to it is open, so {@code keeper} holds one
 * for the whole test; it also starts with a domain named {@code test} that is not the agent's.
 */
class LibvirtTestDriverTest {
    private static final String URI = "test:///default";
    private Connect keeper;
    private LibvirtHypervisor hypervisor;
    private final List<GuestEvent> events = new CopyOnWriteArrayList<>();

    @BeforeEach
    void open() throws Exception {
        LibvirtEventLoop.ensureRunning();
        keeper = new Connect(URI);
        hypervisor = new LibvirtHypervisor(new LibvirtHypervisor.Settings(URI, "qemu", null, false));
        hypervisor.onEvent(events::add);
    }

    @AfterEach
    void close() throws Exception {
        hypervisor.close();
        keeper.close();
    }

    private static GuestSpec spec(String server) {
        return Specs.simple(server, "/var/lib/elastic/" + server + ".raw", "default");
    }

    @Test
    void startsListsInspectsAndStops() throws Exception {
        String server = Specs.server();
        GuestInfo info = hypervisor.start(spec(server));
        assertThat(info.server()).isEqualTo(server);
        assertThat(info.state()).isEqualTo(GuestState.RUNNING);
        assertThat(info.memoryMb()).isEqualTo(64);
        assertThat(info.disks()).extracting(GuestInfo.DiskCounters::device).containsExactly("ide:0:0");
        assertThat(info.nics()).extracting(GuestInfo.NicCounters::mac).containsExactly(Specs.mac(server));
        assertThat(keeper.domainLookupByName("elastic-" + server).getUUIDString()).isEqualTo(server);

        assertThat(hypervisor.list()).extracting(GuestInfo::server).containsExactly(server);
        assertThat(hypervisor.start(spec(server)).server()).isEqualTo(server);
        GuestSpec other = new GuestSpec(server, "x", spec(server).cpu(), 128, spec(server).disks(), List.of(), List.of(), null);
        assertThatThrownBy(() -> hypervisor.start(other)).isInstanceOfSatisfying(ElasticException.class,
                e -> assertThat(e.type()).isEqualTo(ErrorType.BUSY));

        hypervisor.stop(server);
        assertThat(hypervisor.inspect(server)).isEmpty();
        assertThat(hypervisor.list()).isEmpty();
        hypervisor.stop(server);
        assertThatThrownBy(() -> hypervisor.reset(server)).isInstanceOfSatisfying(ElasticException.class,
                e -> assertThat(e.type()).isEqualTo(ErrorType.MISSING));
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(events)
                .contains(new GuestEvent(server, GuestState.RUNNING, StateReason.STARTED),
                        new GuestEvent(server, GuestState.STOPPED, StateReason.POWER_CUT)));
    }

    @Test
    void aDomainDestroyedBehindOurBackIsReportedSo() throws Exception {
        String server = Specs.server();
        hypervisor.start(spec(server));
        keeper.domainLookupByName("elastic-" + server).destroy();
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(events)
                .contains(new GuestEvent(server, GuestState.STOPPED, StateReason.DESTROYED_BEHIND_OUR_BACK)));
    }

    @Test
    void aNewHypervisorRecoversRunningGuestsByTheUuidInTheirMetadata() {
        String server = Specs.server();
        GuestSpec spec = new GuestSpec(Specs.server(), "</name><devices>", spec(server).cpu(), 64,
                spec(server).disks(), spec(server).nics(), List.of(), null);
        hypervisor.start(spec);
        try (LibvirtHypervisor restarted = new LibvirtHypervisor(new LibvirtHypervisor.Settings(URI, "qemu", null, false))) {
            List<GuestInfo> adopted = restarted.recover();
            // the test driver's own domain 'test' has no metadata of ours: not adopted, not listed
            assertThat(adopted).extracting(GuestInfo::server).containsExactly(spec.server());
            assertThat(adopted.get(0).name()).isEqualTo("</name><devices>");
            assertThat(restarted.start(spec).server()).isEqualTo(spec.server());
            restarted.destroy(spec.server());
            assertThat(restarted.list()).isEmpty();
        }
    }

    @Test
    void anAgentOnlySeesAndTouchesTheDomainsOfItsOwnNode() {
        try (LibvirtHypervisor a = new LibvirtHypervisor(new LibvirtHypervisor.Settings(URI, "qemu", null, null, "node-a"));
             LibvirtHypervisor b = new LibvirtHypervisor(new LibvirtHypervisor.Settings(URI, "qemu", null, null, "node-b"))) {
            String server = Specs.server();
            a.start(spec(server));
            assertThat(a.list()).extracting(GuestInfo::server).containsExactly(server);
            assertThat(b.list()).as("another node's guest").isEmpty();
            assertThat(b.recover()).isEmpty();
            assertThat(hypervisor.list()).as("an agent of no node name").isEmpty();
            b.stop(server);
            b.destroy(server);
            assertThat(b.inspect(server)).isEmpty();
            assertThatThrownBy(() -> b.start(spec(server))).as("its name is taken").isInstanceOfSatisfying(
                    ElasticException.class, e -> assertThat(e.type()).isEqualTo(ErrorType.BUSY));
            assertThat(a.inspect(server)).map(GuestInfo::state).contains(GuestState.RUNNING);
            a.destroy(server);
            assertThat(a.list()).isEmpty();
        }
    }

    @Test
    void hostCapacityComesFromTheNode() {
        var host = hypervisor.host();
        assertThat(host.domainType()).isEqualTo("qemu");
        assertThat(host.cores()).isPositive();
        assertThat(host.mhz()).isPositive();
        assertThat(host.memoryMb()).isPositive();
    }
}
