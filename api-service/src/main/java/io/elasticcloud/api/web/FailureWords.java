package io.elasticcloud.api.web;

import io.elasticcloud.protocol.ErrorType;
import java.util.Map;

/**
 * What a failed call was, in our words, from its path alone: the body of a {@code failed} or
 * {@code system} error, whose own words (a hypervisor's, a file system's, an exception's) go to the
 * log under an incident instead. {@code POST /servers/UUID/start} that the host refused is "the
 * host could not start the server".
 */
public final class FailureWords {
    private static final Map<String, String> NOUNS = Map.of(
            "servers", "server", "drives", "drive", "resources", "resource", "billing", "account");
    private static final Map<String, String> VERBS = Map.ofEntries(
            Map.entry("create", "create"), Map.entry("stopped", "create"), Map.entry("start", "start"),
            Map.entry("stop", "stop"), Map.entry("shutdown", "shut down"), Map.entry("reset", "reset"),
            Map.entry("destroy", "destroy"), Map.entry("set", "change"), Map.entry("image", "image"),
            Map.entry("read", "read"), Map.entry("write", "write to"), Map.entry("info", "describe"),
            Map.entry("list", "list"), Map.entry("standard", "list"));

    private FailureWords() {
    }

    /**
     * @param path the request's path, without the query ({@code /api/servers/UUID/start})
     * @param type {@code failed} (the host or the storage refused) or {@code system} (we did)
     */
    public static String of(String path, ErrorType type) {
        String[] segments = (path == null ? "" : path).replaceFirst("^/api(?=/|$)", "").split("/");
        String noun = segments.length > 1 ? NOUNS.get(segments[1]) : null;
        String verb = null;
        int at = 2;
        for (; at < segments.length && verb == null; at++) {
            verb = VERBS.get(segments[at]);
        }
        if (noun == null || verb == null) {
            return type == ErrorType.FAILED ? "the command could not be carried out"
                    : "the system failed to carry out this command";
        }
        String who = type != ErrorType.FAILED ? "the system"
                : noun.equals("server") ? "the host" : noun.equals("drive") ? "the storage" : "the system";
        // no id before the verb: all of the caller's (drives/info, servers/list)
        String object = at == 3 && (verb.equals("list") || verb.equals("describe"))
                ? "the " + noun + "s" : "the " + noun;
        return who + " could not " + verb + " " + object;
    }
}
