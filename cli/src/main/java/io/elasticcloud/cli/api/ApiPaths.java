package io.elasticcloud.cli.api;

import java.nio.charset.StandardCharsets;

/** Path segments from what the user typed: safe characters as they are, the rest percent-encoded. */
public final class ApiPaths {
    private ApiPaths() {
    }

    public static String segment(String s) {
        StringBuilder b = new StringBuilder();
        for (byte x : s.getBytes(StandardCharsets.UTF_8)) {
            int c = x & 0xff;
            if (c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9'
                    || c == '-' || c == '.' || c == '_' || c == ':' || c == '~') {
                b.append((char) c);
            } else {
                b.append('%').append(String.format("%02X", c));
            }
        }
        String out = b.toString();
        // "." and ".." would be resolved away by anything on the path; never let them move the call
        return out.equals(".") || out.equals("..") ? out.replace(".", "%2E") : out;
    }
}
