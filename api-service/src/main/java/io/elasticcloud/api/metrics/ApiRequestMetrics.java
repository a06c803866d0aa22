package io.elasticcloud.api.metrics;

import io.elasticcloud.api.web.ErrorReplies;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import org.springframework.stereotype.Component;
import org.springframework.web.filter.OncePerRequestFilter;
import org.springframework.web.servlet.HandlerMapping;

/**
 * {@code elastic.api.requests}: rate and latency of every public API command, tagged with the
 * command (its path pattern, without the {@code /api} stem) and the {@code X-Elastic-Error} type
 * it ended with ({@code none} on success). Actuator calls are left to Spring's own metrics.
 */
@Component
public class ApiRequestMetrics extends OncePerRequestFilter {
    private final MeterRegistry registry;

    public ApiRequestMetrics(MeterRegistry registry) {
        this.registry = registry;
    }

    @Override
    protected boolean shouldNotFilter(HttpServletRequest request) {
        return request.getRequestURI().startsWith("/actuator");
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        long start = System.nanoTime();
        try {
            chain.doFilter(request, response);
        } finally {
            Object pattern = request.getAttribute(HandlerMapping.BEST_MATCHING_PATTERN_ATTRIBUTE);
            String command = pattern == null ? "unmatched" : pattern.toString().replaceFirst("^/api/", "/");
            String error = response.getHeader(ErrorReplies.HEADER);
            Timer.builder("elastic.api.requests")
                    .description("public API commands by command and error type")
                    .tag("command", command)
                    .tag("error", error == null ? "none" : error)
                    .register(registry)
                    .record(System.nanoTime() - start, java.util.concurrent.TimeUnit.NANOSECONDS);
        }
    }
}
