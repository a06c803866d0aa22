package io.elasticcloud.agent.libvirt;

import io.elasticcloud.agent.hypervisor.GuestEvent;
import io.elasticcloud.protocol.agent.GuestState;
import io.elasticcloud.protocol.agent.StateReason;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import org.libvirt.Connect;
import org.libvirt.Domain;
import org.libvirt.LibvirtException;
import org.libvirt.event.DomainEvent;
import org.libvirt.event.DomainEventType;
import org.libvirt.event.LifecycleListener;
import org.libvirt.event.StoppedDetail;
import org.libvirt.event.SuspendedDetail;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * libvirt's lifecycle events of the project's domains, as {@link GuestEvent}s: received on
 * libvirt's event loop, translated and delivered on a thread of their own (a listener may call
 * libvirt, which the event loop must not wait for). A guest that stops or crashes is first
 * handed to {@code guestEnded} (its secrets and network entries go), then to the listeners. A stop
 * is a {@link StateReason#POWER_CUT} when this agent announced it with {@link #powerCut}, and
 * {@link StateReason#DESTROYED_BEHIND_OUR_BACK} when someone else destroyed the domain. A power
 * cut waits for its own event to have been delivered ({@link #awaitReported}): a stop's event that
 * came after the stop had answered could come after the next start too, and would end that run
 * (its secrets and network entries here, its server's row in the API).
 */
final class LifecycleEvents implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(LifecycleEvents.class);

    private final Connect connect;
    private final Consumer<String> guestEnded;
    private final List<Consumer<GuestEvent>> listeners = new CopyOnWriteArrayList<>();
    /** Wait at most this long for a power cut's event before answering the stop anyway. */
    static final Duration REPORTED_WITHIN = Duration.ofSeconds(10);

    private final Map<String, CompletableFuture<Void>> powerCuts = new ConcurrentHashMap<>();
    private final ExecutorService thread;
    private final LifecycleListener lifecycle = this::onLifecycle;

    LifecycleEvents(Connect connect, String uri, Consumer<String> guestEnded) throws LibvirtException {
        this.connect = connect;
        this.guestEnded = guestEnded;
        this.thread = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "libvirt-events-" + uri);
            t.setDaemon(true);
            return t;
        });
        connect.addLifecycleListener(lifecycle);
    }

    void onEvent(Consumer<GuestEvent> listener) {
        listeners.add(listener);
    }

    /**
     * The next stop of {@code server} is this agent's own power cut: answers what completes once its
     * event has been delivered to every listener.
     */
    CompletableFuture<Void> powerCut(String server) {
        return powerCuts.computeIfAbsent(server, s -> new CompletableFuture<>());
    }

    /** The power cut announced for {@code server} did not happen. */
    void powerCutFailed(String server) {
        Optional.ofNullable(powerCuts.remove(server)).ifPresent(cut -> cut.complete(null));
    }

    /** Waits, at most {@link #REPORTED_WITHIN}, until {@code server}'s power cut has been reported. */
    void awaitReported(String server, CompletableFuture<Void> reported) {
        try {
            reported.get(REPORTED_WITHIN.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            log.warn("server {}: libvirt has not reported its power cut within {} s; the stop answers anyway", server,
                    REPORTED_WITHIN.toSeconds());
        } catch (ExecutionException e) {
            log.debug("server {}: power cut report: {}", server, e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        try {
            connect.removeLifecycleListener(lifecycle);
        } catch (LibvirtException | RuntimeException e) {
            log.debug("removing the lifecycle listener: {}", e.getMessage());
        }
        thread.shutdown();
    }

    private int onLifecycle(Domain domain, DomainEvent event) {
        String name;
        try {
            name = domain.getName();
        } catch (LibvirtException e) {
            return 0;
        }
        if (!name.startsWith(DomainXml.DOMAIN_PREFIX)) {
            return 0;
        }
        String server = name.substring(DomainXml.DOMAIN_PREFIX.length());
        DomainEventType type = event.getType();
        Object detail = event.getDetail();
        thread.execute(() -> deliver(server, type, detail));
        return 0;
    }

    private void deliver(String server, DomainEventType type, Object detail) {
        CompletableFuture<Void> cut = type == DomainEventType.STOPPED ? powerCuts.remove(server) : null;
        try {
            deliver(server, type, detail, cut != null);
        } finally {
            if (cut != null) {
                cut.complete(null);
            }
        }
    }

    private void deliver(String server, DomainEventType type, Object detail, boolean ours) {
        GuestEvent event = switch (type) {
            case STARTED -> new GuestEvent(server, GuestState.RUNNING, StateReason.STARTED);
            case SUSPENDED -> new GuestEvent(server, GuestState.PAUSED,
                    detail == SuspendedDetail.IOERROR ? StateReason.IO_ERROR : StateReason.PAUSED);
            case RESUMED -> new GuestEvent(server, GuestState.RUNNING, StateReason.RESUMED);
            case STOPPED -> stopped(server, detail, ours);
            case CRASHED -> new GuestEvent(server, GuestState.CRASHED, StateReason.CRASHED);
            default -> null;
        };
        if (event == null) {
            return;
        }
        if (event.state() == GuestState.STOPPED || event.state() == GuestState.CRASHED) {
            guestEnded.accept(server);
        }
        for (Consumer<GuestEvent> listener : listeners) {
            try {
                listener.accept(event);
            } catch (RuntimeException e) {
                log.warn("guest event listener failed on {}: {}", event, e.getMessage());
            }
        }
    }

    private static GuestEvent stopped(String server, Object detail, boolean ours) {
        if (detail == StoppedDetail.SHUTDOWN) {
            return new GuestEvent(server, GuestState.STOPPED, StateReason.GUEST_SHUTDOWN);
        }
        if (detail == StoppedDetail.CRASHED || detail == StoppedDetail.FAILED) {
            return new GuestEvent(server, GuestState.CRASHED, StateReason.CRASHED);
        }
        if (detail == StoppedDetail.DESTROYED) {
            return new GuestEvent(server, GuestState.STOPPED,
                    ours ? StateReason.POWER_CUT : StateReason.DESTROYED_BEHIND_OUR_BACK);
        }
        return new GuestEvent(server, GuestState.STOPPED, ours ? StateReason.POWER_CUT : StateReason.OTHER);
    }
}
