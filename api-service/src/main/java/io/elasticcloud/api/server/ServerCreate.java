package io.elasticcloud.api.server;

import io.elasticcloud.protocol.ElasticException;
import io.elasticcloud.protocol.agent.GuestInfo;
import java.time.Clock;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.springframework.stereotype.Service;

/**
 * {@code create}: the server is recorded stopped, and then started if asked. Quotas and billing
 * check a server created stopped as if it ran, so that a server is not created that could not
 * start; one created with its start is checked as it runs by the start (once, not twice).
 */
@Service
public class ServerCreate {
    /** Draws of random MACs at a create before giving up (each collides with 1 in 16.7 million). */
    private static final int MAC_ATTEMPTS = 100;

    private final ServerRows rows;
    private final ServerReferences references;
    private final ServerStart start;
    private final ServerAllowance allowance;
    private final SealedVncPassword seal;
    private final Clock clock;

    ServerCreate(ServerRows rows, ServerReferences references, ServerStart start, ServerAllowance allowance,
                 SealedVncPassword seal, Optional<Clock> clock) {
        this.rows = rows;
        this.references = references;
        this.start = start;
        this.allowance = allowance;
        this.seal = seal;
        this.clock = clock.orElse(Clock.systemUTC());
    }

    /**
     * A server just created: its row (as its start recorded it, if started), and what its host
     * answered of the guest it started (null if it was created stopped).
     */
    public record Created(Server server, GuestInfo started) {
    }

    /**
     * Creates the server, stopped; {@code start} also starts it (and removes it again if it cannot
     * start).
     */
    public Created create(UUID user, Map<String, String> keys, boolean start) {
        ServerRequest request = ServerRequest.parse(keys);
        ServerConfig config = ServerConfig.empty().with(request).complete();
        UUID id = UUID.randomUUID();
        // Not under the placement lock: a stopped server is on no host. Only its MACs must not be
        // another's (their stripes are held to the commit); billing's check holds the account's row.
        Server created = null;
        for (int attempt = 0; created == null; attempt++) {
            if (attempt == MAC_ATTEMPTS) {
                throw ElasticException.system("no free MAC address found in %d attempts", MAC_ATTEMPTS);
            }
            Map<String, String> fresh = ServerReferences.freshMacs(config);
            List<String> macs = new ArrayList<>(fresh.values());
            macs.add(config.get("nic:0:mac"));
            macs.add(config.get("nic:1:mac"));
            created = rows.naming(macs, () -> {
                ServerConfig checked = references.check(user, id, config);
                if (references.anyTaken(fresh.values())) {
                    return null; // a random MAC another server has: draw again
                }
                for (Map.Entry<String, String> mac : fresh.entrySet()) {
                    checked = checked.withKey(mac.getKey(), mac.getValue());
                }
                if (start) {
                    allowance.newServerStarting(user);
                } else {
                    allowance.newServer(user, checked.cpu(), checked.mem());
                }
                Server server = new Server(id, user, checked, clock.instant().truncatedTo(ChronoUnit.MILLIS), seal);
                server.dialect(request.dhcpShowsAddress());
                return rows.add(server);
            });
        }
        if (!start) {
            return new Created(created, null);
        }
        try {
            ServerStart.Started started = this.start.start(user, id, created);
            return new Created(started.server(), started.guest());
        } catch (RuntimeException e) {
            // under the server's lock, as every removal: a destroy may have come first
            rows.onServer(id, () -> rows.find(id).ifPresent(rows::delete));
            throw e;
        }
    }
}
