package io.elasticcloud.protocol;

/**
 * A command addressed to one node, answered by exactly one reply of type {@code R} or by an
 * {@link ElasticException}. The id makes redelivery harmless: a node that sees the same id twice
 * does the work once.
 *
 * @param <R> the reply's type
 */
public interface Command<R> {
    String commandId();
}
