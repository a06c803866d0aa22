package io.elasticcloud.bench;

import io.elasticcloud.agent.NodeAgent;
import io.elasticcloud.agent.hypervisor.FakeHypervisor;
import io.elasticcloud.agent.hypervisor.HostCapacity;
import io.elasticcloud.protocol.bus.MessageCodec;
import io.elasticcloud.protocol.bus.RabbitTransport;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.springframework.amqp.rabbit.connection.CachingConnectionFactory;
import org.springframework.amqp.rabbit.core.RabbitAdmin;

/**
 * A simulated fleet of hypervisor hosts in this JVM: node agents ({@link NodeAgent}, the agent's
 * own class, serving every agent command) each on a {@link FakeHypervisor} of its own with a
 * realistic capacity, joined to a running system's RabbitMQ bus. Each agent is its own node there:
 * its own durable queue and consumer ({@code NAMESPACE.node.NAME}), its own heartbeat thread and
 * schedule. What they share is the AMQP connection: one {@link RabbitTransport} (one connection)
 * per {@link #AGENTS_PER_CONNECTION} agents, because a thousand connections would measure
 * RabbitMQ's connection handling, not the cloud's.
 *
 * <p>It lives in bench rather than the launcher: it is a measuring instrument, not something an
 * operator runs, and bench already has the agent, the bus and the system tests' harness that
 * starts the API it joins ({@code ThreeHosts}); the launcher would have to carry a fake hypervisor
 * into the product jar.
 *
 * <p>Heartbeats are spread: agents are started one after another at evenly spaced moments over one
 * heartbeat interval, each at a random point of its slot, so that K agents send K heartbeats per
 * interval evenly rather than in one burst (each agent's heartbeat comes every interval from its
 * start on). Hosts only: no storage nodes (servers without drives need none).
 */
final class Fleet implements AutoCloseable {
    static final int AGENTS_PER_CONNECTION = 250;
    /** A common two-socket hypervisor: 32 logical CPUs at 2.4 GHz, 256 GiB, nearly all free. */
    static final HostCapacity HOST = new HostCapacity("qemu", 32, 2400, 256 * 1024, 250 * 1024);

    private final String namespace;
    private final Supplier<com.rabbitmq.client.ConnectionFactory> broker;
    private final Duration heartbeat;
    private final String prefix;
    private final List<RabbitTransport> transports = new ArrayList<>();
    private final List<CachingConnectionFactory> factories = new ArrayList<>();
    private final List<NodeAgent> agents = new ArrayList<>();

    /**
     * @param broker connection settings of the bus (the cloud's virtual host and user)
     * @param prefix node names are {@code PREFIX-0000}, {@code PREFIX-0001}...
     */
    Fleet(String namespace, Supplier<com.rabbitmq.client.ConnectionFactory> broker, Duration heartbeat, String prefix) {
        this.namespace = namespace;
        this.broker = broker;
        this.heartbeat = heartbeat;
        this.prefix = prefix;
    }

    int size() {
        return agents.size();
    }

    List<String> nodes() {
        return agents.stream().map(NodeAgent::node).toList();
    }

    /** Adds agents until there are {@code count}, spread over one heartbeat interval (or as fast as they start). */
    void growTo(int count) throws InterruptedException {
        int adding = count - agents.size();
        if (adding <= 0) {
            return;
        }
        long slotNanos = heartbeat.toNanos() / adding;
        long begin = System.nanoTime();
        for (int i = 0; i < adding; i++) {
            long at = begin + i * slotNanos + ThreadLocalRandom.current().nextLong(Math.max(1, slotNanos));
            long wait = at - System.nanoTime();
            if (wait > 0) {
                TimeUnit.NANOSECONDS.sleep(wait);
            }
            int index = agents.size();
            NodeAgent agent = new NodeAgent(String.format("%s-%04d", prefix, index), new FakeHypervisor(HOST),
                    transport(index), heartbeat, "default");
            agent.start();
            agents.add(agent);
        }
    }

    private RabbitTransport transport(int agent) {
        int index = agent / AGENTS_PER_CONNECTION;
        while (transports.size() <= index) {
            com.rabbitmq.client.ConnectionFactory settings = broker.get();
            // Spring AMQP recovers by itself (and warns when the client would too), as the cloud's own processes do
            settings.setAutomaticRecoveryEnabled(false);
            CachingConnectionFactory factory = new CachingConnectionFactory(settings);
            factory.setPublisherReturns(true);
            factories.add(factory);
            // one consumer per agent: a fake hypervisor answers in microseconds
            transports.add(RabbitTransport.owning(factory, namespace, new MessageCodec(), 1));
        }
        return transports.get(index);
    }

    /** Stops every agent and removes their durable queues from the bus. */
    @Override
    public void close() {
        // each stop waits for its consumer to notice (a tenth of a second): a thousand, 32 side by side
        ExecutorService closing = Executors.newFixedThreadPool(32);
        agents.forEach(agent -> closing.execute(agent::close));
        closing.shutdown();
        try {
            closing.awaitTermination(2, TimeUnit.MINUTES);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (!factories.isEmpty()) {
            RabbitAdmin admin = new RabbitAdmin(factories.get(0));
            for (NodeAgent agent : agents) {
                admin.deleteQueue(namespace + ".node." + agent.node());
            }
        }
        transports.forEach(RabbitTransport::close);
        agents.clear();
    }
}
