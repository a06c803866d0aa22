package io.elasticcloud.api.lock;

import java.util.Arrays;
import java.util.Collection;
import java.util.Locale;
import java.util.Objects;
import java.util.UUID;
import java.util.function.Supplier;
import org.springframework.stereotype.Component;

/**
 * Every lock this API service takes in memory, by name, and the one order they are taken in. A
 * caller never holds a lock across a bus call, and takes locks only in this order (any may be
 * skipped), so no two callers ever wait on each other in a cycle:
 * <ol>
 * <li>{@link #hostPlacement}: from choosing a host to committing the server row that takes its
 * room (a start; a {@code set} that may raise {@code cpu} live; a host put into or out of
 * maintenance), so parallel starts never overcommit a host nor break {@code avoid:servers};</li>
 * <li>{@link #storagePlacement}: from choosing a storage node to committing the drive row that
 * takes its room (drive create, grow, library import); never held with the host placement;</li>
 * <li>{@link #macs} / {@link #allMacs}: the stripes of the MAC addresses a command gives a server,
 * held until its transaction commits, so two commands never both find one MAC free;</li>
 * <li>then the caller's database transaction begins, and in it</li>
 * <li>{@link #server}: one server's row transitions (start, stop, set, destroy and what the
 * hosts report), taken inside the transaction and held to its end;</li>
 * <li>the database's own row locks ({@code SELECT … FOR UPDATE}), in this order: drive rows
 * ({@code DriveRepository.findLockedById}, several in UUID order), static IP and VLAN rows
 * ({@code IpAddressRepository.lock}, {@code VlanRepository.lock}), the metering watermark
 * ({@code MeterMarks.lock}) and last billing account rows ({@code
 * BillingAccountRepository.lockAccount}, several in UUID order). They already hold across API
 * instances and stay with their repositories.</li>
 * </ol>
 * The in-memory locks hold within this one process only. Callers see names and scopes, never a
 * monitor, so that they can move into the database without any caller changing.
 */
@Component
public class Locks {
    private static final int STRIPES = 64;

    private final Object hostPlacement = new Object();
    private final Object storagePlacement = new Object();
    private final Object[] servers = stripes();
    private final Object[] macs = stripes();

    private static Object[] stripes() {
        Object[] stripes = new Object[STRIPES];
        Arrays.setAll(stripes, i -> new Object());
        return stripes;
    }

    /** Runs {@code action} holding the host placement lock. */
    public <T> T hostPlacement(Supplier<T> action) {
        synchronized (hostPlacement) {
            return action.get();
        }
    }

    /** As {@link #hostPlacement(Supplier)}, for an action without a result. */
    public void hostPlacement(Runnable action) {
        synchronized (hostPlacement) {
            action.run();
        }
    }

    /** Runs {@code action} holding the storage placement lock. */
    public <T> T storagePlacement(Supplier<T> action) {
        synchronized (storagePlacement) {
            return action.get();
        }
    }

    /** As {@link #storagePlacement(Supplier)}, for an action without a result. */
    public void storagePlacement(Runnable action) {
        synchronized (storagePlacement) {
            action.run();
        }
    }

    /** Runs {@code action} holding the lock of server {@code id}'s row transitions (a stripe of 64). */
    public <T> T server(UUID id, Supplier<T> action) {
        synchronized (servers[Math.floorMod(id.hashCode(), STRIPES)]) {
            return action.get();
        }
    }

    /** As {@link #server(UUID, Supplier)}, for an action without a result. */
    public void server(UUID id, Runnable action) {
        synchronized (servers[Math.floorMod(id.hashCode(), STRIPES)]) {
            action.run();
        }
    }

    /**
     * Runs {@code action} (which commits) holding the stripes of {@code macs} (nulls ignored, case
     * ignored). Creates of different MACs proceed in parallel; one with no MAC holds none.
     */
    public <T> T macs(Collection<String> macs, Supplier<T> action) {
        int[] held = macs.stream().filter(Objects::nonNull)
                .mapToInt(mac -> Math.floorMod(mac.toLowerCase(Locale.ROOT).hashCode(), STRIPES))
                .distinct().sorted().toArray();
        return hold(held, 0, action);
    }

    /** Runs {@code action} holding every MAC stripe: no MAC changes hands meanwhile. */
    public <T> T allMacs(Supplier<T> action) {
        int[] all = new int[STRIPES];
        Arrays.setAll(all, i -> i);
        return hold(all, 0, action);
    }

    /** Stripes are taken in ascending order, so two holders never wait on each other. */
    private <T> T hold(int[] held, int next, Supplier<T> action) {
        if (next == held.length) {
            return action.get();
        }
        synchronized (macs[held[next]]) {
            return hold(held, next + 1, action);
        }
    }
}
