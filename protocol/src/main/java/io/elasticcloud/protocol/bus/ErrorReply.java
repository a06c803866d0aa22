package io.elasticcloud.protocol.bus;

import io.elasticcloud.protocol.ErrorType;

/**
 * The reply that stands for an {@link io.elasticcloud.protocol.ElasticException} on the wire: the
 * exception itself never crosses, only its type and message, so nothing of the serving side's
 * internals (classes, stack traces) reaches the caller.
 */
public record ErrorReply(ErrorType type, String message) {
}
