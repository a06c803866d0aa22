package io.elasticcloud.api.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.eq;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.timeout;
import static org.mockito.Mockito.times;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;

import io.elasticcloud.api.bus.NodeClient;
import io.elasticcloud.api.host.HostNodes;
import io.elasticcloud.api.security.ApiMasterKey;
import io.elasticcloud.protocol.Events.AgentHeartbeat;
import io.elasticcloud.protocol.Events.Event;
import io.elasticcloud.protocol.Events.GuestStateChanged;
import io.elasticcloud.protocol.Transport;
import io.elasticcloud.protocol.agent.AgentCommands.DestroyGuest;
import io.elasticcloud.protocol.agent.GuestState;
import io.elasticcloud.protocol.agent.HostInfo;
import io.elasticcloud.protocol.agent.StateReason;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

/**
 * A heartbeat costs the API one query for the host's servers (a projection: {@link
 * ListingStatementsContract} counts its one statement), not one more per guest it lists: at a
 * thousand hosts with a hundred guests each, per-guest lookups would be 20,000 queries a second.
 */
class ServerReconcilerQueriesTest {
    private static final String NODE = "host-a";
    private final ServerRepository servers = mock(ServerRepository.class);
    private final ServerActivity activity = mock(ServerActivity.class);
    private final NodeClient agents = mock(NodeClient.class);
    private final Transport transport = mock(Transport.class);
    private final ServerRows rows = mock(ServerRows.class);
    private final HostNodes hosts = new HostNodes(Optional.empty());
    private final List<Consumer<Event>> listeners = new ArrayList<>();
    private final ServerReconciler reconciler;

    ServerReconcilerQueriesTest() throws Exception {
        when(transport.subscribe(any(), any())).thenAnswer(call -> {
            listeners.add(call.getArgument(1));
            return (AutoCloseable) () -> {
            };
        });
        when(activity.quiet(any(), any())).thenReturn(true);
        reconciler = new ServerReconciler(servers, rows, hosts, agents, activity, transport, Optional.empty());
    }

