package io.elasticcloud.protocol;

import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A failure whose details stay in a log: what a hypervisor, a file system or an exception said
 * (host paths, command lines, internal names) is logged beside a short random id, and the
 * answer carries only words of our own and that id, {@code (incident 7f3a9c12)}, which the
 * operator finds in the log of the part that failed. An id given out by a node travels in its
 * error's message and is kept by the API, so the node's log and the API's log name one incident.
 */
public record Incident(String id) {
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final Pattern MARK = Pattern.compile("\\(incident ([0-9a-f]{8})\\)");

    public Incident {
        if (id == null || !id.matches("[0-9a-f]{8}")) {
            throw new IllegalArgumentException("an incident id is 8 lower-case hex digits: " + id);
        }
    }

    /** A new incident with a random id. */
    public static Incident next() {
        byte[] bytes = new byte[4];
        RANDOM.nextBytes(bytes);
        return new Incident(HexFormat.of().formatHex(bytes));
    }

    /** The incident that {@code message} names with {@link #mark}, if it names one. */
    public static Optional<Incident> in(String message) {
        if (message == null) {
            return Optional.empty();
        }
        Matcher m = MARK.matcher(message);
        return m.find() ? Optional.of(new Incident(m.group(1))) : Optional.empty();
    }

    /** The incident a message names, or a new one. */
    public static Incident of(String message) {
        return in(message).orElseGet(Incident::next);
    }

    /** {@code words} followed by this incident: {@code words (incident 7f3a9c12)}. */
    public String mark(String words) {
        return words + " (incident " + id + ")";
    }

    /**
     * Whether an error of this type tells its details only through an incident: the 500s, whose
     * words may come from a hypervisor, a file system or an exception. The other types are
     * written in our words by our own checks (and {@code full} by ours alone).
     */
    public static boolean hides(ErrorType type) {
        return type == ErrorType.FAILED || type == ErrorType.SYSTEM;
    }
}
