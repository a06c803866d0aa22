package io.elasticcloud.agent.libvirt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.elasticcloud.agent.hypervisor.Hypervisor;
import io.elasticcloud.agent.hypervisor.HypervisorContract;
import io.elasticcloud.protocol.ElasticException;
import io.elasticcloud.protocol.ErrorType;
import io.elasticcloud.protocol.agent.GuestInfo;
import org.junit.jupiter.api.Test;
import org.libvirt.Connect;

/**
 * The real driver against the hypervisor contract, on libvirt's test driver ({@code
 * test:///default}: in-process, no QEMU, but the libvirt library installed). The driver's state
 * lives as long as one connection to it is open, so {@code keeper} holds one for the whole test.
 */
class LibvirtHypervisorContractTest extends HypervisorContract {
    private static final String URI = "test:///default";
    private Connect keeper;

    @Override
    protected Hypervisor open() throws Exception {
        LibvirtEventLoop.ensureRunning();
        keeper = new Connect(URI);
        return new LibvirtHypervisor(new LibvirtHypervisor.Settings(URI, "qemu", null, false));
    }

    @Override
    protected Hypervisor reopen(Hypervisor previous) {
        return new LibvirtHypervisor(new LibvirtHypervisor.Settings(URI, "qemu", null, false));
    }

    @Override
    protected void killBehindTheBack(String server) throws Exception {
        keeper.domainLookupByName(DomainXml.domainName(server)).destroy();
    }

    @Override
    protected void powersOffFromInside(String server) throws Exception {
        keeper.domainLookupByName(DomainXml.domainName(server)).shutdown();
    }

    /**
     * The test driver keeps no scheduler parameters ({@code vcpu_period} unsupported), so a live
     * quota change cannot be shown here (real guests' tests do): it is refused as {@code failed},
     * and the guest keeps the quota it started with.
     */
    @Override
    @Test
    protected void theCpuQuotaChangesLive() {
        String server = started();
        assertThatThrownBy(() -> hypervisor.setCpuQuota(server, 500)).isInstanceOfSatisfying(ElasticException.class,
                e -> assertThat(e.type()).isEqualTo(ErrorType.FAILED));
        assertThat(hypervisor.inspect(server)).map(GuestInfo::cpuMhz).contains(1000);
    }

    @Override
    protected void release() throws Exception {
        if (keeper != null) {
            keeper.close();
        }
    }
}
