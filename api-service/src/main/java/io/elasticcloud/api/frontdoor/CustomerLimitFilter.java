package io.elasticcloud.api.frontdoor;

import io.elasticcloud.api.security.Customer;
import io.elasticcloud.api.web.ErrorReplies;
import io.elasticcloud.protocol.ErrorType;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * At most {@code elastic.http.max-in-flight-per-customer} requests in progress per customer, from
 * whatever addresses they come: one customer cannot take all of the server's worker threads. Runs
 * inside the security chain, after authentication; over the limit: {@code 409 busy} at once, with
 * {@code Retry-After}, the body unread.
 */
public class CustomerLimitFilter extends OncePerRequestFilter {
    private final InFlightCounts inFlight;

    public CustomerLimitFilter(FrontDoorProperties properties) {
        this.inFlight = new InFlightCounts(properties.maxInFlightPerCustomer());
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        var authentication = SecurityContextHolder.getContext().getAuthentication();
        if (authentication == null || !(authentication.getPrincipal() instanceof Customer customer)) {
            chain.doFilter(request, response);
            return;
        }
        String key = customer.id().toString();
        if (!inFlight.tryEnter(key)) {
            response.setHeader("Retry-After", "1");
            ErrorReplies.write(response, ErrorType.BUSY, "this account already has " + inFlight.limit()
                    + " requests in progress; send the next when one has ended");
            return;
        }
        try {
            chain.doFilter(request, response);
        } finally {
            inFlight.leave(key);
        }
    }
}
