package io.elasticcloud.api.server;

import io.elasticcloud.api.resource.IpAddress;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.springframework.data.domain.Limit;
import org.springframework.data.jpa.repository.JpaRepository;
import org.springframework.data.jpa.repository.Query;

public interface ServerRepository extends JpaRepository<Server, UUID> {

    /**
     * One server with its keys and drives in one statement: they are fetched by subselect
     * ({@link Server}) for the servers of a query, which for one server would be two more.
     */
    @Override
    @Query("select s from Server s left join fetch s.config left join fetch s.drives where s.id = :id")
    Optional<Server> findById(UUID id);

    /**
     * What {@code /servers/list} shows of {@code owner}'s servers, the first page in that order
     * ({@link io.elasticcloud.api.common.Pages}), from their rows alone.
     */
    @Query("select new io.elasticcloud.api.server.ServerListed(s.id, s.cpu, s.mem, s.createdAt) from Server s"
            + " where s.owner = :owner order by s.createdAt, s.id")
    List<ServerListed> listedOf(UUID owner, Limit limit);

    /** As {@link #listedOf}, the page after the server created at {@code at} with id {@code id}. */
    @Query("select new io.elasticcloud.api.server.ServerListed(s.id, s.cpu, s.mem, s.createdAt) from Server s"
            + " where s.owner = :owner and (s.createdAt > :at or (s.createdAt = :at and s.id > :id))"
            + " order by s.createdAt, s.id")
    List<ServerListed> listedOfAfter(UUID owner, Instant at, UUID id, Limit limit);

    /**
     * {@code owner}'s servers up to the one created at {@code lastAt} with id {@code lastId}, in the
     * listing's order: a first page whose bounds {@link #listedOf} gave. Bounded by its keys, not by a
     * row limit, so that their keys and drives are still fetched by one subselect each.
     */
    @Query("select s from Server s where s.owner = :owner"
            + " and (s.createdAt < :lastAt or (s.createdAt = :lastAt and s.id <= :lastId))"
            + " order by s.createdAt, s.id")
    List<Server> pageOfOwnerUpTo(UUID owner, Instant lastAt, UUID lastId);

    /** As {@link #pageOfOwnerUpTo}, the page after the server created at {@code at} with id {@code id}. */
    @Query("select s from Server s where s.owner = :owner"
            + " and (s.createdAt > :at or (s.createdAt = :at and s.id > :id))"
            + " and (s.createdAt < :lastAt or (s.createdAt = :lastAt and s.id <= :lastId))"
            + " order by s.createdAt, s.id")
    List<Server> pageOfOwnerBetween(UUID owner, Instant at, UUID id, Instant lastAt, UUID lastId);

    /** Which of {@code owner}'s servers are on a host, and which ({@link ServerStatus#ON_HOST}, written out as below). */
    @Query("select new io.elasticcloud.api.server.ServerOnHost(s.id, s.host) from Server s where s.owner = :owner"
            + " and s.status in (io.elasticcloud.api.server.ServerStatus.ACTIVE, io.elasticcloud.api.server.ServerStatus.PAUSED)")
    List<ServerOnHost> onHostOf(UUID owner);

    long countByStatus(ServerStatus status);

    /**
     * The hosts servers are on ({@link ServerStatus#ON_HOST}), each once: what the sweep for silent
     * hosts reads every few seconds, one name per host (the index {@code server_placed}) rather than
     * every running server's row.
     */
    @Query("select distinct s.host from Server s where s.status in ("
            + "io.elasticcloud.api.server.ServerStatus.ACTIVE, io.elasticcloud.api.server.ServerStatus.PAUSED)")
    List<String> hostsInUse();

