package io.elasticcloud.api.security;

import io.elasticcloud.api.account.AccountService;
import java.util.List;
import java.util.UUID;
import org.springframework.security.authentication.AuthenticationProvider;
import org.springframework.security.authentication.BadCredentialsException;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.authority.SimpleGrantedAuthority;
import org.springframework.stereotype.Component;

/**
 * HTTP Basic for both kinds of caller: {@code admin} with the admin password (role ADMIN, the
 * Actuator endpoints), or a customer's UUID with its API key (role CUSTOMER, the public API).
 */
@Component
public class CredentialsAuthenticationProvider implements AuthenticationProvider {
    public static final String ADMIN = "admin";

    private final AccountService accounts;
    private final AdminCredentials admin;

    public CredentialsAuthenticationProvider(AccountService accounts, AdminCredentials admin) {
        this.accounts = accounts;
        this.admin = admin;
    }

    @Override
    public Authentication authenticate(Authentication authentication) {
        String name = authentication.getName();
        String secret = String.valueOf(authentication.getCredentials());
        if (ADMIN.equals(name)) {
            if (admin.matches(secret)) {
                return authenticated(ADMIN, "ROLE_ADMIN");
            }
            throw new BadCredentialsException("wrong admin password");
        }
        UUID user;
        try {
            user = UUID.fromString(name);
        } catch (IllegalArgumentException e) {
            throw new BadCredentialsException("the user name is not a UUID");
        }
        if (!accounts.authenticate(user, secret)) {
            throw new BadCredentialsException("unknown user or wrong key");
        }
        return authenticated(new Customer(user), "ROLE_CUSTOMER");
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
