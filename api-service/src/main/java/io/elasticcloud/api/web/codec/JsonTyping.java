package io.elasticcloud.api.web.codec;

import java.math.BigInteger;
import java.util.regex.Pattern;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;

/**
 * The JSON type of one output value. Values are strings inside the service; JSON clients
 * (Libcloud reads {@code cpu} and {@code mem} as numbers, and {@code boot} as one device or a
 * list) need the spec's few numeric keys as numbers and {@code boot} as a list when it holds
 * several devices. Everything else stays a string, so nothing that merely looks numeric (a tag, a
 * VNC password, a name) changes type from one object to the next.
 */
final class JsonTyping {
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    /** Keys whose integer values are JSON numbers: sizes, CPU, memory, start time, counters. */
    private static final Pattern NUMERIC_KEY = Pattern.compile(
            "cpu|mem|size|rawsize|smp|started|.*:(bytes|requests|packets)|nic:[0-9]+:(rx|tx)");

    // Canonical integers only: "007", "+7" or "-0" would not come back as written.
    private static final Pattern INTEGER = Pattern.compile("0|-?[1-9][0-9]*");

    private JsonTyping() {
    }

    static JsonNode toJson(String key, String value) {
        // user:* keys are the customer's free-form metadata: a string whatever its name ends with.
        boolean userKey = key.startsWith("user:");
        if (!userKey && NUMERIC_KEY.matcher(key).matches() && INTEGER.matcher(value).matches()) {
            return NODES.numberNode(new BigInteger(value));
        }
        if (key.equals("boot") && value.indexOf(' ') >= 0) {
            ArrayNode devices = NODES.arrayNode();
            for (String device : value.split(" +")) {
                if (!device.isEmpty()) {
                    devices.add(device);
                }
            }
            return devices;
        }
        return NODES.stringNode(value);
    }
}
