package io.elasticcloud.agent.hypervisor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.elasticcloud.agent.testing.Specs;
import io.elasticcloud.protocol.ElasticException;
import io.elasticcloud.protocol.ErrorType;
import io.elasticcloud.protocol.agent.DiskBus;
import io.elasticcloud.protocol.agent.GuestInfo;
import io.elasticcloud.protocol.agent.GuestSpec;
import io.elasticcloud.protocol.agent.GuestSpec.DiskSpec;
import io.elasticcloud.protocol.agent.GuestState;
import io.elasticcloud.protocol.agent.Media;
import io.elasticcloud.protocol.agent.StateReason;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What every {@link Hypervisor} promises the node agent, run against the test double and the real
 * driver alike, so that the agent's and the API's fast tests (which run on {@link FakeHypervisor})
 * rely only on what libvirt does too. Events are awaited, not expected at once: the fake delivers
 * them on the caller's thread, libvirt on its event loop.
 */
public abstract class HypervisorContract {
    private static final Duration EVENTS = Duration.ofSeconds(10);

    protected Hypervisor hypervisor;
    private final List<GuestEvent> events = new CopyOnWriteArrayList<>();

    /** A hypervisor on an empty host (or one whose other guests are not this agent's). */
    protected abstract Hypervisor open() throws Exception;

    /**
     * A second hypervisor on the same host, as an agent restarted next to running guests gets;
     * {@code previous} is closed first by the caller.
     */
    protected abstract Hypervisor reopen(Hypervisor previous) throws Exception;

    /** Someone else than the agent kills the running guest (an operator's {@code virsh destroy}). */
    protected abstract void killBehindTheBack(String server) throws Exception;

    /** The running guest powers itself off from inside. */
    protected abstract void powersOffFromInside(String server) throws Exception;

    /** Releases what {@link #open} set up besides the hypervisor. */
    protected void release() throws Exception {
    }

    @BeforeEach
    void openHypervisor() throws Exception {
        hypervisor = open();
        hypervisor.onEvent(events::add);
    }

    @AfterEach
    void closeHypervisor() throws Exception {
        try {
            for (GuestInfo guest : hypervisor.list()) {
                hypervisor.destroy(guest.server());
            }
            hypervisor.close();
        } finally {
            release();
        }
    }

    private static GuestSpec spec(String server) {
        return Specs.simple(server, "/var/lib/elastic/" + server + ".raw", "default");
    }

    private static GuestSpec withDisk(GuestSpec spec, String path, boolean readOnly) {
        // SCSI: IDE has no read-only disks
        DiskSpec disk = Specs.disk(DiskBus.SCSI, 0, 0, Media.DISK, path);
        return new GuestSpec(spec.server(), spec.name(), spec.cpu(), spec.memoryMb(),
                List.of(new DiskSpec(disk.bus(), disk.controller(), disk.unit(), disk.media(), disk.volume(), readOnly)),
                spec.nics(), spec.boot(), spec.vnc());
    }

    private static void assertError(ErrorType type, ThrowingCallable call) {
        assertThatThrownBy(call).isInstanceOfSatisfying(ElasticException.class, e -> assertThat(e.type()).isEqualTo(type));
    }

    @Test
    void aStartedGuestRunsAsSpecifiedAndIsInspectedAndListed() {
        GuestSpec spec = spec(Specs.server());
        GuestInfo info = hypervisor.start(spec);
        assertThat(info.server()).isEqualTo(spec.server());
        assertThat(info.name()).isEqualTo(spec.name());
        assertThat(info.state()).isEqualTo(GuestState.RUNNING);
        assertThat(info.vcpus()).isEqualTo(1);
        assertThat(info.cpuMhz()).isEqualTo(1000);
        assertThat(info.memoryMb()).isEqualTo(64);
        assertThat(info.disks()).extracting(GuestInfo.DiskCounters::device).containsExactly("ide:0:0");
        assertThat(info.nics()).extracting(GuestInfo.NicCounters::mac).containsExactly(Specs.mac(spec.server()));

        assertThat(hypervisor.inspect(spec.server())).map(GuestInfo::state).contains(GuestState.RUNNING);
        assertThat(hypervisor.list()).extracting(GuestInfo::server).containsExactly(spec.server());
        await().atMost(EVENTS).untilAsserted(() -> assertThat(events)
                .contains(new GuestEvent(spec.server(), GuestState.RUNNING, StateReason.STARTED)));
    }

