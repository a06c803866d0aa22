package io.elasticcloud.agent.hypervisor;

import io.elasticcloud.protocol.ElasticException;
import io.elasticcloud.protocol.agent.GuestInfo;
import io.elasticcloud.protocol.agent.GuestInfo.DiskCounters;
import io.elasticcloud.protocol.agent.GuestInfo.NicCounters;
import io.elasticcloud.protocol.agent.GuestSpec;
import io.elasticcloud.protocol.agent.GuestSpec.DiskSpec;
import io.elasticcloud.protocol.agent.GuestState;
import io.elasticcloud.protocol.agent.StateReason;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

/**
 * A complete in-memory {@link Hypervisor} for tests (after Nomad's mock driver and Nova's fake
 * driver): the same validation, idempotency and errors as the real one, events delivered at once
 * on the caller's thread, and a few levers to play the host ({@link #guestPowersOff}, {@link
 * #killBehindTheBack}, {@link #crash}, {@link #failNextStart}). Its guests survive a "restart" of
 * the agent: a new agent given the same fake recovers them.
 */
public final class FakeHypervisor implements Hypervisor {
    private final HostCapacity capacity;
    private final Map<String, Guest> guests = new LinkedHashMap<>();
    private final List<Consumer<GuestEvent>> listeners = new CopyOnWriteArrayList<>();
    private final AtomicInteger starts = new AtomicInteger();
    private final AtomicInteger resets = new AtomicInteger();
    private String failNextStart;
    private String failNextStop;

    private static final class Guest {
        GuestSpec spec;
        String name;
        int mhz;
        boolean shuttingDown;
    }

    public FakeHypervisor() {
        this(new HostCapacity("qemu", 8, 2000, 16 * 1024, 12 * 1024));
    }

    public FakeHypervisor(HostCapacity capacity) {
        this.capacity = capacity;
    }

    @Override
    public HostCapacity host() {
        return capacity;
    }

    @Override
    public GuestInfo start(GuestSpec spec) {
        GuestSpecs.validate(spec);
        List<GuestEvent> events = new ArrayList<>();
        GuestInfo info;
        synchronized (this) {
            Guest existing = guests.get(spec.server());
            if (existing != null) {
                if (sameButLive(existing.spec, spec)) {
                    return info(existing);
                }
                throw ElasticException.busy("server %s is already running with another configuration", spec.server());
            }
            for (Guest other : guests.values()) {
                for (DiskSpec mine : disks(spec)) {
                    boolean held = disks(other.spec).stream()
                            .anyMatch(d -> !d.readOnly() && d.volume().path().equals(mine.volume().path()));
                    if (held && !mine.readOnly()) {
                        throw ElasticException.busy("drive %s is in use by another server on this host", mine.volume().volume());
                    }
                }
            }
            if (failNextStart != null) {
                String why = failNextStart;
                failNextStart = null;
                throw ElasticException.failed("server %s did not start: %s", spec.server(), why);
            }
            Guest guest = new Guest();
            guest.spec = spec;
            guest.name = spec.name();
            guest.mhz = spec.cpu().mhz();
            guests.put(spec.server(), guest);
            starts.incrementAndGet();
            info = info(guest);
            events.add(new GuestEvent(spec.server(), GuestState.RUNNING, StateReason.STARTED));
        }
        emit(events);
        return info;
    }

    @Override
    public void stop(String server) {
        GuestSpecs.server(server);
        synchronized (this) {
            if (failNextStop != null) {
                String why = failNextStop;
                failNextStop = null;
                throw ElasticException.failed("server %s was not stopped: %s", server, why);
            }
        }
        end(server, GuestState.STOPPED, StateReason.POWER_CUT);
    }

    @Override
    public void shutdown(String server) {
        GuestSpecs.server(server);
        synchronized (this) {
            Guest guest = guests.get(server);
            if (guest != null) {
                guest.shuttingDown = true;
            }
        }
    }

    @Override
    public synchronized void reset(String server) {
        running(server);
        resets.incrementAndGet();
    }

    @Override
    public void destroy(String server) {
        stop(server);
    }

    @Override
    public synchronized GuestInfo setCpuQuota(String server, int mhz) {
        GuestSpecs.mhz(mhz);
        Guest guest = running(server);
        guest.mhz = mhz;
        return info(guest);
    }