    /**
     * The temporary addresses ended before {@code endedBefore} (a stop whose host never answered),
     * and those taken before {@code before} and not ended whose server is neither on a host nor
     * {@code dead} (it may still run there): gone, stopped, or its start undone. One query however
     * many servers hold one; normally none is found.
     */
    @Query("select a from IpAddress a where a.server is not null and (a.endedAt <= :endedBefore"
            + " or a.endedAt is null and a.createdAt <= :before and not exists ("
            + "select s.id from Server s where s.id = a.server and s.status in (io.elasticcloud.api.server.ServerStatus.ACTIVE,"
            + " io.elasticcloud.api.server.ServerStatus.PAUSED, io.elasticcloud.api.server.ServerStatus.DEAD)))")
    List<IpAddress> temporariesNotHeld(Instant before, Instant endedBefore);

    /** Ids {@link #startsAmong} asks about in one statement. */
    int STARTS_CHUNK = 100;

    /**
     * Of {@code ids}, the servers on a host or {@code dead}, with the start each is in. Sent {@link
     * #STARTS_CHUNK} at a time by {@link #startsAmong}, so that the statement is always the same.
     */
    @Query("select new io.elasticcloud.api.server.HeldStart(s.id, s.startedAt) from Server s where s.id in :ids"
            + " and s.status in (io.elasticcloud.api.server.ServerStatus.ACTIVE, io.elasticcloud.api.server.ServerStatus.PAUSED,"
            + " io.elasticcloud.api.server.ServerStatus.DEAD)")
    List<HeldStart> startedAmong(Collection<UUID> ids);

    /**
     * The start each of {@code ids} is in, for those on a host or {@code dead}: one statement per
     * {@link #STARTS_CHUNK} ids, each with as many parameters (the last chunk repeats an id), so
     * that neither the number of statements nor their text follows the number of servers.
     */
    default Map<UUID, Instant> startsAmong(List<UUID> ids) {
        Map<UUID, Instant> starts = new HashMap<>();
        for (int from = 0; from < ids.size(); from += STARTS_CHUNK) {
            List<UUID> chunk = new ArrayList<>(ids.subList(from, Math.min(ids.size(), from + STARTS_CHUNK)));
            while (chunk.size() < STARTS_CHUNK) {
                chunk.add(chunk.get(0));
            }
            startedAmong(chunk).forEach(s -> starts.put(s.id(), s.startedAt()));
        }
        return starts;
    }

    List<Server> findByHostAndStatusIn(String host, Collection<ServerStatus> statuses);

    /**
     * The servers placed on {@code host}: on it ({@link ServerStatus#ON_HOST}) or {@code dead} there,
     * with their status and start, what each of its heartbeats is compared with. One statement, no
     * server's keys or drives; the statuses are written out as in {@link #findOnHostUsing}.
     */
    @Query("select new io.elasticcloud.api.server.HostedServer(s.id, s.status, s.startedAt) from Server s"
            + " where s.host = :host and s.status in (io.elasticcloud.api.server.ServerStatus.ACTIVE,"
            + " io.elasticcloud.api.server.ServerStatus.PAUSED, io.elasticcloud.api.server.ServerStatus.DEAD)")
    List<HostedServer> placedOn(String host);

    /**
     * The servers on a host ({@link ServerStatus#ON_HOST}) that use {@code drive}. The statuses are
     * written out rather than bound as a list: Hibernate caches the SQL of a query only when no
     * parameter is multi-valued, and drive info asks this on every call.
     */
    @Query("select distinct s from Server s join s.drives d where d.drive = :drive and s.status in ("
            + "io.elasticcloud.api.server.ServerStatus.ACTIVE, io.elasticcloud.api.server.ServerStatus.PAUSED)")
    List<Server> findOnHostUsing(UUID drive);

    /**
     * The servers that may run a guest with {@code drive}: on a host, or {@code dead} (their host
     * went silent and may come back with the guest still running).
     */
    @Query("select distinct s from Server s join s.drives d where d.drive = :drive and s.status in ("
            + "io.elasticcloud.api.server.ServerStatus.ACTIVE, io.elasticcloud.api.server.ServerStatus.PAUSED, "
            + "io.elasticcloud.api.server.ServerStatus.DEAD)")
    List<Server> findHolding(UUID drive);

