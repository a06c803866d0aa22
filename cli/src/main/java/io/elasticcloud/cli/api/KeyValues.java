package io.elasticcloud.cli.api;

import io.elasticcloud.cli.CliException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The API's text form of one object ({@code key value} lines, split at the first space) and the
 * tool's way of giving one: {@code key value} pairs on the command line, or lines (or a JSON
 * object, passed on as it is) on standard input.
 */
public final class KeyValues {
    private KeyValues() {
    }

    /** {@code name my drive size 10G} as separate arguments: pairs, in order. */
    public static Map<String, String> fromArguments(List<String> args) {
        if (args.size() % 2 != 0) {
            throw CliException.commandLine("keys and values come in pairs: %s has no value",
                    args.get(args.size() - 1));
        }
        Map<String, String> map = new LinkedHashMap<>();
        for (int i = 0; i < args.size(); i += 2) {
            String key = args.get(i);
            String value = args.get(i + 1);
            checkKey(key);
            if (value.indexOf('\n') >= 0 || value.indexOf('\r') >= 0) {
                throw CliException.commandLine("the value of %s has a line break", key);
            }
            if (map.put(key, value) != null) {
                throw CliException.commandLine("%s is given twice", key);
            }
        }
        return map;
    }

    /** Text lines {@code key value}; blank lines and {@code \r} line ends are accepted. */
    public static Map<String, String> parseText(String text) {
        Map<String, String> map = new LinkedHashMap<>();
        for (String line : text.split("\n", -1)) {
            if (line.endsWith("\r")) {
                line = line.substring(0, line.length() - 1);
            }
            if (line.isBlank()) {
                continue;
            }
            int space = line.indexOf(' ');
            String key = space < 0 ? line : line.substring(0, space);
            String value = space < 0 ? "" : line.substring(space + 1);
            checkKey(key);
            map.put(key, value);
        }
        return map;
    }

    public static String formatText(Map<String, String> map) {
        StringBuilder b = new StringBuilder();
        map.forEach((k, v) -> b.append(k).append(' ').append(v).append('\n'));
        return b.toString();
    }

    /**
     * The body for a command that takes an object: the pairs from the command line, or else what
     * standard input holds (JSON when it starts with {@code {}, else text lines, normalised).
     */
    public static Body body(List<String> pairs, String stdin) {
        if (!pairs.isEmpty()) {
            return Body.text(formatText(fromArguments(pairs)));
        }
        String s = stdin == null ? "" : stdin.strip();
        if (s.startsWith("{")) {
            return Body.json(s);
        }
        return Body.text(formatText(parseText(stdin == null ? "" : stdin)));
    }

    private static void checkKey(String key) {
        if (key.isEmpty() || key.chars().anyMatch(c -> c <= ' ' || c == 0x7f)) {
            throw CliException.commandLine("%s is not a key", key.isEmpty() ? "an empty word" : "\"" + key + "\"");
        }
    }
}