    @Override
    public synchronized GuestInfo setName(String server, String name) {
        GuestSpecs.name(name);
        Guest guest = running(server);
        guest.name = name;
        return info(guest);
    }

    @Override
    public synchronized Optional<GuestInfo> inspect(String server) {
        GuestSpecs.server(server);
        return Optional.ofNullable(guests.get(server)).map(this::info);
    }

    /** The spec a running guest was started with, as the agent passed it (what tests of the API check). */
    public synchronized Optional<GuestSpec> spec(String server) {
        return Optional.ofNullable(guests.get(server)).map(g -> g.spec);
    }

    @Override
    public synchronized List<GuestInfo> list() {
        return guests.values().stream().map(this::info).toList();
    }

    @Override
    public List<GuestInfo> recover() {
        return list();
    }

    @Override
    public void onEvent(Consumer<GuestEvent> listener) {
        listeners.add(listener);
    }

    /** Forgets the listeners, as a closed connection would; the guests keep running. */
    @Override
    public void close() {
        listeners.clear();
    }

    // --- levers for tests

    /** The guest powers itself off (after an ACPI shutdown, or from inside). */
    public void guestPowersOff(String server) {
        end(server, GuestState.STOPPED, StateReason.GUEST_SHUTDOWN);
    }

    /** Someone else kills the guest (an operator's virsh destroy, the OOM killer). */
    public void killBehindTheBack(String server) {
        end(server, GuestState.STOPPED, StateReason.DESTROYED_BEHIND_OUR_BACK);
    }

    public void crash(String server) {
        end(server, GuestState.CRASHED, StateReason.CRASHED);
    }

    public synchronized void failNextStart(String why) {
        failNextStart = why;
    }

    /** The next stop or destroy fails with {@code why}, and the guest runs on. */
    public synchronized void failNextStop(String why) {
        failNextStop = why;
    }

    public synchronized boolean shuttingDown(String server) {
        Guest guest = guests.get(server);
        return guest != null && guest.shuttingDown;
    }

    public int starts() {
        return starts.get();
    }

    public int resets() {
        return resets.get();
    }

    private void end(String server, GuestState state, StateReason reason) {
        boolean ended;
        synchronized (this) {
            ended = guests.remove(server) != null;
        }
        if (ended) {
            emit(List.of(new GuestEvent(server, state, reason)));
        }
    }

    private void emit(List<GuestEvent> events) {
        for (GuestEvent event : events) {
            listeners.forEach(l -> l.accept(event));
        }
    }

    private Guest running(String server) {
        GuestSpecs.server(server);
        Guest guest = guests.get(server);
        if (guest == null) {
            throw ElasticException.missing("server %s is not running on this host", server);
        }
        return guest;
    }

    private GuestInfo info(Guest guest) {
        GuestSpec spec = guest.spec;
        List<DiskCounters> disks = disks(spec).stream().map(d -> new DiskCounters(d.key(), 0, 0, 0, 0)).toList();
        List<NicCounters> nics = spec.nics() == null ? List.of()
                : spec.nics().stream().map(n -> new NicCounters(n.index(), n.mac(), 0, 0, 0, 0)).toList();
        return new GuestInfo(spec.server(), guest.name, guest.shuttingDown ? GuestState.SHUTTING_DOWN : GuestState.RUNNING,
                spec.cpu().vcpus(), spec.cpu().sockets(), spec.cpu().cores(), guest.mhz, spec.memoryMb(), 0,
                disks, nics, spec.vnc() == null ? 0 : 5900);
    }

    private static List<DiskSpec> disks(GuestSpec spec) {
        return spec.disks() == null ? List.of() : spec.disks();
    }

    private static boolean sameButLive(GuestSpec a, GuestSpec b) {
        return live(a).equals(live(b));
    }

    /**
     * The spec without what a running guest may differ in from a new start's: its name and CPU
     * quota (changed live) and its VNC password, as libvirt's fingerprint of a running domain.
     */
    private static GuestSpec live(GuestSpec s) {
        return new GuestSpec(s.server(), "", new GuestSpec.CpuSpec(s.cpu().vcpus(), s.cpu().sockets(), s.cpu().cores(), 1),
                s.memoryMb(), s.disks(), s.nics(), s.boot(),
                s.vnc() == null ? null : new GuestSpec.VncSpec(s.vnc().listen(), "", s.vnc().tls()));
    }
}
