package io.elasticcloud.api.resource;

import io.elasticcloud.codec.Ipv4;
import io.elasticcloud.protocol.ElasticException;
import java.time.Clock;
import java.time.temporal.ChronoUnit;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Consumer;
import java.util.stream.Collectors;
import org.springframework.dao.ConcurrencyFailureException;
import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Hands out public addresses from the pools. The database decides who gets an address: a holder
 * is one inserted row of {@code ip_address}, whose primary key is the address, so two holders can
 * never have it at once, whether they are threads of this service or other API services on the
 * same database. Each attempt picks a free one at random (parallel callers rarely pick the same:
 * {@link #pick}) and inserts it in a transaction of its own; an insert that loses the race is
 * rolled back and the next attempt picks again. {@code full} only when a read finds every pool
 * taken.
 */
@Component
public class AddressAllocator {
    /** Each failed attempt means someone else took an address; this only bounds a pathological loop. */
    private static final int MAX_ATTEMPTS = 1000;

    private final IpAddressRepository addresses;
    private final IpPools pools;
    private final TransactionTemplate tx;
    private final Clock clock;

    public AddressAllocator(IpAddressRepository addresses, IpPools pools, TransactionTemplate tx,
                            Optional<Clock> clock) {
        this.addresses = addresses;
        this.pools = pools;
        this.tx = tx;
        this.clock = clock.orElse(Clock.systemUTC());
    }

    /**
     * A new static IP of {@code owner}, with the request's name, tags and user keys; {@code check}
     * runs first in each attempt's transaction (billing's, which must share it).
     */
    IpAddress allocateStatic(UUID owner, ResourceRequest request, Runnable check) {
        return allocate(owner, null, check, a -> a.apply(request));
    }

    /**
     * A temporary address for {@code server} (of {@code owner}), which it holds until {@link
     * #release}; one it still held is given back first.
     */
    public String allocateTemporary(UUID owner, UUID server) {
        tx.executeWithoutResult(status -> addresses.deleteByServer(server));
        return allocate(owner, server, () -> { }, a -> { }).address();
    }

    /** Gives back the temporary address of {@code server}, if it holds one (joins the caller's transaction). */
    public void release(UUID server) {
        tx.executeWithoutResult(status -> addresses.deleteByServer(server));
    }

    /**
     * The guest of {@code server} is being stopped, and may still run with its temporary address:
     * the address stays held, marked ended, until {@link #releaseEnded} once the host has stopped
     * the guest, or a sweep a while after (joins the caller's transaction). Answers whether it held
     * one not yet ended.
     */
    public boolean end(UUID server) {
        Integer ended = tx.execute(status -> addresses.endByServer(server, clock.instant().truncatedTo(ChronoUnit.MILLIS)));
        return ended != null && ended > 0;
    }

    /** The host stopped the guest of {@code server}: its ended address is given back (not one a start took since). */
    public void releaseEnded(UUID server) {
        tx.executeWithoutResult(status -> addresses.deleteEndedByServer(server));
    }

    /** The temporary address {@code server} holds. */
    public Optional<String> temporaryOf(UUID server) {
        return addresses.findByServer(server).map(IpAddress::address);
    }

    /** The temporary address each server of {@code owner} holds, by server: one query for all of them. */
    public Map<UUID, String> temporariesOf(UUID owner) {
        return addresses.findByOwnerAndServerIsNotNull(owner).stream()
                .collect(Collectors.toMap(IpAddress::server, IpAddress::address));
    }

    /** Gives back one temporary address as it was read; nothing if it was given back, or taken anew, since. */
    public boolean releaseExactly(IpAddress lease) {
        Integer deleted = tx.execute(status ->
                addresses.deleteLease(lease.address(), lease.server(), lease.createdAt()));
        return deleted != null && deleted > 0;
    }

    /** The pool {@code address} is handed out from, if any pool has it. */
    public Optional<IpPool> poolOf(String address) {
        return pools.of(address);
    }

    private IpAddress allocate(UUID owner, UUID server, Runnable check, Consumer<IpAddress> settings) {
        for (int attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
            try {
                return tx.execute(status -> {
                    check.run();
                    Candidate candidate = pick().orElseThrow(() -> pools.all().isEmpty()
                            ? ElasticException.full("no IP pool is configured")
                            : ElasticException.full("no free IP address left in the pools"));
                    IpAddress address = new IpAddress(candidate.address(), candidate.pool(), owner, server,
                            clock.instant().truncatedTo(ChronoUnit.MILLIS));
                    settings.accept(address);
                    return addresses.saveAndFlush(address);
                });
            } catch (DataIntegrityViolationException | ConcurrencyFailureException taken) {
                // another holder inserted it first: pick again
            }
        }
        throw ElasticException.system("no IP address could be taken after %d attempts", MAX_ATTEMPTS);
    }

    private record Candidate(String pool, String address) {
    }

    /**
     * A free address at random from the first pool that has one. Up to {@link #PROBES} addresses
     * drawn at random are each looked up by their key, and the first free one is taken: the start
     * reads no other row, however large the pool and however many of its addresses are held. Only
     * when all are held is the pool read whole, to find what is left in it (a pool half taken: once
     * in 256 starts; four-fifths taken: once in 6).
     */
    private Optional<Candidate> pick() {
        for (IpPool pool : pools.all()) {
            for (int probe = 0; probe < PROBES; probe++) {
                Optional<Ipv4> drawn = pool.anyAddress(ThreadLocalRandom.current());
                if (drawn.isPresent() && !addresses.existsById(drawn.get().toString())) {
                    return Optional.of(new Candidate(pool.name(), drawn.get().toString()));
                }
            }
            Set<String> held = new HashSet<>(addresses.addressesOf(pool.name()));
            List<Ipv4> free = pool.addresses().stream().filter(a -> !held.contains(a.toString())).toList();
            if (!free.isEmpty()) {
                return Optional.of(new Candidate(pool.name(),
                        free.get(ThreadLocalRandom.current().nextInt(free.size())).toString()));
            }
        }
        return Optional.empty();
    }

    /** Addresses drawn from a pool before it is read whole. */
    private static final int PROBES = 8;
}
