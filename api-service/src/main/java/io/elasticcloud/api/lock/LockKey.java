package io.elasticcloud.api.lock;

import io.elasticcloud.protocol.ElasticException;
import java.time.Duration;
import java.util.Locale;
import java.util.UUID;

/**
 * One lock of {@link Locks}: its kind and a number within the kind. On PostgreSQL the pair is the
 * advisory lock's two keys ({@code pg_advisory_xact_lock(int, int)}); in memory it picks a stripe.
 *
 * @param kind which lock
 * @param id   which one of its kind: 0 for storage placement, a host's or a server's hash, a MAC stripe
 */
record LockKey(Kind kind, int id) {
    /** MAC addresses are spread over this many stripes, so that holding all of them is possible. */
    static final int MAC_STRIPES = 64;

    enum Kind {
        HOST(0x454c0001),
        STORAGE_PLACEMENT(0x454c0002),
        MAC(0x454c0003),
        SERVER(0x454c0004);

        /** The advisory lock's first key: "EL" and a number, apart from any other user of the database. */
        final int classId;

        Kind(int classId) {
            this.classId = classId;
        }
    }

    static final LockKey STORAGE_PLACEMENT = new LockKey(Kind.STORAGE_PLACEMENT, 0);

    /** The placement lock of host {@code node} (hosts whose names hash alike share one: harmless). */
    static LockKey host(String node) {
        return new LockKey(Kind.HOST, node.hashCode());
    }

    static LockKey server(UUID id) {
        return new LockKey(Kind.SERVER, id.hashCode());
    }

    /** The stripe of {@code mac}, case ignored. */
    static LockKey mac(String mac) {
        return macStripe(Math.floorMod(mac.toLowerCase(Locale.ROOT).hashCode(), MAC_STRIPES));
    }

    static LockKey macStripe(int stripe) {
        return new LockKey(Kind.MAC, stripe);
    }

    /** What a caller is told when this lock was not free within {@code wait}. */
    ElasticException notFree(Duration wait) {
        return ElasticException.system("the %s lock was not free within %d s; try again",
                kind == Kind.HOST ? "host placement" : kind.name().toLowerCase(Locale.ROOT).replace('_', ' '),
                wait.toSeconds());
    }
}
