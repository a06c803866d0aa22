package io.elasticcloud.protocol.bus;

import java.util.Set;

class InProcessTransportContractTest extends TransportContractTest {

    @Override
    protected Bus openBus() {
        InProcessTransport transport = new InProcessTransport();
        return new Bus(transport, transport);
    }

    @Override
    protected void closeBus(Bus bus, Set<String> servedNodes) {
        bus.client().close();
    }
}
