package io.elasticcloud.protocol.bus;

import io.elasticcloud.protocol.ElasticException;
import io.elasticcloud.protocol.ErrorType;
import java.time.Duration;

/**
 * The {@code system} errors the transports themselves raise, worded once so that both transports
 * say the same thing. These messages reach customers unchanged: they name the node and the
 * command, never an exception class or a broker detail (those go to the log).
 */
final class BusErrors {
    private BusErrors() {
    }

    static ElasticException unreachable(String node) {
        return new ElasticException(ErrorType.SYSTEM, "node " + node + " is not reachable");
    }

    static ElasticException timedOut(String node, String command, Duration timeout) {
        return new ElasticException(ErrorType.SYSTEM,
                "node " + node + " did not answer " + command + " within " + timeout.toMillis() + " ms");
    }

    static ElasticException handlerFailed(String node, String command, String commandId) {
        return new ElasticException(ErrorType.SYSTEM,
                "node " + node + " failed to carry out " + command + " (command " + commandId + "); see its log");
    }

    static ElasticException unreadable(String node, String what) {
        return new ElasticException(ErrorType.SYSTEM, "node " + node + " exchanged an unreadable " + what);
    }

    static ElasticException cannotCarry(String what) {
        return new ElasticException(ErrorType.SYSTEM, "the bus cannot carry " + what);
    }

    static ElasticException busDown() {
        return new ElasticException(ErrorType.SYSTEM, "the bus is not reachable");
    }

    static ElasticException closed() {
        return new ElasticException(ErrorType.SYSTEM, "the bus is closed");
    }
}
