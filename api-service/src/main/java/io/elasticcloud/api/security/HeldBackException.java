package io.elasticcloud.api.security;

import org.springframework.security.core.AuthenticationException;

/**
 * Credentials not checked at all: their source has failed too often ({@link AuthFailures}), or the
 * one slow admin hash at a time was taken for too long. Answered {@code 401 auth} with
 * {@code Retry-After}.
 */
public class HeldBackException extends AuthenticationException {
    private final long retryAfterSeconds;

    public HeldBackException(String message, long retryAfterSeconds) {
        super(message);
        this.retryAfterSeconds = retryAfterSeconds;
    }

    public long retryAfterSeconds() {
        return retryAfterSeconds;
    }
}
