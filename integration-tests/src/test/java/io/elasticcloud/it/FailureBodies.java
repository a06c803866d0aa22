package io.elasticcloud.it;

import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What no 5xx body may hold: our insides. A failure's details (a host path, a command line, a
 * hypervisor's or the JVM's words, a node's internal name) belong in the system's log under an
 * incident id; the caller reads what failed in the API's words and that id. Every reply the
 * integration tests' own HTTP clients ({@link PlainHttp}, {@link RawHttp}, {@link FuzzHttp}) read
 * goes through {@link #check}, so whichever test provokes a 5xx that tells too much fails; and
 * every 5xx body a system served to any client (jclouds, Libcloud, curl included), as its log
 * records them ({@link #checkServed}), is checked when the harness stops it.
 */
final class FailureBodies {
    /** Each tell-tale with what it stands for, for the assertion's message. */
    private record Tell(String what, Pattern pattern) {
    }

    private static final List<Tell> TELLS = List.of(
            new Tell("a host path", Pattern.compile("(?<![\\w.:/])/[\\w.@+-]+(?:/[\\w.@+-]*)+")),
            new Tell("a host path", Pattern.compile("(?<![\\w.:/])/(?:var|tmp|etc|home|root|usr|srv|opt|run|proc|dev"
                    + "|sys|mnt|media|data|boot|lib)\\b")),
            new Tell("a command-line option", Pattern.compile("(?<![\\w])--?(?:blockdev|drive|device|object|machine"
                    + "|name|chardev|netdev|uuid|smp|m\\b|[a-z]+-[a-z]+)")),
            new Tell("a tool's name", Pattern.compile("(?i)qemu|virsh|libvirt|dnsmasq|cryptsetup|iptables|ebtables"
                    + "|\\bip (?:link|addr|route)|\\bbridge (?:fdb|link)|kvm")),
            new Tell("the hypervisor's words", Pattern.compile("(?i)internal error|operation failed|permission denied"
                    + "|no such file|could not open|monitor")),
            new Tell("the JVM's words", Pattern.compile("(?:java|javax|jakarta|org\\.springframework|org\\.hibernate"
                    + "|org\\.h2|org\\.postgresql|io\\.elasticcloud)\\.|Exception|\\bat [\\w.$]+\\(")),
            new Tell("JSON or XML", Pattern.compile("\\{\\s*\"|<[a-z]+[ >/]")),
            // a node's name (the defaults pool-0, hw-0; any name with a digit after "node"), the host's networks
            new Tell("an internal name", Pattern.compile("(?i)\\bnode [\\w.-]*\\d|\\bpool-\\d|\\bhw-\\d|\\bagent-\\d"
                    + "|elastic-public|elpublic|\\belvx")));

    /** The API's record of a 5xx body it served (its logger {@code ServedFailures} at debug level). */
    private static final Pattern SERVED = Pattern.compile("5xx body served: (5\\d\\d) (\\S+): (.*)$", Pattern.MULTILINE);
    /** What a system is started with so that it records them. */
    static final String RECORD_SERVED = "--logging.level.io.elasticcloud.api.web.ServedFailures=DEBUG";

    private FailureBodies() {
    }

    /** Fails when a 5xx body a system served, as its log shows, tells our insides. */
    static void checkServed(String log, String system) {
        Matcher m = SERVED.matcher(log);
        while (m.find()) {
            check(Integer.parseInt(m.group(1)), m.group(3), "system " + system + " (any client; its log)");
        }
    }

    /** How many 5xx bodies the log records. */
    static int served(String log) {
        return (int) SERVED.matcher(log).results().count();
    }

    /** What {@code body} tells of our insides, if anything: a description and the text it matched. */
    static Optional<String> insides(String body) {
        for (Tell tell : TELLS) {
            Matcher m = tell.pattern().matcher(body);
            if (m.find()) {
                return Optional.of(tell.what() + " (\"" + m.group() + "\")");
            }
        }
        return Optional.empty();
    }

    /** Fails the calling test when a 5xx reply's body tells our insides. */
    static void check(int status, String body, String call) {
        if (status < 500 || body == null) {
            return;
        }
        insides(body).ifPresent(found -> {
            throw new AssertionError(call + " answered " + status + " with " + found + " in its body: " + body.strip());
        });
    }
}
