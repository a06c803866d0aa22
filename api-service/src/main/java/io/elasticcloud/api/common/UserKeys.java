package io.elasticcloud.api.common;

import java.util.LinkedHashMap;
import java.util.Map;

/** The {@code user:*} pairs as kept in one text column: a line {@code key value} each. */
public final class UserKeys {
    private UserKeys() {
    }

    public static Map<String, String> parse(String kept) {
        Map<String, String> keys = new LinkedHashMap<>();
        if (kept == null || kept.isEmpty()) {
            return keys;
        }
        for (String line : kept.split("\n")) {
            int space = line.indexOf(' ');
            if (space > 0) {
                keys.put(line.substring(0, space), line.substring(space + 1));
            }
        }
        return keys;
    }

    public static String format(Map<String, String> keys) {
        StringBuilder text = new StringBuilder();
        keys.forEach((k, v) -> text.append(k).append(' ').append(v).append('\n'));
        return text.toString();
    }
}
