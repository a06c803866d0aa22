package io.elasticcloud.api.metrics;

import io.elasticcloud.api.server.ServerRepository;
import io.elasticcloud.api.server.ServerStatus;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import org.springframework.stereotype.Component;

/** {@code elastic.servers}: the servers of every customer, one gauge per status. */
@Component
public class ServerMetrics {

    public ServerMetrics(MeterRegistry registry, ServerRepository servers) {
        for (ServerStatus status : ServerStatus.values()) {
            Gauge.builder("elastic.servers", () -> servers.countByStatus(status)).tag("status", status.apiName())
                    .description("servers by status").register(registry);
        }
    }
}
