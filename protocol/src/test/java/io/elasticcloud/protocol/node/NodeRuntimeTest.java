package io.elasticcloud.protocol.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.elasticcloud.protocol.ElasticException;
import io.elasticcloud.protocol.ErrorType;
import io.elasticcloud.protocol.Events.Event;
import io.elasticcloud.protocol.Events.StorageNodeHeartbeat;
import io.elasticcloud.protocol.Transport;
import io.elasticcloud.protocol.bus.InProcessTransport;
import io.elasticcloud.protocol.bus.MessageCodec;
import io.elasticcloud.protocol.storage.NodeStatus;
import io.elasticcloud.protocol.storage.StorageCommands.DescribeNode;
import io.elasticcloud.protocol.storage.StorageCommands.ListVolumes;
import io.elasticcloud.protocol.storage.StorageCommands.VolumeList;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The runtime's share of every node: serving, heartbeats, remembered replies, locks, shutdown. */
class NodeRuntimeTest {
    private final Transport bus = new InProcessTransport(new MessageCodec(), 2);
    private final List<Event> events = new CopyOnWriteArrayList<>();
    private final AtomicInteger beats = new AtomicInteger();

    @AfterEach
    void closeBus() {
        bus.close();
    }

    private NodeRuntime runtime(Duration interval) {
        return new NodeRuntime("storage node", "n1", bus, interval,
                command -> command instanceof DescribeNode ? status() : new VolumeList(List.of()),
                () -> new StorageNodeHeartbeat(new NodeStatus("n1", "hw", beats.incrementAndGet(), 0), Instant.now()));
    }

    private static NodeStatus status() {
        return new NodeStatus("n1", "hw", 1, 0);
    }

    @Test
    void startRunsTheNodesFirstStepsThenServesAndBeatsBeforeItReturns() throws Exception {
        bus.subscribe(Set.of(StorageNodeHeartbeat.class), events::add);
        List<String> order = new CopyOnWriteArrayList<>();
        try (NodeRuntime runtime = runtime(Duration.ofMinutes(5))) {
            runtime.start(() -> order.add("first " + beats.get()));
            runtime.start(() -> order.add("again"));

            assertThat(order).containsExactly("first 0");
            assertThat(beats.get()).isEqualTo(1);
            assertThat(bus.request("n1", new DescribeNode("c1"), Duration.ofSeconds(5)).get(10, TimeUnit.SECONDS))
                    .isEqualTo(status());
            await().atMost(Duration.ofSeconds(5)).until(() -> events.stream().anyMatch(StorageNodeHeartbeat.class::isInstance));
        }
    }

    @Test
    void heartbeatsFollowAtTheIntervalAndAFailedOneIsOnlyLogged() {
        AtomicInteger calls = new AtomicInteger();
        try (NodeRuntime runtime = new NodeRuntime("node", "n2", bus, Duration.ofMillis(20), command -> null, () -> {
            if (calls.incrementAndGet() % 2 == 0) {
                throw new IllegalStateException("hypervisor away");
            }
            return new StorageNodeHeartbeat(status(), Instant.now());
        })) {
            runtime.start(() -> { });
            await().atMost(Duration.ofSeconds(5)).until(() -> calls.get() >= 5);
        }
    }

    @Test
    void closingStopsServingHeartbeatsAndSubscriptions() throws Exception {
        List<Event> seen = new CopyOnWriteArrayList<>();
        NodeRuntime runtime = runtime(Duration.ofMillis(20));
        runtime.start(() -> runtime.subscribe(Set.of(StorageNodeHeartbeat.class), seen::add));
        await().atMost(Duration.ofSeconds(5)).until(() -> beats.get() >= 2);

        runtime.close();
        runtime.close();

        assertThat(runtime.closed()).isTrue();
        int after = beats.get();
        Thread.sleep(100);
        assertThat(beats.get()).isEqualTo(after);
        int heard = seen.size();
        bus.publish(new StorageNodeHeartbeat(status(), Instant.now()));
        assertThat(seen).hasSize(heard);
        assertThatThrownBy(() -> bus.request("n1", new ListVolumes("c2"), Duration.ofSeconds(2)).get(5, TimeUnit.SECONDS))
                .isInstanceOf(ExecutionException.class)
                .cause().isInstanceOfSatisfying(ElasticException.class, e -> assertThat(e.type()).isEqualTo(ErrorType.SYSTEM));
    }

    @Test
    void aReplyIsRememberedByCommandIdAndAFailureIsNot() {
        NodeRuntime runtime = runtime(Duration.ofMinutes(5));
        AtomicInteger runs = new AtomicInteger();

        assertThat(runtime.remembered("c1", runs::incrementAndGet)).isEqualTo(1);
        assertThat(runtime.remembered("c1", runs::incrementAndGet)).isEqualTo(1);
        assertThat(runtime.remembered(null, runs::incrementAndGet)).isEqualTo(2);
        assertThat(runtime.remembered(null, runs::incrementAndGet)).isEqualTo(3);
        assertThatThrownBy(() -> runtime.remembered("c2", () -> {
            throw ElasticException.busy("not now");
        })).isInstanceOf(ElasticException.class);
        assertThat(runtime.remembered("c2", runs::incrementAndGet)).isEqualTo(4);
    }

    @Test
    void oneKeyHasOneLockAndANullKeyHasOneToo() {
        NodeRuntime runtime = runtime(Duration.ofMinutes(5));

        assertThat(runtime.lock("server-1")).isSameAs(runtime.lock(new String("server-1")));
        assertThat(runtime.lock(null)).isSameAs(runtime.lock(null));
        long distinct = java.util.stream.IntStream.range(0, 1000)
                .mapToObj(i -> runtime.lock("volume-" + i)).distinct().count();
        assertThat(distinct).isEqualTo(64);
    }
}
