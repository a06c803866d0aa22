package io.elasticcloud.api.console;

import io.elasticcloud.api.server.ServerConsoles;
import io.elasticcloud.protocol.ElasticException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import javax.sql.DataSource;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Service;

/**
 * Console tokens in the database (table {@code console_token}): any API instance spends what any
 * instance issued, and deleting the row is the spending, so a token opens one console at most, on
 * whichever instance asks first. A token is 32 random bytes (base64url); the row keeps its SHA-256
 * only. Expired rows are deleted as new tokens are issued.
 */
@Service
public class ConsoleTokens {
    private static final SecureRandom RANDOM = new SecureRandom();

    private final JdbcTemplate jdbc;
    private final ServerConsoles servers;
    private final ConsoleProperties properties;
    private final Clock clock;

    ConsoleTokens(DataSource dataSource, ServerConsoles servers, ConsoleProperties properties, Optional<Clock> clock) {
        this.jdbc = new JdbcTemplate(dataSource);
        this.servers = servers;
        this.properties = properties;
        this.clock = clock.orElse(Clock.systemUTC());
    }

    /** A token just issued: to be spent before {@code expires}. */
    public record Issued(String token, Instant expires) {
        @Override
        public String toString() { // never the token
            return "console token until " + expires;
        }
    }

    /** What a spent token opens: a console of {@code server}, for its owner {@code owner}. */
    public record Grant(UUID server, UUID owner) {
    }

    /**
     * A new token for the console of {@code user}'s server {@code id}: allowed when the server is
     * the caller's ({@code 404 missing} otherwise), on a host ({@code 409 busy}), with VNC on
     * ({@code 400 usage}), and the caller holds fewer unspent tokens than the limit ({@code 409 busy}).
     */
    public Issued issue(UUID user, UUID id) {
        UUID server = servers.consoleable(user, id);
        Instant now = clock.instant();
        jdbc.update("DELETE FROM console_token WHERE expires_at < ?", at(now));
        Integer held = jdbc.queryForObject("SELECT COUNT(*) FROM console_token WHERE owner_id = ?", Integer.class, user);
        if (held != null && held >= properties.tokensPerCustomer()) {
            throw ElasticException.busy("%d console tokens are waiting to be used: use them or wait %d s",
                    held, properties.tokenTtl().toSeconds());
        }
        byte[] random = new byte[32];
        RANDOM.nextBytes(random);
        String token = Base64.getUrlEncoder().withoutPadding().encodeToString(random);
        Instant expires = now.plus(properties.tokenTtl());
        jdbc.update("INSERT INTO console_token (token_hash, server_id, owner_id, expires_at) VALUES (?, ?, ?, ?)",
                hash(token), server, user, at(expires));
        return new Issued(token, expires);
    }

    /** Spends {@code token}: what it opens if it was issued, is unexpired and nobody spent it before. */
    public Optional<Grant> spend(String token) {
        if (token == null || token.length() != 43) {
            return Optional.empty();
        }
        String hash = hash(token);
        record Row(UUID server, UUID owner, OffsetDateTime expires) {
        }
        List<Row> rows = jdbc.query("SELECT server_id, owner_id, expires_at FROM console_token WHERE token_hash = ?",
                (rs, n) -> new Row(rs.getObject(1, UUID.class), rs.getObject(2, UUID.class),
                        rs.getObject(3, OffsetDateTime.class)), hash);
        if (rows.isEmpty() || jdbc.update("DELETE FROM console_token WHERE token_hash = ?", hash) != 1) {
            return Optional.empty();
        }
        Row row = rows.get(0);
        if (!row.expires().toInstant().isAfter(clock.instant())) {
            return Optional.empty();
        }
        return Optional.of(new Grant(row.server(), row.owner()));
    }

    static String hash(String token) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(token.getBytes(StandardCharsets.US_ASCII)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every Java runtime", e);
        }
    }

    private static OffsetDateTime at(Instant instant) {
        return instant.atOffset(ZoneOffset.UTC);
    }
}
