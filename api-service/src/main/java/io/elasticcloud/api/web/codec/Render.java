package io.elasticcloud.api.web.codec;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * Response bodies in the spec's three shapes. An object is a map kept in its own key order.
 *
 * <p>A key whose value is "" is left out, in both formats, so that absent means unset everywhere:
 * jclouds splits {@code key } into the value "" and then fails on it ({@code Long.parseLong("")}
 * for {@code size}, an empty tag for {@code tags}), and Libcloud waits for {@code imaging} to be
 * absent, not empty.
 *
 * <p>Text: {@code \n} line ends, the last line ended too; objects separated by exactly one blank
 * line (jclouds splits records on {@code "\n\n"}). A line break inside a value is written as the
 * two characters {@code \n}, the escape jclouds itself uses and reverses. JSON: compact, typed by
 * {@link JsonTyping}.
 */
public final class Render {
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private Render() {
    }

    /** One object ({@code X-Elastic-Output: properties}). */
    public static Rendered object(Map<String, String> object, Format format) {
        String body = format == Format.JSON ? json(jsonObject(object)) : textBlock(object);
        return rendered(format, Output.PROPERTIES, body);
    }

    /**
     * Several objects ({@code X-Elastic-Output: properties}). In text an object with no non-empty
     * value has no lines, and so is left out: an empty block would read as a double blank line.
     */
    public static Rendered objects(List<Map<String, String>> objects, Format format) {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        RenderStream stream = RenderStream.objects(format, body);
        objects.forEach(stream);
        stream.finish();
        return new Rendered(format, Output.PROPERTIES, body.toByteArray());
    }

    /**
     * A list ({@code X-Elastic-Output: list}): per item, the values of {@code keys} in that order,
     * space-separated on one text line, or as one JSON object. Every item must have a value for
     * every key, with no space in it, or the columns would not line up.
     */
    public static Rendered list(List<String> keys, List<Map<String, String>> items, Format format) {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        RenderStream stream = RenderStream.list(keys, format, body);
        items.forEach(stream);
        stream.finish();
        return new Rendered(format, Output.LIST, body.toByteArray());
    }

    /** The values of {@code keys} in {@code item}, each checked to be one word (a list's columns). */
    static List<String> listLine(List<String> keys, Map<String, String> item) {
        List<String> values = new ArrayList<>(keys.size());
        for (String key : keys) {
            String value = item.get(key);
            if (!present(value) || value.chars().anyMatch(c -> c == ' ' || Character.isISOControl(c))) {
                throw new IllegalArgumentException("list column " + key + " has no single-word value in " + item);
            }
            values.add(value);
        }
        return values;
    }

    /** One item of a JSON list: the values of {@code keys}, typed. */
    static ObjectNode listItem(List<String> keys, Map<String, String> item) {
        List<String> values = listLine(keys, item);
        ObjectNode object = NODES.objectNode();
        for (int i = 0; i < keys.size(); i++) {
            object.set(keys.get(i), JsonTyping.toJson(keys.get(i), values.get(i)));
        }
        return object;
    }

    static String textBlock(Map<String, String> object) {
        StringBuilder text = new StringBuilder();
        object.forEach((key, value) -> {
            if (present(value)) {
                text.append(checkedKey(key)).append(' ').append(escapeLineBreaks(value)).append('\n');
            }
        });
        return text.toString();
    }

    static ObjectNode jsonObject(Map<String, String> object) {
        ObjectNode node = NODES.objectNode();
        object.forEach((key, value) -> {
            if (present(value)) {
                node.set(checkedKey(key), JsonTyping.toJson(key, value));
            }
        });
        return node;
    }

    private static boolean present(String value) {
        return value != null && !value.isEmpty();
    }

    // Keys come from the service, not the client: a bad one is our bug, not a usage error.
    private static String checkedKey(String key) {
        if (key.isEmpty() || key.indexOf(' ') >= 0 || Properties.hasControl(key, false)) {
            throw new IllegalArgumentException("not a key: " + ApiText.quote(key));
        }
        return key;
    }

    private static String escapeLineBreaks(String value) {
        return value.indexOf('\n') < 0 && value.indexOf('\r') < 0
                ? value
                : value.replace("\r\n", "\\n").replace("\n", "\\n").replace("\r", "\\n");
    }

    static String json(JsonNode node) {
        return JsonMapper.shared().writeValueAsString(node);
    }

    private static Rendered rendered(Format format, Output output, String body) {
        return new Rendered(format, output, body.getBytes(StandardCharsets.UTF_8));
    }
}
