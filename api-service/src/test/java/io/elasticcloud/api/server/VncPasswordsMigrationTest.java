package io.elasticcloud.api.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.elasticcloud.api.security.ApiMasterKey;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.OffsetDateTime;
import java.util.UUID;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DriverManagerDataSource;

/** V8 on a database that V1-V6 left with VNC passwords in clear in server_config. */
class VncPasswordsMigrationTest {
    private final String url = "jdbc:h2:mem:v8-" + UUID.randomUUID()
            + ";MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;DEFAULT_NULL_ORDERING=HIGH;DB_CLOSE_DELAY=-1";
    private final ApiMasterKey key = ApiMasterKey.random();
    private final SealedVncPassword sealed = new SealedVncPassword(key);

    @Test
    void sealsEveryExistingPasswordAndKeepsTheOtherKeys() throws SQLException {
        Flyway.configure().dataSource(url, "sa", "").target("6").load().migrate();
        UUID withVnc = UUID.randomUUID();
        UUID without = UUID.randomUUID();
        try (Connection c = DriverManager.getConnection(url, "sa", "")) {
            insertServer(c, withVnc);
            insertServer(c, without);
            config(c, withVnc, "vnc:password", "s3cr3t!");
            config(c, withVnc, "vnc", "auto");
            config(c, without, "tags", "web");
        }

        Flyway.configure().dataSource(url, "sa", "").javaMigrations(new VncPasswordsMigration(sealed)).load().migrate();

        try (Connection c = DriverManager.getConnection(url, "sa", "");
             Statement s = c.createStatement()) {
            try (ResultSet r = s.executeQuery("SELECT count(*) FROM server_config WHERE config_key = 'vnc:password'"
                    + " OR config_value = 's3cr3t!'")) {
                r.next();
                assertThat(r.getInt(1)).isZero();
            }
            assertThat(column(c, withVnc)).isNotNull().doesNotContain("s3cr3t");
            assertThat(sealed.open(withVnc, column(c, withVnc))).isEqualTo("s3cr3t!");
            assertThat(column(c, without)).isNull();
            try (ResultSet r = s.executeQuery("SELECT count(*) FROM server_config")) {
                r.next();
                assertThat(r.getInt(1)).isEqualTo(2);
            }
        }
    }

    @Test
    void aRunCutOffAfterItsDdlRunsAgain() throws SQLException {
        Flyway.configure().dataSource(url, "sa", "").target("6").load().migrate();
        UUID sealedBefore = UUID.randomUUID();
        UUID notYet = UUID.randomUUID();
        String first = sealed.seal(sealedBefore, "one");
        try (Connection c = DriverManager.getConnection(url, "sa", "");
             Statement s = c.createStatement()) {
            insertServer(c, sealedBefore);
            insertServer(c, notYet);
            config(c, sealedBefore, "vnc:password", "one");
            config(c, notYet, "vnc:password", "two");
            // what a kill after H2 committed the DDL and one row leaves, without Flyway's record of success
            s.execute("ALTER TABLE server ADD COLUMN vnc_password VARCHAR(512)");
            s.executeUpdate("UPDATE server SET vnc_password = '" + first + "' WHERE id = '" + sealedBefore + "'");
        }

        Flyway.configure().dataSource(url, "sa", "").javaMigrations(new VncPasswordsMigration(sealed)).load().migrate();

        try (Connection c = DriverManager.getConnection(url, "sa", "")) {
            assertThat(column(c, sealedBefore)).as("sealed once, not again").isEqualTo(first);
            assertThat(sealed.open(notYet, column(c, notYet))).isEqualTo("two");
        }
    }

    @Test
    void startRefusesAKeyThatCannotOpenTheSealedPasswords() throws SQLException {
        Flyway.configure().dataSource(url, "sa", "").javaMigrations(new VncPasswordsMigration(sealed)).load().migrate();
        UUID id = UUID.randomUUID();
        try (Connection c = DriverManager.getConnection(url, "sa", "")) {
            insertServer(c, id);
            try (PreparedStatement p = c.prepareStatement("UPDATE server SET vnc_password = ? WHERE id = ?")) {
                p.setString(1, sealed.seal(id, "pw"));
                p.setObject(2, id);
                p.executeUpdate();
            }
        }
        UUID unbound = UUID.randomUUID();
        try (Connection c = DriverManager.getConnection(url, "sa", "")) {
            insertServer(c, unbound);
            try (PreparedStatement p = c.prepareStatement("UPDATE server SET vnc_password = ? WHERE id = ?")) {
                p.setString(1, key.seal(SealedVncPassword.CONTEXT, "old")); // as an earlier build sealed
                p.setObject(2, unbound);
                p.executeUpdate();
            }
        }
        JdbcTemplate jdbc = new JdbcTemplate(new DriverManagerDataSource(url, "sa", ""));
        SealedVncPasswordsCheck.check(jdbc, sealed); // its own key: starts
        try (Connection c = DriverManager.getConnection(url, "sa", "")) {
            assertThat(sealed.open(unbound, column(c, unbound))).as("sealed again for its server").isEqualTo("old");
        }
        assertThatThrownBy(() -> SealedVncPasswordsCheck.check(jdbc, new SealedVncPassword(ApiMasterKey.random())))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining(id.toString()).hasMessageContaining("master key");
    }

    private static void insertServer(Connection c, UUID id) throws SQLException {
        try (PreparedStatement p = c.prepareStatement("INSERT INTO server (id, owner_id, name, cpu, mem, persistent,"
                + " status, created_at, version) VALUES (?, ?, 'n', 500, 128, false, 'STOPPED', ?, 0)")) {
            p.setObject(1, id);
            p.setObject(2, UUID.randomUUID());
            p.setObject(3, OffsetDateTime.now());
            p.executeUpdate();
        }
    }

    private static void config(Connection c, UUID server, String key, String value) throws SQLException {
        try (PreparedStatement p = c.prepareStatement(
                "INSERT INTO server_config (server_id, config_key, config_value) VALUES (?, ?, ?)")) {
            p.setObject(1, server);
            p.setString(2, key);
            p.setString(3, value);
            p.executeUpdate();
        }
    }

    private static String column(Connection c, UUID server) throws SQLException {
        try (PreparedStatement p = c.prepareStatement("SELECT vnc_password FROM server WHERE id = ?")) {
            p.setObject(1, server);
            try (ResultSet r = p.executeQuery()) {
                r.next();
                return r.getString(1);
            }
        }
    }
}