    /**
     * A heartbeat is heard when it arrives, whatever its reconcile waits for: while one host's
     * reconcile waits for the database (its connection pool held by requests), the other hosts'
     * heartbeats still count, and the waiting host's newer heartbeats replace each other rather
     * than queue (it was one thread for both, and hosts looked silent, their servers dead).
     */
    @Test
    void aHeartbeatCountsWhileTheReconcileBeforeItWaits() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        AtomicInteger reconciles = new AtomicInteger();
        when(servers.placedOn(NODE)).thenAnswer(call -> {
            reconciles.incrementAndGet();
            release.await(30, TimeUnit.SECONDS);
            return List.of();
        });
        try {
            for (int i = 0; i < 5; i++) {
                heartbeat(NODE);
            }
            heartbeat("host-b");
            assertThat(hosts.reachable("host-b")).as("the heartbeat behind a waiting reconcile is heard").isTrue();
        } finally {
            release.countDown();
        }
        verify(servers, timeout(10_000)).placedOn("host-b");
        // the first, then the latest of the four that came while it waited
        assertThat(reconciles.get()).isBetween(1, 2);
        reconciler.close();
    }

    /**
     * Of two heartbeats of one host waiting for their reconcile, the one taken later is reconciled,
     * whichever came last: one taken earlier and delivered after says less (here: a guest still
     * running that the later one no longer lists), and replacing by arrival let it undo the later.
     */
    @Test
    void aWaitingHeartbeatIsReplacedOnlyByOneTakenLater() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        when(servers.placedOn(NODE)).thenAnswer(call -> {
            release.await(30, TimeUnit.SECONDS);
            return List.of();
        });
        Server gone = activeOn("host-b");
        when(servers.placedOn("host-b")).thenReturn(List.of(hosted(gone)));
        Instant later = Instant.now();
        try {
            heartbeat(NODE); // its reconcile holds the reconciling thread until released
            heartbeat("host-b", List.of(), later);
            heartbeat("host-b", List.of(gone.id().toString()), later.minusSeconds(5));
        } finally {
            release.countDown();
        }
        verify(activity, timeout(10_000)).quiet(gone.id(), later);
        verify(rows, timeout(10_000)).onServer(eq(gone.id()), any(Runnable.class));
        reconciler.close();
    }

    private void heartbeat(String node) {
        heartbeat(node, List.of(), Instant.now());
    }

    private void heartbeat(String node, List<String> guests, Instant at) {
        listeners.forEach(l -> l.accept(new AgentHeartbeat(new HostInfo(node, "qemu", 4, 2000, 8192, 8192, 0, 0, 0),
                guests, at)));
    }

    @Test
    void aHeartbeatListingTheHostsOwnGuestsLooksUpNoneOfThem() {
        List<HostedServer> placed = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            placed.add(hosted(activeOn(NODE)));
        }
        when(servers.placedOn(NODE)).thenReturn(placed);

        reconciler.reconcile(NODE, placed.stream().map(s -> s.id().toString()).toList(), Instant.now());

        verify(servers, times(1)).placedOn(NODE);
        verify(servers, never()).findById(any());
        verify(agents, never()).send(any(), any());
    }

    @Test
    void aGuestNoServerOfTheHostOwnsIsLookedUpAndDestroyed() {
        Server owned = activeOn(NODE);
        when(servers.placedOn(NODE)).thenReturn(List.of(hosted(owned)));
        UUID orphan = UUID.randomUUID();
        when(servers.findById(orphan)).thenReturn(Optional.empty());

        reconciler.reconcile(NODE, List.of(owned.id().toString(), orphan.toString()), Instant.now());

        verify(servers, times(1)).findById(orphan);
        verify(servers, never()).findById(owned.id());
        verify(agents).send(eq(NODE), any(DestroyGuest.class));
    }

    /**
     * Every instance hears every guest's state change; one that changes nothing (a start's own
     * RUNNING, a destroyed server's STOPPED, another host's report) takes no lock and no transaction.
     */
    @Test
    void aStateChangeThatChangesNothingTakesNoLock() {
        Server active = activeOn(NODE);
        when(servers.findById(active.id())).thenReturn(Optional.of(active));
        UUID destroyed = UUID.randomUUID();
        when(servers.findById(destroyed)).thenReturn(Optional.empty());
        Instant now = Instant.now();

        reconciler.onGuestState(new GuestStateChanged(NODE, active.id().toString(), GuestState.RUNNING, StateReason.STARTED, now));
        reconciler.onGuestState(new GuestStateChanged(NODE, destroyed.toString(), GuestState.STOPPED, StateReason.DESTROYED_BEHIND_OUR_BACK, now));
        reconciler.onGuestState(new GuestStateChanged("host-b", active.id().toString(), GuestState.STOPPED, StateReason.DESTROYED_BEHIND_OUR_BACK, now));
        reconciler.onGuestState(new GuestStateChanged(NODE, active.id().toString(), GuestState.SHUTTING_DOWN, StateReason.GUEST_SHUTDOWN, now));

        verify(rows, never()).onServer(any(UUID.class), any(Runnable.class));
    }

    @Test
    void aStateChangeThatEndsAServerTakesItsLock() {
        Server active = activeOn(NODE);
        when(servers.findById(active.id())).thenReturn(Optional.of(active));

        reconciler.onGuestState(new GuestStateChanged(NODE, active.id().toString(), GuestState.STOPPED, StateReason.GUEST_SHUTDOWN,
                Instant.now()));

        verify(rows, times(1)).onServer(eq(active.id()), any(Runnable.class));
    }

    private static HostedServer hosted(Server server) {
        return new HostedServer(server.id(), server.status(), server.startedAt());
    }

    private static Server activeOn(String node) {
        Server server = new Server(UUID.randomUUID(), UUID.randomUUID(), ServerConfig.empty().withKey("name", "n")
                .withKey("cpu", "500").withKey("mem", "128").withKey("persistent", "false"), Instant.now(),
                new SealedVncPassword(ApiMasterKey.random()));
        server.started(node, Instant.now().minusSeconds(60), 1, 1);
        return server;
    }
}
