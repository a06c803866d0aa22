package io.elasticcloud.api.drive;

import io.elasticcloud.protocol.storage.Cipher;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import javax.sql.DataSource;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * The hottest read of the API, {@code GET /drives/DRIVE/info}, in one SQL statement and without
 * the entity manager: the drive's row and the progress of the imaging jobs that target it. The
 * same rows JPA maps ({@link Drive}, {@link ImagingJob}); nothing here writes.
 */
@Component
class DriveRows {
    /** A drive with the progress of its imaging jobs, oldest first (null: queued). */
    record Loaded(Drive drive, List<Integer> imaging) {
    }

    private static final String ONE = "SELECT d.id, d.owner_id, d.name, d.size_bytes, d.claim_type, d.readers, d.tags,"
            + " d.user_keys, d.cipher, d.storage_node, d.standard, d.media, d.format, d.raw_size, d.imaging_error,"
            + " d.read_bytes, d.read_requests, d.write_bytes, d.write_requests, d.created_at, d.version,"
            + " j.id AS job, j.percent"
            + " FROM drive d LEFT JOIN imaging_job j ON j.target_id = d.id"
            + " WHERE d.id = ? ORDER BY j.created_at, j.id";

    /**
     * The progress of the imaging jobs of many drives, their ids bound as one array: one statement
     * with one parameter whatever their number (PostgreSQL takes at most 32,767 per statement).
     */
    private static final String IMAGING_OF_MANY = "SELECT j.target_id, j.percent FROM imaging_job j"
            + " WHERE j.target_id = ANY (?) ORDER BY j.created_at, j.id";

    private final JdbcTemplate jdbc;

    DriveRows(DataSource dataSource) {
        this.jdbc = new JdbcTemplate(dataSource);
    }

    Optional<Loaded> find(UUID id) {
        return Optional.ofNullable(jdbc.query(ONE, rs -> {
            if (!rs.next()) {
                return null;
            }
            Drive drive = drive(rs);
            List<Integer> imaging = new ArrayList<>();
            do {
                if (rs.getObject("job") != null) {
                    imaging.add(rs.getObject("percent", Integer.class));
                }
            } while (rs.next());
            return new Loaded(drive, imaging);
        }, id));
    }

    /** The progress of the imaging jobs targeting each of {@code drives}, oldest first; drives with none are left out. */
    Map<UUID, List<Integer>> imaging(Collection<UUID> drives) {
        Map<UUID, List<Integer>> imaging = new HashMap<>();
        if (drives.isEmpty()) {
            return imaging;
        }
        jdbc.query(IMAGING_OF_MANY,
                ps -> ps.setArray(1, ps.getConnection().createArrayOf("uuid", drives.toArray())),
                rs -> {
                    imaging.computeIfAbsent(rs.getObject(1, UUID.class), d -> new ArrayList<>())
                            .add(rs.getObject(2, Integer.class));
                });
        return imaging;
    }

    private static Drive drive(ResultSet rs) throws SQLException {
        long rawSize = rs.getLong("raw_size");
        Long raw = rs.wasNull() ? null : rawSize;
        // every setting is a NOT NULL column: each replaces the new drive's default
        DriveSettings settings = new DriveSettings(rs.getString("name"), ClaimType.valueOf(rs.getString("claim_type")),
                rs.getString("readers"), rs.getString("tags"), rs.getString("user_keys"));
        Drive drive = new Drive(rs.getObject("id", UUID.class), rs.getObject("owner_id", UUID.class), settings,
                rs.getLong("size_bytes"), Cipher.valueOf(rs.getString("cipher")), rs.getString("storage_node"),
                rs.getObject("created_at", OffsetDateTime.class).toInstant());
        drive.restore(new Drive.Stored(rs.getBoolean("standard"), rs.getString("media"), rs.getString("format"), raw,
                rs.getString("imaging_error"), new long[] {rs.getLong("read_bytes"), rs.getLong("read_requests"),
                        rs.getLong("write_bytes"), rs.getLong("write_requests")}, rs.getLong("version")));
        return drive;
    }
}
