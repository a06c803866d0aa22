package io.elasticcloud.cli.api;

import io.elasticcloud.cli.CliException;
import io.elasticcloud.codec.KeyValueText;
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

    /**
     * Text lines {@code key value} as the API writes them ({@link KeyValueText}); blank lines and
     * {@code \r} line ends are accepted, and of a key given twice the last value counts.
     */
    public static Map<String, String> parseText(String text) {
        Map<String, String> map = new LinkedHashMap<>();
        for (KeyValueText.Line line : KeyValueText.lines(text)) {
            checkKey(line.key());
            map.put(line.key(), line.value());
        }
        return map;
    }

    public static String formatText(Map<String, String> map) {
        return KeyValueText.format(map);
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
