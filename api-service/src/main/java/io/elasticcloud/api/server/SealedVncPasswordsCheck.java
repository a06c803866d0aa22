package io.elasticcloud.api.server;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * At start, after the migrations (Spring Boot runs Flyway before any {@link JdbcTemplate} is
 * handed out): every sealed VNC password opens with this master key, or the service refuses to
 * start, naming the servers. A password an earlier build sealed for no server in particular is
 * sealed again for its own. Started with a wrong or new key file, it would otherwise read every
 * password as none and write none back at the next change of each server.
 */
@Component
public class SealedVncPasswordsCheck {
    private static final int NAMED = 5;

    public SealedVncPasswordsCheck(JdbcTemplate jdbc, SealedVncPassword sealed) {
        check(jdbc, sealed);
    }

    static void check(JdbcTemplate jdbc, SealedVncPassword sealed) {
        List<UUID> closed = new ArrayList<>();
        Map<UUID, String> resealed = new LinkedHashMap<>();
        int[] total = {0};
        jdbc.query("SELECT id, vnc_password FROM server WHERE vnc_password IS NOT NULL", row -> {
            UUID id = row.getObject(1, UUID.class);
            total[0]++;
            try {
                sealed.open(id, row.getString(2));
            } catch (IllegalStateException e) {
                try {
                    // sealed by an earlier build for no server in particular: sealed again for its own
                    resealed.put(id, sealed.seal(id, sealed.openUnbound(row.getString(2))));
                } catch (IllegalStateException stillClosed) {
                    closed.add(id);
                }
            }
        });
        resealed.forEach((id, value) -> jdbc.update(
                "UPDATE server SET vnc_password = ? WHERE id = ?", value, id));
        if (!closed.isEmpty()) {
            throw new IllegalStateException(closed.size() + " of " + total[0] + " sealed VNC passwords (servers "
                    + closed.subList(0, Math.min(NAMED, closed.size())) + (closed.size() > NAMED ? ", ..." : "")
                    + ") cannot be opened with the master key elastic.master-key-file: start with the key file"
                    + " they were sealed with (restore it from backup); refusing to start rather than lose them");
        }
    }
}
