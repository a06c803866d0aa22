package io.elasticcloud.api.web.codec;

import io.elasticcloud.protocol.ElasticException;
import java.nio.charset.StandardCharsets;

/**
 * Text written for people: the one-line error body, and client input quoted inside it. A client
 * controls what it sends, so anything of theirs echoed back is shortened and made visible rather
 * than trusted to be short and printable.
 */
public final class ApiText {
    /** Longest error line; a description that needs more is not one line any more. */
    static final int MAX_LINE = 500;
    /** Longest piece of client input quoted in a description. */
    static final int MAX_QUOTED = 64;

    private ApiText() {
    }

    /**
     * One line ending with {@code \n}: every run of control characters (line breaks included)
     * becomes one space, outer whitespace is dropped, and an over-long text is cut with "...".
     */
    public static String line(String text) {
        if (text == null) {
            return "\n";
        }
        StringBuilder out = new StringBuilder(Math.min(text.length(), MAX_LINE) + 1);
        boolean inControl = false;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (Character.isISOControl(c)) {
                inControl = true;
                continue;
            }
            if (inControl) {
                out.append(' ');
                inControl = false;
            }
            out.append(c);
        }
        String line = out.toString().strip();
        if (line.length() > MAX_LINE) {
            line = line.substring(0, MAX_LINE - 3) + "...";
        }
        return line + "\n";
    }

    /**
     * The body of an error response: the exception's description as one line, or the error type's
     * name when there is no description, so the body is never empty.
     */
    public static byte[] errorBody(ElasticException e) {
        String message = e.getMessage();
        String text = message == null || message.isBlank() ? e.type().header() : message;
        return line(text).getBytes(StandardCharsets.UTF_8);
    }

    /**
     * Client input for a description: in double quotes, control characters written as
     * {@code \n}, {@code \r}, {@code \t} or {@code \}{@code uXXXX} so the person sees what they sent,
     * and cut after {@value #MAX_QUOTED} characters.
     */
    public static String quote(String value) {
        StringBuilder out = new StringBuilder("\"");
        int end = Math.min(value.length(), MAX_QUOTED);
        for (int i = 0; i < end; i++) {
            char c = value.charAt(i);
            switch (c) {
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                default -> {
                    if (Character.isISOControl(c)) {
                        out.append(String.format("\\u%04x", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        if (value.length() > MAX_QUOTED) {
            out.append("...");
        }
        return out.append('"').toString();
    }
}
