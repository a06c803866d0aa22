package io.elasticcloud.api.drive;

import io.elasticcloud.protocol.storage.Cipher;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Transactional;

/**
 * The one way a drive comes, goes or changes size, and the totals that keeps: per storage node the
 * bytes its drives promise and its encrypted volumes (for {@code StoragePlacement}), per account the
 * bytes and number of its drives (for quotas and billing, {@link DriveHoldings}). Placement and the
 * quota checks read one row each, instead of adding up every drive under the storage placement lock.
 *
 * <p>Each total is changed in the transaction that changes the drive, by an increment (never lost
 * between two writers), after the drive's own row is written: a total's row is the last lock such a
 * transaction takes (node's, then account's; {@code lock.Locks}). A drive is removed or resized only
 * under its row lock, so it is counted out once. A total's row is first inserted by a create, and
 * creates hold the storage placement lock, so no two transactions insert the same row. Each method
 * joins the caller's transaction (or has its own).
 */
@Component
@Transactional
class DriveTotals {
    private final DriveRepository drives;
    private final JdbcTemplate jdbc;

    DriveTotals(DriveRepository drives, JdbcTemplate jdbc) {
        this.drives = drives;
        this.jdbc = jdbc;
    }

    /** Records the new {@code drive} and counts it in. */
    Drive add(Drive drive) {
        Drive saved = drives.saveAndFlush(drive);
        count(saved, saved.size(), 1);
        return saved;
    }

    /** Removes drive {@code id} if it is still there, and counts it out. */
    void remove(UUID id) {
        drives.findLockedById(id).ifPresent(drive -> {
            drives.delete(drive);
            drives.flush();
            count(drive, -drive.size(), -1);
        });
    }

    /** Gives drive {@code id}, if it is still there, its new {@code size}. */
    void resize(UUID id, long size) {
        drives.findLockedById(id).ifPresent(drive -> {
            long before = drive.size();
            drive.resize(size);
            drives.saveAndFlush(drive);
            count(drive, size - before, 0);
        });
    }

    /** The bytes of the drives on {@code node}, standard ones included. */
    long bytesOnNode(String node) {
        return one("SELECT bytes FROM storage_node_promise WHERE node = ?", node);
    }

    /** The encrypted drives on {@code node}: each costs it its volume's overhead besides its size. */
    long encryptedOnNode(String node) {
        return one("SELECT encrypted FROM storage_node_promise WHERE node = ?", node);
    }

    /** The bytes of the drives {@code owner} holds (standard drives are the operator's). */
    long bytesOf(UUID owner) {
        return one("SELECT bytes FROM account_drives WHERE owner_id = ?", owner);
    }

    /** The drives {@code owner} holds. */
    long countOf(UUID owner) {
        return one("SELECT drives FROM account_drives WHERE owner_id = ?", owner);
    }

    /** Per owner holding any drive, the bytes of their drives. */
    Map<UUID, Long> bytesByOwner() {
        Map<UUID, Long> bytes = new HashMap<>();
        jdbc.query("SELECT owner_id, bytes FROM account_drives WHERE drives > 0",
                (org.springframework.jdbc.core.RowCallbackHandler) rs ->
                        bytes.put(rs.getObject("owner_id", UUID.class), rs.getLong("bytes")));
        return bytes;
    }

    private void count(Drive drive, long bytes, int drives) {
        long encrypted = drive.cipher() == Cipher.NONE ? 0 : drives;
        add("storage_node_promise", "node", drive.storageNode(), bytes, "encrypted", encrypted);
        if (!drive.standard()) {
            add("account_drives", "owner_id", drive.owner(), bytes, "drives", drives);
        }
    }

    private void add(String table, String key, Object id, long bytes, String countColumn, long count) {
        if (bytes == 0 && count == 0) {
            return;
        }
        int updated = jdbc.update("UPDATE " + table + " SET bytes = bytes + ?, " + countColumn + " = " + countColumn
                + " + ? WHERE " + key + " = ?", bytes, count, id);
        if (updated == 0) {
            jdbc.update("INSERT INTO " + table + " (" + key + ", bytes, " + countColumn + ") VALUES (?, ?, ?)",
                    id, bytes, count);
        }
    }

    private long one(String sql, Object id) {
        return jdbc.query(sql, rs -> rs.next() ? rs.getLong(1) : 0L, id);
    }
}
