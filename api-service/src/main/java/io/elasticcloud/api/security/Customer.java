package io.elasticcloud.api.security;

import java.util.UUID;
import org.springframework.security.core.context.SecurityContextHolder;

/** The authenticated customer behind a public API call. */
public record Customer(UUID id) {

    /** The customer of the current request; the security filter has already checked it. */
    public static Customer current() {
        Object principal = SecurityContextHolder.getContext().getAuthentication().getPrincipal();
        if (principal instanceof Customer customer) {
            return customer;
        }
        throw new IllegalStateException("not a customer's request");
    }

    @Override
    public String toString() {
        return id.toString();
    }
}
