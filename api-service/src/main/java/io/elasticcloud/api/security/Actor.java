package io.elasticcloud.api.security;

import org.springframework.security.core.context.SecurityContextHolder;

/** Who makes the current request, for the audit log: the name Spring Security authenticated. */
public final class Actor {
    private Actor() {
    }

    public static String current() {
        var authentication = SecurityContextHolder.getContext().getAuthentication();
        return authentication == null ? "unknown" : authentication.getName();
    }
}