    @Test
    void startingARunningGuestAgainAnswersItsInfoUnlessItsSpecChanged() {
        GuestSpec spec = spec(Specs.server());
        hypervisor.start(spec);
        assertThat(hypervisor.start(spec).server()).isEqualTo(spec.server());
        GuestSpec renamedAndThrottled = new GuestSpec(spec.server(), "another name",
                new GuestSpec.CpuSpec(1, 1, 1, 500), spec.memoryMb(), spec.disks(), spec.nics(), spec.boot(), spec.vnc());
        assertThat(hypervisor.start(renamedAndThrottled).state()).as("name and quota change live").isEqualTo(GuestState.RUNNING);

        GuestSpec bigger = new GuestSpec(spec.server(), spec.name(), spec.cpu(), 128, spec.disks(), spec.nics(),
                spec.boot(), spec.vnc());
        assertError(ErrorType.BUSY, () -> hypervisor.start(bigger));
        assertThat(hypervisor.list()).hasSize(1);
    }

    @Test
    void aRunningGuestStartedAgainWithAnotherVncPasswordAnswersItsInfo() {
        GuestSpec plain = spec(Specs.server());
        GuestSpec spec = new GuestSpec(plain.server(), plain.name(), plain.cpu(), plain.memoryMb(), plain.disks(),
                plain.nics(), plain.boot(), new GuestSpec.VncSpec("127.0.0.1", "first-pw", false));
        hypervisor.start(spec);
        GuestSpec newPassword = new GuestSpec(spec.server(), spec.name(), spec.cpu(), spec.memoryMb(), spec.disks(),
                spec.nics(), spec.boot(), new GuestSpec.VncSpec("127.0.0.1", "other-pw", false));
        assertThat(hypervisor.start(newPassword).state()).isEqualTo(GuestState.RUNNING);
        GuestSpec elsewhere = new GuestSpec(spec.server(), spec.name(), spec.cpu(), spec.memoryMb(), spec.disks(),
                spec.nics(), spec.boot(), new GuestSpec.VncSpec("0.0.0.0", "first-pw", false));
        assertError(ErrorType.BUSY, () -> hypervisor.start(elsewhere));
    }

    @Test
    void aDriveHasOneWriterOnAHostAndReadersBesideIt() {
        String path = "/var/lib/elastic/shared-" + Specs.server() + ".raw";
        hypervisor.start(withDisk(spec(Specs.server()), path, false));
        assertError(ErrorType.BUSY, () -> hypervisor.start(withDisk(spec(Specs.server()), path, false)));
        GuestSpec reader = withDisk(spec(Specs.server()), path, true);
        assertThat(hypervisor.start(reader).state()).isEqualTo(GuestState.RUNNING);
        assertThat(hypervisor.list()).hasSize(2);
    }

    @Test
    void stopCutsThePowerAndIsIdempotent() {
        GuestSpec spec = spec(Specs.server());
        hypervisor.start(spec);
        hypervisor.stop(spec.server());
        assertThat(hypervisor.inspect(spec.server())).isEmpty();
        assertThat(hypervisor.list()).isEmpty();
        hypervisor.stop(spec.server());
        hypervisor.stop(Specs.server());
        await().atMost(EVENTS).untilAsserted(() -> assertThat(events)
                .contains(new GuestEvent(spec.server(), GuestState.STOPPED, StateReason.POWER_CUT)));
    }

    /**
     * A stop answers once its own event is out: one that came later could come after the server's
     * next start, and would end that run (the API would record the new guest stopped and destroy it).
     */
    @Test
    void aStopsEventIsOutBeforeTheStopAnswers() {
        GuestSpec spec = spec(Specs.server());
        hypervisor.start(spec);
        hypervisor.stop(spec.server());
        assertThat(events).contains(new GuestEvent(spec.server(), GuestState.STOPPED, StateReason.POWER_CUT));
    }

    @Test
    void aStoppedGuestStartsAgain() {
        GuestSpec spec = spec(Specs.server());
        hypervisor.start(spec);
        hypervisor.stop(spec.server());
        assertThat(hypervisor.start(spec).state()).isEqualTo(GuestState.RUNNING);
    }

    @Test
    void destroyStopsAndForgetsAndIsIdempotent() {
        GuestSpec spec = spec(Specs.server());
        hypervisor.start(spec);
        hypervisor.destroy(spec.server());
        assertThat(hypervisor.inspect(spec.server())).isEmpty();
        assertThat(hypervisor.list()).isEmpty();
        hypervisor.destroy(spec.server());
        hypervisor.destroy(Specs.server());
        assertThat(hypervisor.start(spec).state()).as("its name is free again").isEqualTo(GuestState.RUNNING);
    }

