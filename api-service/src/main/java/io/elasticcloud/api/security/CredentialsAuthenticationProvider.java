package io.elasticcloud.api.security;

import io.elasticcloud.api.account.AccountService;
import io.elasticcloud.api.frontdoor.SourceAddress;
import java.util.List;
import java.util.UUID;
import org.springframework.security.authentication.AuthenticationProvider;
import org.springframework.security.authentication.BadCredentialsException;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.authority.SimpleGrantedAuthority;
import org.springframework.security.web.authentication.WebAuthenticationDetails;
import org.springframework.stereotype.Component;

/**
 * HTTP Basic for both kinds of caller: {@code admin} with the admin password (role ADMIN, the
 * Actuator endpoints), or a customer's UUID with its API key (role CUSTOMER, the public API).
 *
 * <p>Every failure counts against its source address ({@link AuthFailures}; admin passwords and
 * customer keys in budgets of their own). A source over its
 * budget is held back without a check: never the admin's slow hash, never a database query; only
 * a customer whose account is already in memory is still let in, since a 256-bit key cannot be
 * guessed anyway and a customer should not be locked out by a stranger behind the same address.
 */
@Component
public class CredentialsAuthenticationProvider implements AuthenticationProvider {
    public static final String ADMIN = "admin";

    private final AccountService accounts;
    private final AdminCredentials admin;
    private final AuthFailures failures;

    public CredentialsAuthenticationProvider(AccountService accounts, AdminCredentials admin, AuthFailures failures) {
        this.accounts = accounts;
        this.admin = admin;
        this.failures = failures;
    }

    @Override
    public Authentication authenticate(Authentication authentication) {
        String name = authentication.getName();
        String secret = String.valueOf(authentication.getCredentials());
        String source = authentication.getDetails() instanceof WebAuthenticationDetails details
                ? SourceAddress.of(details.getRemoteAddress()) : "unknown";
        if (ADMIN.equals(name)) {
            // the admin's budget is apart from customers': guessing keys does not lock the admin out
            String adminSource = "admin@" + source;
            long wait = failures.secondsToWait(adminSource);
            if (wait > 0) {
                throw heldBack(wait);
            }
            if (admin.matches(secret)) {
                return authenticated(ADMIN, "ROLE_ADMIN");
            }
            failures.failed(adminSource);
            throw new BadCredentialsException("wrong admin password");
        }
        long wait = failures.secondsToWait(source);
        UUID user;
        try {
            user = UUID.fromString(name);
        } catch (IllegalArgumentException e) {
            user = null;
        }
        boolean known = wait > 0 ? user != null && accounts.authenticateKept(user, secret)
                : user != null && accounts.authenticate(user, secret);
        if (known) {
            return authenticated(new Customer(user), "ROLE_CUSTOMER");
        }
        if (wait > 0) {
            throw heldBack(wait);
        }
        failures.failed(source);
        throw new BadCredentialsException("unknown user or wrong key");
    }

    private static HeldBackException heldBack(long seconds) {
        return new HeldBackException("too many failed authentications from this address; try again in "
                + seconds + " s", seconds);
    }

    private static Authentication authenticated(Object principal, String role) {
        return UsernamePasswordAuthenticationToken.authenticated(principal, null,
                List.of(new SimpleGrantedAuthority(role)));
    }

    @Override
    public boolean supports(Class<?> authentication) {
        return UsernamePasswordAuthenticationToken.class.isAssignableFrom(authentication);
    }
}
