package io.elasticcloud.api.server;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import org.flywaydb.core.api.MigrationVersion;
import org.flywaydb.core.api.migration.Context;
import org.flywaydb.core.api.migration.JavaMigration;
import org.springframework.stereotype.Component;

/**
 * Flyway V8 (a Java migration, since only Java holds the master key): VNC passwords leave
 * {@code server_config}, where they were kept in clear, for the new column {@code server.vnc_password},
 * sealed by {@link SealedVncPassword}. Spring Boot hands this bean to Flyway.
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
            s.execute("ALTER TABLE server ADD COLUMN vnc_password VARCHAR(512)");
        }
        try (PreparedStatement select = c.prepareStatement(
                "SELECT server_id, config_value FROM server_config WHERE config_key = 'vnc:password'");
             PreparedStatement update = c.prepareStatement("UPDATE server SET vnc_password = ? WHERE id = ?");
             ResultSet rows = select.executeQuery()) {
            while (rows.next()) {
                update.setString(1, sealed.convertToDatabaseColumn(rows.getString(2)));
                update.setObject(2, rows.getObject(1));
                update.executeUpdate();
            }
        }
        try (Statement s = c.createStatement()) {
            s.executeUpdate("DELETE FROM server_config WHERE config_key = 'vnc:password'");
        }
    }
}