    @Test
    void aGuestKilledBehindTheAgentsBackIsReportedSoAndGone() throws Exception {
        String server = started();
        killBehindTheBack(server);
        await().atMost(EVENTS).untilAsserted(() -> assertThat(events)
                .contains(new GuestEvent(server, GuestState.STOPPED, StateReason.DESTROYED_BEHIND_OUR_BACK)));
        assertThat(hypervisor.inspect(server)).isEmpty();
        assertThat(hypervisor.list()).isEmpty();
    }

    @Test
    void aGuestPoweringItselfOffIsReportedSoAndGone() throws Exception {
        String server = started();
        powersOffFromInside(server);
        await().atMost(EVENTS).untilAsserted(() -> assertThat(events)
                .contains(new GuestEvent(server, GuestState.STOPPED, StateReason.GUEST_SHUTDOWN)));
        assertThat(hypervisor.inspect(server)).isEmpty();
        assertThat(hypervisor.start(spec(server)).state()).as("it starts again").isEqualTo(GuestState.RUNNING);
    }

    @Test
    void shutdownOfAGuestNotRunningDoesNothing() {
        hypervisor.shutdown(Specs.server());
        assertThat(hypervisor.list()).isEmpty();
    }

    @Test
    void shutdownPressesThePowerButtonAndAnswersAtOnce() {
        GuestSpec spec = spec(Specs.server());
        hypervisor.start(spec);
        hypervisor.shutdown(spec.server());
        // the guest decides when it powers off: until then it shows as shutting down
        assertThat(hypervisor.inspect(spec.server())).map(GuestInfo::state)
                .satisfiesAnyOf(state -> assertThat(state).isEmpty(),
                        state -> assertThat(state).contains(GuestState.SHUTTING_DOWN));
    }

    @Test
    void resetAndLiveChangesNeedARunningGuest() {
        String server = Specs.server();
        assertError(ErrorType.MISSING, () -> hypervisor.reset(server));
        assertError(ErrorType.MISSING, () -> hypervisor.setCpuQuota(server, 500));
        assertError(ErrorType.MISSING, () -> hypervisor.setName(server, "renamed"));
        hypervisor.start(spec(server));
        hypervisor.reset(server);
        assertThat(hypervisor.inspect(server)).map(GuestInfo::state).contains(GuestState.RUNNING);
    }

    @Test
    void theNameChangesLive() {
        String server = Specs.server();
        hypervisor.start(spec(server));
        assertThat(hypervisor.setName(server, "renamed").name()).isEqualTo("renamed");
        GuestInfo info = hypervisor.inspect(server).orElseThrow();
        assertThat(info.name()).isEqualTo("renamed");
        assertThat(info.state()).isEqualTo(GuestState.RUNNING);
    }

    @Test
    protected void theCpuQuotaChangesLive() {
        String server = Specs.server();
        hypervisor.start(spec(server));
        assertThat(hypervisor.setCpuQuota(server, 500).cpuMhz()).isEqualTo(500);
        assertThat(hypervisor.inspect(server)).map(GuestInfo::cpuMhz).contains(500);
    }

    /** A guest on this host, running as {@link #spec} makes it: for tests of subclasses. */
    protected String started() {
        String server = Specs.server();
        hypervisor.start(spec(server));
        return server;
    }

    @Test
    void invalidSpecsAndServerIdsAreUsageErrors() {
        GuestSpec spec = spec(Specs.server());
        GuestSpec noMemory = new GuestSpec(spec.server(), spec.name(), spec.cpu(), 0, spec.disks(), spec.nics(),
                spec.boot(), spec.vnc());
        assertError(ErrorType.USAGE, () -> hypervisor.start(noMemory));
        assertError(ErrorType.USAGE, () -> hypervisor.stop("not-a-uuid"));
        assertError(ErrorType.USAGE, () -> hypervisor.inspect("not-a-uuid"));
        assertError(ErrorType.USAGE, () -> hypervisor.setCpuQuota(spec.server(), 0));
        assertThat(hypervisor.list()).isEmpty();
    }

    @Test
    void aRestartedAgentRecoversTheGuestsStillRunning() throws Exception {
        GuestSpec spec = spec(Specs.server());
        hypervisor.start(spec);
        hypervisor.close();
        hypervisor = reopen(hypervisor);
        assertThat(hypervisor.recover()).extracting(GuestInfo::server).containsExactly(spec.server());
        assertThat(hypervisor.inspect(spec.server())).map(GuestInfo::state).contains(GuestState.RUNNING);
        assertThat(hypervisor.start(spec).server()).as("running as specified").isEqualTo(spec.server());
    }

    @Test
    void theHostHasCapacity() {
        HostCapacity host = hypervisor.host();
        assertThat(host.domainType()).isIn("qemu", "kvm");
        assertThat(host.cores()).isPositive();
        assertThat(host.mhz()).isPositive();
        assertThat(host.memoryMb()).isPositive();
    }
}
