package io.elasticcloud.api.web.codec;

import io.elasticcloud.codec.KeyValueText;
import io.elasticcloud.protocol.ElasticException;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Request bodies to key/value maps. Both formats give the same map for the same data, so what
 * comes after (validation, the commands) never asks which format a client spoke.
 *
 * <p>Keys: non-empty, no spaces, no control characters (the text form could not carry them).
 * Values: any text except control characters other than tab, because no text line can hold a line
 * break and every value must be writable back in the text form. Neither may hold what is not text
 * at all ({@link #firstNonText}): JSON can spell a lone surrogate, which a database stores as "?",
 * and UTF-8 carries U+FFFE, which no libvirt domain XML can hold, so a server of that name could
 * never start. A key given twice is refused rather than resolved, since either choice would
 * silently drop something the client sent.
 */
public final class Properties {

    private Properties() {
    }

    /**
     * The keys and values of a request body, in the order the client sent them (unmodifiable).
     * An empty body is an empty map in both formats.
     */
    public static Map<String, String> parse(byte[] body, Format format) {
        String text = utf8(body);
        if (text.isBlank()) {
            return Map.of();
        }
        return format == Format.JSON ? JsonProperties.parse(text) : parseText(text);
    }

    /**
     * Text: lines {@code key value} as {@link KeyValueText} splits them; the value is kept exactly
     * (inner and trailing spaces included) apart from the {@code \r} of a CRLF line end. A key
     * alone, or followed by one space, has the value "" (so {@code tags} alone clears the tags).
     * Blank lines are skipped. A line starting with a space has no key and is refused: it is most
     * likely a continuation the client meant to be part of the value above.
     */
    private static Map<String, String> parseText(String text) {
        Entries entries = new Entries();
        for (KeyValueText.Line line : KeyValueText.lines(text)) {
            if (line.key().isEmpty()) { // a non-blank line has the empty key only when it starts with a space
                throw ElasticException.usage("Line %d starts with a space: each line must be \"key value\"",
                        line.number());
            }
            entries.put(line.key(), line.value());
        }
        return entries.map();
    }

    // Strict decoding: a replacement character would quietly change a name or a tag.
    private static String utf8(byte[] body) {
        if (body == null || body.length == 0) {
            return "";
        }
        try {
            String text = StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(body))
                    .toString();
            // Windows tools may start a UTF-8 file with a byte order mark; it is not part of a key.
            return text.startsWith("\uFEFF") ? text.substring(1) : text;
        } catch (CharacterCodingException e) {
            throw ElasticException.usage("The request body is not valid UTF-8 text");
        }
    }

    /** Collects checked entries for both formats: the rules on keys, values and repeats. */
    static final class Entries {
        private final Map<String, String> map = new LinkedHashMap<>();

        void put(String key, String value) {
            checkKey(key);
            if (hasControl(value, true)) {
                throw ElasticException.usage("The value of %s contains a control character (such as a line break)",
                        ApiText.quote(key));
            }
            int nonText = firstNonText(value);
            if (nonText >= 0) {
                throw ElasticException.usage("The value of %s contains U+%04X, which is not a character",
                        ApiText.quote(key), nonText);
            }
            if (map.putIfAbsent(key, value) != null) {
                throw ElasticException.usage("Key %s appears more than once", ApiText.quote(key));
            }
        }

        Map<String, String> map() {
            return Collections.unmodifiableMap(map);
        }
    }

    static void checkKey(String key) {
        if (key.isEmpty()) {
            throw ElasticException.usage("A key is empty");
        }
        if (key.indexOf(' ') >= 0 || hasControl(key, false)) {
            throw ElasticException.usage("Key %s contains a space or a control character", ApiText.quote(key));
        }
        int nonText = firstNonText(key);
        if (nonText >= 0) {
            throw ElasticException.usage("A key contains U+%04X, which is not a character", nonText);
        }
    }

    /**
     * The first code point of {@code s} that is no character: a lone surrogate (half of a pair
     * without the other half) or a noncharacter (U+FDD0 to U+FDEF, and the last two of every
     * plane, U+FFFE and U+FFFF among them); -1 when there is none. Pairs that make a supplementary
     * character (an emoji) are text.
     */
    public static int firstNonText(String s) {
        for (int i = 0; i < s.length(); ) {
            int cp = s.codePointAt(i);
            boolean loneSurrogate = cp >= Character.MIN_SURROGATE && cp <= Character.MAX_SURROGATE;
            boolean noncharacter = (cp >= 0xFDD0 && cp <= 0xFDEF) || (cp & 0xFFFE) == 0xFFFE;
            if (loneSurrogate || noncharacter) {
                return cp;
            }
            i += Character.charCount(cp);
        }
        return -1;
    }

    static boolean hasControl(String s, boolean tabAllowed) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (Character.isISOControl(c) && !(tabAllowed && c == '\t')) {
                return true;
            }
        }
        return false;
    }
}
