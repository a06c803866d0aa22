package io.elasticcloud.codec;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The text form of one object: lines {@code key value}, split at the first space, each ending with
 * {@code \n} ({@code \r\n} accepted on input).
 *
 * <p>Reading only splits: the value is kept exactly (inner and trailing spaces included) apart
 * from the {@code \r} of a CRLF line end; a key alone, or followed by one space, has the value "";
 * blank lines are skipped. A line that starts with a space has the empty key. Which keys and values
 * are acceptable, and what a repeated key means, is the reader's rule, not the notation's.
 */
public final class KeyValueText {
    private KeyValueText() {
    }

    /** One non-blank line: its number in the text (from 1, blank lines counted), key and value. */
    public record Line(int number, String key, String value) {
    }

    /** The non-blank lines of {@code text}, in order. */
    public static List<Line> lines(String text) {
        List<Line> out = new ArrayList<>();
        String[] lines = text.split("\n", -1);
        for (int i = 0; i < lines.length; i++) {
            String line = lines[i].endsWith("\r") ? lines[i].substring(0, lines[i].length() - 1) : lines[i];
            if (line.isBlank()) {
                continue;
            }
            int space = line.indexOf(' ');
            String key = space < 0 ? line : line.substring(0, space);
            String value = space < 0 ? "" : line.substring(space + 1);
            out.add(new Line(i + 1, key, value));
        }
        return out;
    }

    /** {@code key value\n} for each entry, in the map's order; the entries are written as they are. */
    public static String format(Map<String, String> map) {
        StringBuilder b = new StringBuilder();
        map.forEach((k, v) -> b.append(k).append(' ').append(v).append('\n'));
        return b.toString();
    }
}