    /**
     * The core MHz given to the servers on {@code host} ({@link ServerStatus#ON_HOST}, written out as
     * in {@link #findOnHostUsing}: a multi-valued parameter makes Hibernate translate the query
     * again at every call, which placement paid under its lock).
     */
    @Query("select coalesce(sum(s.cpu), 0) from Server s where s.host = :host and s.status in ("
            + "io.elasticcloud.api.server.ServerStatus.ACTIVE, io.elasticcloud.api.server.ServerStatus.PAUSED)")
    long sumCpuOnHost(String host);

    /** The MB given to the servers on {@code host}, as {@link #sumCpuOnHost}. */
    @Query("select coalesce(sum(s.mem), 0) from Server s where s.host = :host and s.status in ("
            + "io.elasticcloud.api.server.ServerStatus.ACTIVE, io.elasticcloud.api.server.ServerStatus.PAUSED)")
    long sumMemOnHost(String host);

    /** What the servers on {@code host} use, in one query, as {@link #sumCpuOnHost}. */
    @Query("select new io.elasticcloud.api.server.ServerUse(coalesce(sum(s.cpu), 0), coalesce(sum(s.mem), 0))"
            + " from Server s where s.host = :host and s.status in ("
            + "io.elasticcloud.api.server.ServerStatus.ACTIVE, io.elasticcloud.api.server.ServerStatus.PAUSED)")
    ServerUse useOnHost(String host);

    /** Per host, what the servers on it use, in one query, as {@link #sumCpuOnHost}. */
    @Query("select new io.elasticcloud.api.server.ServerUseOnHost(s.host, sum(s.cpu), sum(s.mem))"
            + " from Server s where s.status in ("
            + "io.elasticcloud.api.server.ServerStatus.ACTIVE, io.elasticcloud.api.server.ServerStatus.PAUSED)"
            + " group by s.host")
    List<ServerUseOnHost> sumCpuMemByHost();

    /** The servers whose {@code nic:0:mac} (on the public network) is {@code mac}. */
    @Query("select s from Server s join s.config c where key(c) = 'nic:0:mac' and value(c) = :mac")
    List<Server> findByPublicMac(String mac);

    /** The servers whose {@code nic:0:dhcp} or {@code vnc} names the static IP {@code address}. */
    @Query("select distinct s from Server s join s.config c where key(c) in ('nic:0:dhcp', 'vnc') and value(c) = :address")
    List<Server> findUsingAddress(String address);

    /** The servers whose private interface is on VLAN {@code vlan} (its UUID, lower case). */
    @Query("select s from Server s join s.config c where key(c) = 'nic:1:vlan' and value(c) = :vlan")
    List<Server> findOnVlan(String vlan);

    /** What {@code owner}'s servers on a host use, statuses written out as in {@link #sumCpuOnHost}. */
    @Query("select new io.elasticcloud.api.server.ServerUse(coalesce(sum(s.cpu), 0), coalesce(sum(s.mem), 0))"
            + " from Server s where s.owner = :owner"
            + " and s.status in (io.elasticcloud.api.server.ServerStatus.ACTIVE,"
            + " io.elasticcloud.api.server.ServerStatus.PAUSED)")
    ServerUse sumCpuMemOfOwnerOnHost(UUID owner);

    /** Per owner, what their servers in {@code statuses} use. */
    @Query("select new io.elasticcloud.api.server.ServerUseOfOwner(s.owner, sum(s.cpu), sum(s.mem))"
            + " from Server s where s.status in :statuses group by s.owner")
    List<ServerUseOfOwner> sumCpuMemByOwner(Collection<ServerStatus> statuses);

    /** The servers with {@code mac} as the MAC address of one of their interfaces. */
    @Query("select s from Server s join s.config c where key(c) in ('nic:0:mac', 'nic:1:mac') and value(c) = :mac")
    List<Server> findByMac(String mac);
}
