package io.elasticcloud.api.health;

import io.elasticcloud.protocol.Transport;
import io.elasticcloud.protocol.bus.BusHealthIndicator;
import org.springframework.boot.health.actuate.endpoint.SimpleStatusAggregator;
import org.springframework.boot.health.actuate.endpoint.StatusAggregator;
import org.springframework.boot.health.contributor.Status;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * How health adds up. The API service's own health ({@code GET /actuator/health}, what load
 * balancers and the start scripts poll) is {@code DOWN} when the database or the bus is: then it
 * can serve nothing. A node agent or storage node that went silent, or a host in maintenance, is
 * shown with a status of its own, {@link #UNREACHABLE} or {@link #MAINTENANCE}, that ranks below
 * {@code UP}: the API still serves everything else (and places elsewhere), so one lost host must
 * not take every API instance out of service. The groups {@code hosts} and {@code storageNodes}
 * are therefore {@code UP} while at least one of their nodes is.
 */
@Configuration(proxyBeanMethods = false)
public class HealthConfiguration {
    /** A node whose heartbeat is older than 30 s. */
    public static final Status UNREACHABLE = new Status("UNREACHABLE");
    /** The {@code reason} of an {@link #UNREACHABLE} node. */
    static final String SILENT = "no heartbeat in the last 30 s";
    /** A reachable host an admin took out of placement. */
    public static final Status MAINTENANCE = new Status("MAINTENANCE");

    /** {@code bus}, as every process shows it. */
    @Bean
    BusHealthIndicator busHealthIndicator(Transport transport) {
        return new BusHealthIndicator(transport);
    }

    /** Most severe first; the aggregate of a group is its most severe member. */
    @Bean
    StatusAggregator healthStatusAggregator() {
        return new SimpleStatusAggregator(Status.DOWN, Status.OUT_OF_SERVICE, Status.UP, Status.UNKNOWN,
                MAINTENANCE, UNREACHABLE);
    }
}
