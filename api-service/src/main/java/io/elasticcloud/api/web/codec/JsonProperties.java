package io.elasticcloud.api.web.codec;

import io.elasticcloud.protocol.ElasticException;
import java.math.BigDecimal;
import java.util.Map;
import java.util.StringJoiner;
import tools.jackson.core.JacksonException;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.core.TokenStreamLocation;
import tools.jackson.databind.json.JsonMapper;

/**
 * JSON request bodies: one object whose values become the same strings the text form would
 * carry. Read token by token rather than through a tree so that key order is the client's, a
 * repeated key is seen (a tree keeps only the last), and a nested value can be named by its key.
 */
final class JsonProperties {
    /** Beyond this many digits either side of the point a number is no size, count or id. */
    private static final int MAX_SCALE = 100;

    private JsonProperties() {
    }

    static Map<String, String> parse(String text) {
        try (JsonParser parser = JsonMapper.shared().createParser(text)) {
            if (parser.nextToken() != JsonToken.START_OBJECT) {
                throw ElasticException.usage("The request body must be one JSON object of keys and values");
            }
            Properties.Entries entries = new Properties.Entries();
            while (parser.nextToken() == JsonToken.PROPERTY_NAME) {
                String key = parser.currentName();
                entries.put(key, value(parser, key));
            }
            if (parser.nextToken() != null) {
                throw ElasticException.usage("The request body has more after its JSON object");
            }
            return entries.map();
        } catch (JacksonException e) {
            // Jackson's own message names its classes and internals; the position is what helps.
            TokenStreamLocation at = e.getLocation();
            if (at == null || at.getLineNr() < 1) {
                throw ElasticException.usage("The request body is not valid JSON");
            }
            throw ElasticException.usage("The request body is not valid JSON (line %d, column %d)",
                    at.getLineNr(), at.getColumnNr());
        }
    }

    /** A value: a scalar, null (""), or a list of scalars joined by spaces, as the text form. */
    private static String value(JsonParser parser, String key) {
        JsonToken token = parser.nextToken();
        if (token == JsonToken.VALUE_NULL) {
            return "";
        }
        if (token != JsonToken.START_ARRAY) {
            return scalar(parser, token, key);
        }
        StringJoiner items = new StringJoiner(" ");
        for (token = parser.nextToken(); token != JsonToken.END_ARRAY; token = parser.nextToken()) {
            String item = token == JsonToken.VALUE_NULL ? "" : scalar(parser, token, key);
            // An item with a space, or an empty one, would change the list once joined.
            if (item.isEmpty() || item.indexOf(' ') >= 0) {
                throw ElasticException.usage("The list %s has an item that is empty or contains a space: %s",
                        ApiText.quote(key), ApiText.quote(item));
            }
            items.add(item);
        }
        return items.toString();
    }

    private static String scalar(JsonParser parser, JsonToken token, String key) {
        return switch (token) {
            case VALUE_STRING -> parser.getString();
            case VALUE_TRUE -> "true";
            case VALUE_FALSE -> "false";
            case VALUE_NUMBER_INT -> parser.getBigIntegerValue().toString();
            case VALUE_NUMBER_FLOAT -> decimal(parser, key);
            default -> throw ElasticException.usage(
                    "The value of %s must be a string, number, boolean or a list of those", ApiText.quote(key));
        };
    }

    // 2048.0 and 2.048e3 are the integer 2048, written as the text form would write it; a true
    // fraction stays a plain decimal ("1.5") for the key's own validation to judge. An exponent
    // beyond an int (1e2147483648) fails inside BigDecimal itself, and one at its very edge
    // (scale Integer.MIN_VALUE) has no absolute value: both are out of range, checked before any
    // digit is expanded.
    private static String decimal(JsonParser parser, String key) {
        try {
            BigDecimal stripped = parser.getDecimalValue().stripTrailingZeros();
            int scale = stripped.scale();
            if (scale > MAX_SCALE || scale < -MAX_SCALE) {
                throw outOfRange(key);
            }
            return scale <= 0 ? stripped.toBigIntegerExact().toString() : stripped.toPlainString();
        } catch (NumberFormatException | ArithmeticException e) {
            throw outOfRange(key);
        }
    }

    private static ElasticException outOfRange(String key) {
        return ElasticException.usage("The number given for %s is out of range", ApiText.quote(key));
    }
}
