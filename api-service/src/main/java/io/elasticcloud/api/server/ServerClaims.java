package io.elasticcloud.api.server;

import io.elasticcloud.api.drive.DriveClaims;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import javax.sql.DataSource;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * The drives' {@code claimed} key, from the servers on hosts (active or paused), in one SQL
 * statement: drive info asks it on every call.
 */
@Component
public class ServerClaims implements DriveClaims {
    private static final String CLAIMS = "SELECT s.owner_id, s.id, sd.device FROM server_drive sd"
            + " JOIN server s ON s.id = sd.server_id"
            + " WHERE sd.drive_id = ? AND s.status IN ('" + ServerStatus.ACTIVE.name() + "', '" + ServerStatus.PAUSED.name() + "')";

    /** As {@link #CLAIMS} for many drives, their ids bound as one array (one statement whatever their number). */
    private static final String CLAIMS_OF_MANY = "SELECT sd.drive_id, s.owner_id, s.id, sd.device FROM server_drive sd"
            + " JOIN server s ON s.id = sd.server_id"
            + " WHERE sd.drive_id = ANY (?) AND s.status IN ('" + ServerStatus.ACTIVE.name() + "', '"
            + ServerStatus.PAUSED.name() + "')";

    private static final String USED_BY = "SELECT COUNT(*) FROM server_drive sd JOIN server s ON s.id = sd.server_id"
            + " WHERE sd.drive_id = ? AND s.owner_id = ? AND s.status IN ('" + ServerStatus.ACTIVE.name() + "', '"
            + ServerStatus.PAUSED.name() + "')";

    private final JdbcTemplate jdbc;

    public ServerClaims(DataSource dataSource) {
        this.jdbc = new JdbcTemplate(dataSource);
    }

    @Override
    public List<Claim> claims(UUID drive) {
        return jdbc.query(CLAIMS, (rs, n) -> new Claim(rs.getObject(1, UUID.class), rs.getObject(2, UUID.class),
                rs.getString(3)), drive);
    }

    @Override
    public Map<UUID, List<Claim>> claims(Collection<UUID> drives) {
        if (drives.isEmpty()) {
            return Map.of();
        }
        Map<UUID, List<Claim>> claims = new HashMap<>();
        jdbc.query(CLAIMS_OF_MANY,
                ps -> ps.setArray(1, ps.getConnection().createArrayOf("uuid", drives.toArray())),
                rs -> {
                    claims.computeIfAbsent(rs.getObject(1, UUID.class), d -> new ArrayList<>()).add(
                            new Claim(rs.getObject(2, UUID.class), rs.getObject(3, UUID.class), rs.getString(4)));
                });
        return claims;
    }

    @Override
    public boolean inUseBy(UUID drive, UUID user) {
        Integer count = jdbc.queryForObject(USED_BY, Integer.class, drive, user);
        return count != null && count > 0;
    }
}
