package io.elasticcloud.api.security;

import io.elasticcloud.api.frontdoor.CustomerLimitFilter;
import io.elasticcloud.api.frontdoor.FrontDoorProperties;
import io.elasticcloud.api.panel.PanelPages;
import io.elasticcloud.api.web.ErrorReplies;
import io.elasticcloud.protocol.ErrorType;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.HttpMethod;
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
 *
 * <p>The web pages ({@link PanelPages}, {@code /panel/}) are open: they hold no data, only the
 * code that asks the API for it with the credentials typed in. Their own calls carry
 * {@code X-Requested-With: XMLHttpRequest}, and to such a request a refusal comes without the
 * Basic challenge, so that a wrong key is the page's message and not the browser's own credentials
 * dialog (which would keep the credentials for the origin). Leaving the challenge out tells the
 * caller nothing it did not ask for; the status and {@code X-Elastic-Error} are the same. The
 * pages carry {@link PanelPages#CONTENT_SECURITY_POLICY} (the security chain's headers).
 */
@Configuration(proxyBeanMethods = false)
public class SecurityConfiguration {
    static final String REALM = "elastic";

    @Bean
    SecurityFilterChain securityFilterChain(HttpSecurity http, CredentialsAuthenticationProvider provider,
                                            FrontDoorProperties limits) throws Exception {
        AuthenticationEntryPoint challenge = (request, response, e) -> {
            challenge(request, response);
            if (e instanceof HeldBackException held) {
                response.setHeader("Retry-After", Long.toString(held.retryAfterSeconds()));
                ErrorReplies.write(response, ErrorType.AUTH, held.getMessage());
                return;
            }
            ErrorReplies.write(response, ErrorType.AUTH, "HTTP Basic authentication is missing or incorrect");
        };
        AccessDeniedHandler denied = (request, response, e) -> {
            challenge(request, response);
            ErrorReplies.write(response, ErrorType.AUTH, "these credentials may not make this call");
        };
        return http
                .csrf(csrf -> csrf.disable())
                .sessionManagement(s -> s.sessionCreationPolicy(SessionCreationPolicy.STATELESS))
                .requestCache(cache -> cache.disable())
                .headers(headers -> headers.contentSecurityPolicy(csp -> csp.policyDirectives(PanelPages.CONTENT_SECURITY_POLICY)))
                .authenticationProvider(provider)
                .authorizeHttpRequests(auth -> auth
                        .requestMatchers("/actuator/health", "/actuator/health/**").permitAll()
                        .requestMatchers("/actuator", "/actuator/**").hasRole("ADMIN")
                        .requestMatchers("/error").permitAll()
                        // the console's page and scripts, and its WebSocket, which a console token opens
                        .requestMatchers("/console/**").permitAll()
                        .requestMatchers(HttpMethod.GET, PanelPages.PATHS).permitAll()
                        .anyRequest().hasRole("CUSTOMER"))
                .httpBasic(basic -> basic.realmName(REALM).authenticationEntryPoint(challenge))
                .exceptionHandling(ex -> ex.authenticationEntryPoint(challenge).accessDeniedHandler(denied))
                .addFilterAfter(new CustomerLimitFilter(limits), AuthorizationFilter.class)
                .build();
    }

    /** The Basic challenge, except to the pages' own calls (above). */
    static void challenge(HttpServletRequest request, HttpServletResponse response) {
        if (!PanelPages.isPageCall(request)) {
            response.setHeader("WWW-Authenticate", "Basic realm=\"" + REALM + "\"");
        }
    }
}
