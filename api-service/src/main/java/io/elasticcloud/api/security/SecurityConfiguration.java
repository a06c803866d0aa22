package io.elasticcloud.api.security;

import io.elasticcloud.api.frontdoor.CustomerLimitFilter;
import io.elasticcloud.api.frontdoor.FrontDoorProperties;
import io.elasticcloud.api.web.ErrorReplies;
import io.elasticcloud.protocol.ErrorType;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.http.SessionCreationPolicy;
import org.springframework.security.web.AuthenticationEntryPoint;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.access.AccessDeniedHandler;
import org.springframework.security.web.access.intercept.AuthorizationFilter;

/**
 * Customers reach the public API and nothing else; admins reach the Actuator endpoints; health is
 * open (it is what load balancers and the start script poll), and so is the browser console under
 * {@code /console/} (its WebSocket takes a console token instead of credentials). Every refusal is an API error:
 * {@code 401 auth} with a Basic challenge, and {@code Retry-After} when the source address is held
 * back for failing too often. Authenticated customers then pass {@link CustomerLimitFilter}.
 */
@Configuration(proxyBeanMethods = false)
public class SecurityConfiguration {
    static final String REALM = "elastic";

    @Bean
    SecurityFilterChain securityFilterChain(HttpSecurity http, CredentialsAuthenticationProvider provider,
                                            FrontDoorProperties limits) throws Exception {
        AuthenticationEntryPoint challenge = (request, response, e) -> {
            response.setHeader("WWW-Authenticate", "Basic realm=\"" + REALM + "\"");
            if (e instanceof HeldBackException held) {
                response.setHeader("Retry-After", Long.toString(held.retryAfterSeconds()));
                ErrorReplies.write(response, ErrorType.AUTH, held.getMessage());
                return;
            }
            ErrorReplies.write(response, ErrorType.AUTH, "HTTP Basic authentication is missing or incorrect");
        };
        AccessDeniedHandler denied = (request, response, e) -> {
            response.setHeader("WWW-Authenticate", "Basic realm=\"" + REALM + "\"");
            ErrorReplies.write(response, ErrorType.AUTH, "these credentials may not make this call");
        };
        return http
                .csrf(csrf -> csrf.disable())
                .sessionManagement(s -> s.sessionCreationPolicy(SessionCreationPolicy.STATELESS))
                .requestCache(cache -> cache.disable())
                .authenticationProvider(provider)
                .authorizeHttpRequests(auth -> auth
                        .requestMatchers("/actuator/health", "/actuator/health/**").permitAll()
                        .requestMatchers("/actuator", "/actuator/**").hasRole("ADMIN")
                        .requestMatchers("/error").permitAll()
                        // the console's page and scripts, and its WebSocket, which a console token opens
                        .requestMatchers("/console/**").permitAll()
                        .anyRequest().hasRole("CUSTOMER"))
                .httpBasic(basic -> basic.realmName(REALM).authenticationEntryPoint(challenge))
                .exceptionHandling(ex -> ex.authenticationEntryPoint(challenge).accessDeniedHandler(denied))
                .addFilterAfter(new CustomerLimitFilter(limits), AuthorizationFilter.class)
                .build();
    }
}
