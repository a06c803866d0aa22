package io.elasticcloud.api.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.eq;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.when;

import io.elasticcloud.api.bus.NodeClient;
import io.elasticcloud.api.security.ApiMasterKey;
import io.elasticcloud.protocol.Command;
import io.elasticcloud.protocol.Events.Event;
import io.elasticcloud.protocol.Transport;
import io.elasticcloud.protocol.agent.AgentCommands.DescribeGuests;
import io.elasticcloud.protocol.agent.AgentCommands.GuestList;
import io.elasticcloud.protocol.agent.GuestInfo;
import io.elasticcloud.protocol.agent.GuestState;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.springframework.data.domain.Limit;

/**
 * {@code GET /servers/info} with a customer's servers spread over hosts of which most never
 * answer: the call costs one describe timeout, not one per silent host (ten of them cost 20 s when
 * they were asked one after another), and the host that answers still gives its counters.
 */
class ServerInfoSilentHostsTest {
    private static final int SILENT_HOSTS = 10;
    private static final UUID OWNER = UUID.randomUUID();

    private final ServerRepository servers = mock(ServerRepository.class);
    private final SilentTransport bus = new SilentTransport("host-answers");
    private final ServerReads reads = new ServerReads(servers, mock(ServerRows.class),
            new NodeClient(bus, null, new SimpleMeterRegistry()), mock(ServerNetwork.class));

    @Test
    void tenSilentHostsCostOneTimeoutAndTheAnsweringHostsCountersAreShown() {
        List<Server> placed = new ArrayList<>();
        for (int i = 0; i < SILENT_HOSTS; i++) {
            placed.add(activeOn("host-silent-" + i));
        }
        Server answered = activeOn("host-answers");
        placed.add(answered);
        when(servers.onHostOf(OWNER)).thenReturn(placed.stream().map(s -> new ServerOnHost(s.id(), s.host())).toList());
        when(servers.listedOf(eq(OWNER), any(Limit.class))).thenReturn(placed.stream()
                .map(s -> new ServerListed(s.id(), 500, 128, s.createdAt())).toList());
        Server last = placed.get(placed.size() - 1);
        when(servers.pageOfOwnerUpTo(OWNER, last.createdAt(), last.id())).thenReturn(placed);

        long started = System.nanoTime();
        List<Map<String, String>> infos = new ArrayList<>();
        reads.each(OWNER, infos::add);
        Duration took = Duration.ofNanos(System.nanoTime() - started);

        assertThat(took).as("time of /servers/info with %d silent hosts", SILENT_HOSTS)
                .isLessThan(Duration.ofMillis(3_500));
        assertThat(bus.asked).as("every host asked once").hasSize(SILENT_HOSTS + 1);
        assertThat(infos).hasSize(SILENT_HOSTS + 1).allSatisfy(info -> assertThat(info).containsEntry("status", "active"));
        assertThat(infos.get(SILENT_HOSTS)).containsEntry("server", answered.id().toString())
                .containsEntry("nic:0:rx", "100").containsEntry("nic:0:tx:packets", "4");
        assertThat(infos.subList(0, SILENT_HOSTS)).allSatisfy(info -> assertThat(info).doesNotContainKey("nic:0:rx"));
    }

    private static Server activeOn(String host) {
        Server server = new Server(UUID.randomUUID(), OWNER, ServerConfig.empty().withKey("name", "n")
                .withKey("cpu", "500").withKey("mem", "128").withKey("persistent", "false"), Instant.now(),
                new SealedVncPassword(ApiMasterKey.random()));
        server.started(host, Instant.now().minusSeconds(60), 1, 1);
        return server;
    }

    /**
     * A bus on which one host answers every {@link DescribeGuests} at once and every other host
     * never answers: its request fails at the caller's timeout, as both real transports do.
     */
    private static final class SilentTransport implements Transport {
        private final String answering;
        final Set<String> asked = ConcurrentHashMap.newKeySet();

        SilentTransport(String answering) {
            this.answering = answering;
        }

        @Override
        @SuppressWarnings("unchecked")
        public <R> CompletableFuture<R> request(String node, Command<R> command, Duration timeout) {
            asked.add(node);
            if (node.equals(answering) && command instanceof DescribeGuests describe) {
                List<GuestInfo> guests = describe.servers().stream().map(id -> new GuestInfo(id, "n",
                        GuestState.RUNNING, 1, 1, 1, 2000, 128, 0, List.of(),
                        List.of(new GuestInfo.NicCounters(0, "52:54:00:00:00:01", 100, 3, 200, 4)), 0)).toList();
                return CompletableFuture.completedFuture((R) new GuestList(guests));
            }
            return new CompletableFuture<R>().orTimeout(timeout.toNanos(), TimeUnit.NANOSECONDS);
        }

        @Override
        public AutoCloseable serve(String node, CommandHandler handler) {
            throw new UnsupportedOperationException();
        }

        @Override
        public void publish(Event event) {
            throw new UnsupportedOperationException();
        }

        @Override
        public AutoCloseable subscribe(Set<Class<? extends Event>> kinds, Consumer<Event> listener) {
            throw new UnsupportedOperationException();
        }

        @Override
        public boolean connected() {
            return true;
        }

        @Override
        public void close() {
        }
    }
}
