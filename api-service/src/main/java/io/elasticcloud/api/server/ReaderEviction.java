package io.elasticcloud.api.server;

import io.elasticcloud.api.account.AccountService;
import io.elasticcloud.api.drive.DriveAccessChanged;
import io.elasticcloud.api.drive.DriveService;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;

/**
 * Owner first: when the owner of a drive destroys it, or takes a reader off its {@code readers},
 * the other customers' servers that hold it (active, paused, or dead and maybe still running) and
 * may no longer read it are powered off at once, as by {@code stop} (a persistent one becomes
 * {@code stopped}, another is destroyed), each with an audit entry on its owner's account. Their
 * next start with the drive is refused like that of any drive they cannot see. A reader's server
 * never keeps the owner from destroying, imaging or starting: it holds the drive read-only.
 */
@Component
class ReaderEviction {
    private static final Logger log = LoggerFactory.getLogger(ReaderEviction.class);

    private final ServerRepository servers;
    private final ServerStop stops;
    private final DriveService drives;
    private final AccountService accounts;

    ReaderEviction(ServerRepository servers, ServerStop stops, DriveService drives, AccountService accounts) {
        this.servers = servers;
        this.stops = stops;
        this.drives = drives;
        this.accounts = accounts;
    }

    @EventListener
    void accessChanged(DriveAccessChanged change) {
        for (Server server : servers.findHolding(change.drive())) {
            UUID user = server.owner();
            if (user.equals(change.owner()) || !change.destroyed() && drives.mayRead(user, change.drive())) {
                continue;
            }
            if (stops.powerOff(server.id())) {
                String why = change.destroyed() ? "its owner destroyed drive " + change.drive()
                        : "its owner no longer lets it read drive " + change.drive();
                log.info("server {} of {} powered off: {}", server.id(), user, why);
                accounts.audit("system", "server-stop", user, "server " + server.id() + " powered off: " + why);
            }
        }
    }
}
