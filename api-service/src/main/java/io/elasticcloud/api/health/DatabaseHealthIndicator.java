package io.elasticcloud.api.health;

import java.sql.SQLException;
import java.util.regex.Pattern;
import javax.sql.DataSource;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.jdbc.health.DataSourceHealthIndicator;
import org.springframework.core.NestedExceptionUtils;
import org.springframework.stereotype.Component;

/**
 * {@code db}, in the place of Spring's own (named {@code dbHealthIndicator} for that): the same
 * check, but a database that cannot be reached is {@code DOWN} with a {@code reason} that says why,
 * the driver's own words ("Connection to db.example:5432 refused", "password authentication failed
 * for user ..."), where Spring's says only "Failed to obtain JDBC Connection". Credentials a
 * message might carry (a URL's user:password@, password=...) are masked; no stack trace.
 */
@Component("dbHealthIndicator")
public class DatabaseHealthIndicator extends DataSourceHealthIndicator {
    private static final Pattern URL_CREDENTIALS = Pattern.compile("//[^/@\\s]+@");
    private static final Pattern PASSWORD_PARAMETER = Pattern.compile("(?i)(password|pwd|secret)=[^&;\\s]*");

    public DatabaseHealthIndicator(DataSource dataSource) {
        super(dataSource);
    }

    @Override
    protected void doHealthCheck(Health.Builder builder) {
        try {
            super.doHealthCheck(builder);
        } catch (Exception e) {
            builder.down().withDetail("reason", reason(e));
        }
    }

    static String reason(Throwable e) {
        // the driver's own exception names the server; what it wraps (a ConnectException) does not
        Throwable cause = NestedExceptionUtils.getMostSpecificCause(e);
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof SQLException) {
                cause = t;
                break;
            }
        }
        String message = cause.getMessage() == null ? cause.getClass().getSimpleName() : cause.getMessage();
        message = URL_CREDENTIALS.matcher(message).replaceAll("//***@");
        return PASSWORD_PARAMETER.matcher(message).replaceAll("$1=***").lines().findFirst().orElse("");
    }
}
