package io.elasticcloud.api.frontdoor;

import io.elasticcloud.api.web.ErrorReplies;
import io.elasticcloud.protocol.ErrorType;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.stereotype.Component;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * The first thing every request meets, before authentication: at most
 * {@code elastic.http.max-in-flight-per-address} requests in progress per source address (one
 * client cannot take all of the server's worker threads), and a minimum rate for request bodies
 * ({@link MinRateBody}). A request over the limit is answered {@code 409 busy} at once, with
 * {@code Retry-After}, and its body is not read ({@link UnreadBodyValve} closes the connection).
 */
@Component
@Order(Ordered.HIGHEST_PRECEDENCE + 10)
public class AddressLimitFilter extends OncePerRequestFilter {
    private final InFlightCounts inFlight;
    private final long graceNanos;
    private final long minRate;

    public AddressLimitFilter(FrontDoorProperties properties) {
        this.inFlight = new InFlightCounts(properties.maxInFlightPerAddress());
        this.graceNanos = properties.bodyGrace().toNanos();
        this.minRate = properties.bodyMinRate();
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        String source = SourceAddress.of(request);
        if (!inFlight.tryEnter(source)) {
            response.setHeader("Retry-After", "1");
            ErrorReplies.write(response, ErrorType.BUSY, "this address already has " + inFlight.limit()
                    + " requests in progress; send the next when one has ended");
            return;
        }
        try {
            boolean body = request.getContentLengthLong() > 0 || request.getHeader("Transfer-Encoding") != null;
            chain.doFilter(body && minRate > 0 ? new MinRateBody(request, graceNanos, minRate, System::nanoTime) : request,
                    response);
        } finally {
            inFlight.leave(source);
        }
    }

    @Override
    protected boolean shouldNotFilterErrorDispatch() {
        return true;
    }
}
