package io.elasticcloud.api.server;

import java.util.List;
import java.util.Locale;

/** A server's status as the API shows it (section 3's decision on statuses). */
public enum ServerStatus {
    /** Its guest runs on its host. */
    ACTIVE,
    /** Configured, not running anywhere, holding nothing on a host. */
    STOPPED,
    /** The hypervisor suspended its CPUs (a storage I/O error, maintenance); still on its host. */
    PAUSED,
    /** Its memory saved to disk (a managed save); nothing produces it yet. */
    DUMPED,
    /** Its guest crashed or its host was lost. Holds no capacity; start or destroy it. */
    DEAD;

    /** The statuses in which a server holds a host: its CPU, memory and drive claims. */
    /** Statuses of a server that is on a host; {@code ServerRepository#findOnHostUsing} spells them out too. */
    public static final List<ServerStatus> ON_HOST = List.of(ACTIVE, PAUSED);

    public boolean onHost() {
        return ON_HOST.contains(this);
    }

    public String apiName() {
        return name().toLowerCase(Locale.ROOT);
    }
}
