package io.elasticcloud.api.console;

import io.elasticcloud.api.server.ServerConsoles;
import io.elasticcloud.protocol.ElasticException;
import jakarta.annotation.PreDestroy;
import jakarta.websocket.CloseReason.CloseCodes;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * The consoles open on this API instance: their limits (per customer and in all, counted from
 * the moment a spent token is accepted, so slots are taken before the guest is reached) and their
 * end with their server's run. Every {@code elastic.console.watch-interval} one query reads the
 * rows of the servers with open consoles; a console whose server no longer runs the run it opened
 * on (stopped, destroyed, dead, started again elsewhere) is closed. Polling the database, not the
 * host's events, because the instance holding the WebSocket need not be the one that hears them;
 * QEMU also drops its VNC clients when the guest ends, which ends the console at once.
 */
@Component
public class OpenConsoles {
    private static final Logger log = LoggerFactory.getLogger(OpenConsoles.class);

    private final ConsoleProperties properties;
    private final ServerConsoles servers;
    private final Map<UUID, Integer> perCustomer = new HashMap<>();
    private int total;
    private final Set<ConsoleRelay> open = ConcurrentHashMap.newKeySet();
    private final ScheduledExecutorService watch = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "console-watch");
        t.setDaemon(true);
        return t;
    });

    OpenConsoles(ConsoleProperties properties, ServerConsoles servers) {
        this.properties = properties;
        this.servers = servers;
        long every = properties.watchInterval().toMillis();
        watch.scheduleWithFixedDelay(this::closeEnded, every, every, TimeUnit.MILLISECONDS);
    }

    /** Takes a console slot for {@code owner}, {@code 409 busy} when none is free; give it back with {@link #release}. */
    synchronized void reserve(UUID owner) {
        int theirs = perCustomer.getOrDefault(owner, 0);
        if (theirs >= properties.perCustomer()) {
            throw ElasticException.busy("%d consoles are open already: close one first", theirs);
        }
        if (total >= properties.total()) {
            throw ElasticException.busy("this API instance has as many consoles open as it takes: try again later");
        }
        perCustomer.put(owner, theirs + 1);
        total++;
    }

    synchronized void release(UUID owner) {
        perCustomer.computeIfPresent(owner, (o, n) -> n > 1 ? n - 1 : null);
        total--;
    }

    /** Consoles open for {@code owner} here. */
    synchronized int openFor(UUID owner) {
        return perCustomer.getOrDefault(owner, 0);
    }

    /** Holds {@code relay} (its slot reserved) until it closes; one never opened is closed by the watch. */
    void opened(ConsoleRelay relay) {
        open.add(relay);
    }

    void closed(ConsoleRelay relay) {
        if (open.remove(relay)) {
            release(relay.target().owner());
        }
    }

    private void closeEnded() {
        try {
            List<ConsoleRelay> now = List.copyOf(open);
            if (now.isEmpty()) {
                return;
            }
            Set<UUID> running = servers.stillRunning(now.stream().map(ConsoleRelay::target).toList());
            for (ConsoleRelay relay : now) {
                if (relay.neverOpened()) {
                    relay.close(CloseCodes.GOING_AWAY, "the WebSocket never opened");
                } else if (!running.contains(relay.target().server())) {
                    relay.close(CloseCodes.GOING_AWAY, "the server stopped");
                }
            }
        } catch (RuntimeException e) {
            log.warn("could not check the servers of the open consoles: {}", e.toString());
        }
    }

    @PreDestroy
    void closeAll() {
        watch.shutdownNow();
        for (ConsoleRelay relay : List.copyOf(open)) {
            relay.close(CloseCodes.GOING_AWAY, "the API is stopping");
        }
    }
}
