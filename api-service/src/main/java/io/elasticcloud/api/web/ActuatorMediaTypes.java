package io.elasticcloud.api.web;

import io.elasticcloud.api.web.codec.ApiText;
import io.elasticcloud.protocol.ErrorType;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.Collections;
import org.springframework.http.HttpHeaders;
import org.springframework.stereotype.Component;
import org.springframework.util.InvalidMimeTypeException;
import org.springframework.util.MimeType;
import org.springframework.util.MimeTypeUtils;
import org.springframework.web.filter.OncePerRequestFilter;
import org.springframework.web.util.UrlPathHelper;

/**
 * The Actuator endpoints negotiate with Spring's own parser, which throws deep inside a call on
 * an {@code Accept} with an empty element ({@code ","}) or a wildcard {@code Content-Type}
 * ({@code *}{@code /*}): a 500 for the admin's (or a load balancer's) malformed header. They are
 * checked here, before anything runs, and refused as {@code usage} (and should a spelling of the
 * path ever pass by, {@link ApiExceptionHandler} maps Spring's parse failure to {@code usage} too). The customer API parses its
 * headers itself and never fails on them ({@link io.elasticcloud.api.web.codec.Format}).
 */
@Component
public class ActuatorMediaTypes extends OncePerRequestFilter {

    @Override
    protected boolean shouldNotFilter(HttpServletRequest request) {
        // the path as Spring routes it (decoded, without ;parameters): "/%61ctuator" is the Actuator too
        String path = UrlPathHelper.defaultInstance.getLookupPathForRequest(request);
        return !(path.equals("/actuator") || path.startsWith("/actuator/"));
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        String wrong = wrongHeader(request);
        if (wrong != null) {
            ErrorReplies.write(response, ErrorType.USAGE, wrong);
            return;
        }
        chain.doFilter(request, response);
    }

    /** What is wrong with the request's media type headers, or null. */
    static String wrongHeader(HttpServletRequest request) {
        for (String accept : Collections.list(request.getHeaders(HttpHeaders.ACCEPT))) {
            if (accept.isBlank()) {
                continue; // as if absent
            }
            for (String element : accept.split(",", -1)) {
                if (!parses(element.strip(), false)) {
                    return "Accept " + ApiText.quote(accept) + " is not a list of media types";
                }
            }
        }
        String contentType = request.getHeader(HttpHeaders.CONTENT_TYPE);
        if (contentType != null && !parses(contentType.strip(), true)) {
            return "Content-Type " + ApiText.quote(contentType) + " is not one media type";
        }
        return null;
    }

    private static boolean parses(String text, boolean concrete) {
        try {
            MimeType type = MimeTypeUtils.parseMimeType(text);
            return !concrete || type.isConcrete();
        } catch (InvalidMimeTypeException e) {
            return false;
        }
    }
}
