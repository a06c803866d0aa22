package io.elasticcloud.api.server;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.UUID;
import org.flywaydb.core.api.MigrationVersion;
import org.flywaydb.core.api.migration.Context;
import org.flywaydb.core.api.migration.JavaMigration;
import org.springframework.stereotype.Component;

/**
 * Flyway V8 (a Java migration, since only Java holds the master key): VNC passwords leave
 * {@code server_config}, where they were kept in clear, for the new column {@code server.vnc_password},
 * sealed by {@link SealedVncPassword} for each server. Spring Boot hands this bean to Flyway. It may run
 * again after a run cut off midway (H2 commits each DDL statement): it adds the column only if
 * missing and seals only the rows not sealed yet.
 */
@Component
public class VncPasswordsMigration implements JavaMigration {
    private final SealedVncPassword sealed;

    public VncPasswordsMigration(SealedVncPassword sealed) {
        this.sealed = sealed;
    }

    @Override
    public MigrationVersion getVersion() {
        return MigrationVersion.fromVersion("8");
    }

    @Override
    public String getDescription() {
        return "vnc passwords";
    }

    @Override
    public Integer getChecksum() {
        return null;
    }

    @Override
    public boolean canExecuteInTransaction() {
        return true;
    }

    @Override
    public void migrate(Context context) throws Exception {
        Connection c = context.getConnection();
        try (Statement s = c.createStatement()) {
            // IF NOT EXISTS: H2 commits DDL at once, so a run cut off after it left the column
            // without Flyway's record of success; the next start runs all of this again
            s.execute("ALTER TABLE server ADD COLUMN IF NOT EXISTS vnc_password VARCHAR(512)");
        }
        try (PreparedStatement select = c.prepareStatement(
                "SELECT c.server_id, c.config_value FROM server_config c JOIN server s ON s.id = c.server_id"
                        + " WHERE c.config_key = 'vnc:password' AND s.vnc_password IS NULL");
             PreparedStatement update = c.prepareStatement(
                     "UPDATE server SET vnc_password = ? WHERE id = ? AND vnc_password IS NULL");
             ResultSet rows = select.executeQuery()) {
            while (rows.next()) {
                UUID id = rows.getObject(1, UUID.class);
                update.setString(1, sealed.seal(id, rows.getString(2)));
                update.setObject(2, id);
                update.executeUpdate();
            }
        }
        try (Statement s = c.createStatement()) {
            s.executeUpdate("DELETE FROM server_config WHERE config_key = 'vnc:password'");
        }
    }
}
