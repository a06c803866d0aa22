package io.elasticcloud.bench;

import io.elasticcloud.agent.libvirt.LibvirtHypervisor;
import io.elasticcloud.it.PlainHttp;
import io.elasticcloud.protocol.agent.GuestSpec;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Servers created (with the start) and destroyed per second by N concurrent clients, each in a
 * loop of {@code POST /servers/create} then {@code POST /servers/SERVER/destroy}, against a system
 * whose node agent runs on libvirt's {@code test:///default} driver (no QEMU: what is measured is
 * the API, the database, the bus, the agent and libvirt's API). Baselines in the same run: the
 * same clients sending two {@code GET /ping} per loop (the HTTP and authentication floor of two
 * requests), and the agent's own libvirt work alone (a {@link LibvirtHypervisor} on {@code
 * test:///default} in this process, start then destroy of the same kind of guest, N threads).
 */
final class ServerThroughput {
    /**
     * Operations per second over the measured time, and what failed; {@code completed} counts every
     * loop that succeeded, warm-up and tail included (the operations behind a CPU time taken over the
     * whole measurement).
     */
    record Rate(double perSecond, long done, long failed, String firstFailure, long completed) {
        @Override
        public String toString() {
            return String.format("%.1f/s (%d done, %d failed%s)", perSecond, done, failed,
                    firstFailure == null ? "" : ", first: " + firstFailure);
        }
    }

    /** One loop of a client; throws on failure. */
    interface Loop {
        void once() throws Exception;
    }

    private ServerThroughput() {
    }

    /**
     * The loop through {@code http} (the API of one system, or a load balancer before several),
     * client {@code i} as customer {@code auths[i mod size]}.
     */
    static Rate apiCreateDestroy(PlainHttp http, List<String> auths, int clients, Duration warmUp, Duration measured) {
        ThreadLocal<String> customer = customers(auths);
        return measure(clients, warmUp, measured, () -> {
            String auth = customer.get();
            PlainHttp.Reply created = http.post("/servers/create", auth, "name bench churn\ncpu 100\nmem 32\n");
            if (created.status() != 200) {
                throw new IllegalStateException("create " + created.status() + " " + created.text().strip());
            }
            String server = PlainHttp.parseObject(created.text()).get("server");
            PlainHttp.Reply destroyed = http.post("/servers/" + server + "/destroy", auth, (byte[]) null);
            if (destroyed.status() != 204) {
                throw new IllegalStateException("destroy " + destroyed.status() + " " + destroyed.text().strip());
            }
        });
    }

    /**
     * The floor of {@link #apiCreateDestroy} on the same API: the same clients, as the same
     * customers, each loop two authenticated {@code GET /ping} (two requests through the front door,
     * authentication and Spring's dispatch, and nothing else).
     */
    static Rate pingPairs(PlainHttp http, List<String> auths, int clients, Duration warmUp, Duration measured) {
        ThreadLocal<String> customer = customers(auths);
        return measure(clients, warmUp, measured, () -> {
            for (int i = 0; i < 2; i++) {
                PlainHttp.Reply r = http.get("/ping", customer.get());
                if (r.status() != 204) {
                    throw new IllegalStateException("ping " + r.status());
                }
            }
        });
    }

    /** Client {@code i} (in the order the threads first ask) as customer {@code auths[i mod size]}. */
    private static ThreadLocal<String> customers(List<String> auths) {
        AtomicInteger next = new AtomicInteger();
        return ThreadLocal.withInitial(() -> auths.get(next.getAndIncrement() % auths.size()));
    }

    static Rate libvirtAlone(int clients, Duration warmUp, Duration measured) {
        try (LibvirtHypervisor hypervisor = new LibvirtHypervisor(
                new LibvirtHypervisor.Settings("test:///default", "qemu", null, null, "bench"))) {
            return measure(clients, warmUp, measured, () -> {
                String server = UUID.randomUUID().toString();
                hypervisor.start(new GuestSpec(server, "bench churn", new GuestSpec.CpuSpec(1, 1, 1, 100), 32,
                        List.of(), List.of(), List.of(), null));
                hypervisor.destroy(server);
            });
        }
    }

    /** {@code clients} threads loop for warm-up plus measured time; only loops ending in the measured time count. */
    static Rate measure(int clients, Duration warmUp, Duration measured, Loop loop) {
        ExecutorService threads = Executors.newFixedThreadPool(clients);
        AtomicBoolean stop = new AtomicBoolean();
        AtomicLong done = new AtomicLong();
        AtomicLong completed = new AtomicLong();
        AtomicLong failed = new AtomicLong();
        ConcurrentHashMap<String, String> failures = new ConcurrentHashMap<>();
        long start = System.nanoTime() + warmUp.toNanos();
        long end = start + measured.toNanos();
        CountDownLatch finished = new CountDownLatch(clients);
        for (int c = 0; c < clients; c++) {
            threads.execute(() -> {
                try {
                    while (!stop.get()) {
                        try {
                            loop.once();
                            completed.incrementAndGet();
                            long now = System.nanoTime();
                            if (now >= start && now <= end) {
                                done.incrementAndGet();
                            }
                        } catch (Throwable t) {
                            failed.incrementAndGet();
                            failures.putIfAbsent("first", String.valueOf(t.getMessage()));
                        }
                        if (System.nanoTime() > end) {
                            stop.set(true);
                        }
                    }
                } finally {
                    finished.countDown();
                }
            });
        }
        try {
            // every loop ends within its HTTP timeout (60 s) after the measured time
            if (!finished.await(warmUp.plus(measured).plusSeconds(90).toSeconds(), TimeUnit.SECONDS)) {
                stop.set(true);
                throw new IllegalStateException("clients still busy long after the measured time");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        } finally {
            threads.shutdownNow();
        }
        return new Rate(done.get() / (measured.toNanos() / 1e9), done.get(), failed.get(), failures.get("first"),
                completed.get());
    }
}
