package io.elasticcloud.agent.hypervisor;

/** The test double against the hypervisor contract: what the fast tests rely on, libvirt does too. */
class FakeHypervisorContractTest extends HypervisorContract {

    @Override
    protected Hypervisor open() {
        return new FakeHypervisor();
    }

    /** The fake's guests outlive a closed agent: the next agent is given the same fake. */
    @Override
    protected Hypervisor reopen(Hypervisor previous) {
        return previous;
    }

    @Override
    protected void killBehindTheBack(String server) {
        ((FakeHypervisor) hypervisor).killBehindTheBack(server);
    }

    @Override
    protected void powersOffFromInside(String server) {
        ((FakeHypervisor) hypervisor).guestPowersOff(server);
    }
}
