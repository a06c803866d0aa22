package io.elasticcloud.api.server;

import io.elasticcloud.api.common.KeyRules;
import io.elasticcloud.api.web.codec.ApiText;
import io.elasticcloud.codec.Ipv4;
import io.elasticcloud.protocol.ElasticException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * A create or set request for a server, each key validated and brought to its canonical value:
 * UUIDs and MACs in lower case, lists single-spaced, {@code true}/{@code false}, {@code on}/{@code
 * off}. An empty value unsets an optional key. Unknown keys are refused by name; read-only keys
 * (what info shows besides the configuration) are ignored, since clients echo info blocks back.
 *
 * @param changes          configuration key to canonical value ({@code ""}: unset)
 * @param userKeyUpdates   the {@code user:*} keys as given ({@code ""}: remove)
 * @param dhcpShowsAddress the client's dialect, or null when the request does not tell: true when
 *                         it names {@code vnc:ip} without {@code vnc} (jclouds at api-version 1.0,
 *                         which reads a server's address from {@code nic:0:dhcp}), false when it
 *                         names {@code vnc} without {@code vnc:ip}
 */
public record ServerRequest(Map<String, String> changes, Map<String, String> userKeyUpdates,
                            Boolean dhcpShowsAddress) {
    static final Pattern DEVICE = Pattern.compile("ide:[01]:[01]|scsi:0:[0-7]|block:[0-7]");
    static final Pattern MEDIA = Pattern.compile("(ide:[01]:[01]|scsi:0:[0-7]|block:[0-7]):media");
    private static final Pattern READ_ONLY = Pattern.compile("server|user|status|started|claimed|smp:cores|smp:sockets"
            + "|vnc:port|nic:[01]:dhcp:ip|(ide:[01]:[01]|scsi:0:[0-7]|block:[0-7]):(read|write):(bytes|requests)"
            + "|nic:[01]:(rx|tx)(:bytes|:packets)?");
    private static final Pattern MAC = Pattern.compile("[0-9a-f]{2}(:[0-9a-f]{2}){5}");
    private static final Pattern PRINTABLE = Pattern.compile("[\\x20-\\x7e]*");
    static final int MAX_SMP = 128;
    static final int MIN_MEM = 16;
    static final int MAX_MEM = 4 * 1024 * 1024;
    static final int MAX_CPU = 1_000_000;

    public static ServerRequest parse(Map<String, String> keys) {
        Map<String, String> changes = new LinkedHashMap<>();
        Map<String, String> userKeys = new LinkedHashMap<>();
        for (Map.Entry<String, String> entry : keys.entrySet()) {
            String key = entry.getKey();
            String value = entry.getValue().strip();
            if (KeyRules.isUserKey(key)) {
                userKeys.put(key, entry.getValue());
            } else if (key.equals("password")) {
                // jclouds' name for vnc:password
                changes.put("vnc:password", vncPassword(value));
            } else if (key.equals("vnc:ip") && value.equalsIgnoreCase("auto")) {
                // jclouds api-version 1.0 asks for VNC with "vnc:ip auto"; echoed addresses are read-only
                changes.put("vnc", "auto");
            } else if (READ_ONLY.matcher(key).matches() || key.equals("vnc:ip")) {
                continue;
            } else {
                changes.put(key, value.isEmpty() ? unset(key) : canonical(key, value));
            }
        }
        KeyRules.mergeUserKeys("", userKeys); // validates them now, before anything changes
        Boolean dhcpShowsAddress = keys.containsKey("vnc") == keys.containsKey("vnc:ip") ? null : keys.containsKey("vnc:ip");
        return new ServerRequest(changes, userKeys, dhcpShowsAddress);
    }

    /** This request with {@code key} set to {@code value} (canonical) instead. */
    ServerRequest withChange(String key, String value) {
        Map<String, String> next = new LinkedHashMap<>(changes);
        next.put(key, value);
        return new ServerRequest(next, userKeyUpdates, dhcpShowsAddress);
    }

    /** The configuration keys this request names (without {@code user:*}), as given. */
    List<String> keys() {
        return List.copyOf(changes.keySet());
    }

    private static String unset(String key) {
        if (key.equals("name") || key.equals("cpu") || key.equals("mem")) {
            throw ElasticException.usage("%s must not be empty", key);
        }
        canonicalKnown(key);
        return "";
    }

    private static void canonicalKnown(String key) {
        if (!isConfigurationKey(key)) {
            throw ElasticException.usage("unknown key %s", ApiText.quote(key));
        }
    }

    static boolean isConfigurationKey(String key) {
        return switch (key) {
            case "name", "cpu", "smp", "mem", "persistent", "boot", "nic:0:model", "nic:0:dhcp", "nic:0:mac",
                 "nic:1:model", "nic:1:vlan", "nic:1:mac", "vnc", "vnc:password", "vnc:tls", "tags",
                 "avoid:drives", "avoid:servers" -> true;
            default -> DEVICE.matcher(key).matches() || MEDIA.matcher(key).matches();
        };
    }

    private static String canonical(String key, String value) {
        if (DEVICE.matcher(key).matches()) {
            return KeyRules.uuid(key, value).toString();
        }
        if (MEDIA.matcher(key).matches()) {
            return oneOf(key, value.toLowerCase(Locale.ROOT), "disk", "cdrom");
        }
        return switch (key) {
            case "name" -> KeyRules.name(key, value);
            case "cpu" -> Integer.toString(integer(key, value, 1, MAX_CPU));
            case "smp" -> value.equalsIgnoreCase("auto") ? "auto" : Integer.toString(integer(key, value, 1, MAX_SMP));
            case "mem" -> Integer.toString(integer(key, value, MIN_MEM, MAX_MEM));
            case "persistent" -> bool(key, value) ? "true" : "false";
            case "boot" -> boot(value);
            case "nic:0:model", "nic:1:model" -> oneOf(key, value.toLowerCase(Locale.ROOT), "e1000", "rtl8139", "virtio");
            case "nic:0:mac", "nic:1:mac" -> mac(key, value);
            // whether the resources named are the caller's is checked against the database (ServerNetwork)
            case "nic:1:vlan" -> KeyRules.parseUuid(value).map(UUID::toString).orElseThrow(() ->
                    ElasticException.usage("nic:1:vlan: %s is not one of your VLAN resources", ApiText.quote(value)));
            case "nic:0:dhcp", "vnc" -> autoOrAddress(key, value);
            case "vnc:password" -> vncPassword(value);
            case "vnc:tls" -> switch (value.toLowerCase(Locale.ROOT)) {
                case "on", "true" -> "on";
                case "off", "false" -> "off";
                default -> throw ElasticException.usage("vnc:tls must be on or off, not %s", ApiText.quote(value));
            };
            case "tags" -> KeyRules.tags(value);
            case "avoid:drives", "avoid:servers" ->
                    String.join(" ", KeyRules.uuids(key, value).stream().map(UUID::toString).distinct().toList());
            default -> throw ElasticException.usage("unknown key %s", ApiText.quote(key));
        };
    }

    private static int integer(String key, String value, int min, int max) {
        int n;
        try {
            n = Integer.parseInt(value);
        } catch (NumberFormatException e) {
            throw ElasticException.usage("%s must be a whole number, not %s", key, ApiText.quote(value));
        }
        if (n < min || n > max) {
            throw ElasticException.usage("%s must be %d to %d, not %d", key, min, max, n);
        }
        return n;
    }

    private static boolean bool(String key, String value) {
        return switch (value.toLowerCase(Locale.ROOT)) {
            case "true" -> true;
            case "false" -> false;
            default -> throw ElasticException.usage("%s must be true or false, not %s", key, ApiText.quote(value));
        };
    }

    private static String oneOf(String key, String value, String... allowed) {
        for (String a : allowed) {
            if (a.equals(value)) {
                return a;
            }
        }
        throw ElasticException.usage("%s must be %s, not %s", key, String.join(" or ", allowed), ApiText.quote(value));
    }

    private static String boot(String value) {
        List<String> devices = KeyRules.words(value.toLowerCase(Locale.ROOT));
        for (String device : devices) {
            if (!DEVICE.matcher(device).matches()) {
                throw ElasticException.usage("boot: %s is not a device (ide:B:U, scsi:0:U or block:N)",
                        ApiText.quote(device));
            }
        }
        if (devices.stream().distinct().count() != devices.size()) {
            throw ElasticException.usage("boot names a device twice");
        }
        return String.join(" ", devices);
    }

    private static String autoOrAddress(String key, String value) {
        if (value.equalsIgnoreCase("auto")) {
            return "auto";
        }
        return Ipv4.parse(value).map(Ipv4::toString).orElseThrow(() ->
                ElasticException.usage("%s must be auto or one of your static IPs, not %s", key, ApiText.quote(value)));
    }

    private static String mac(String key, String value) {
        String mac = value.toLowerCase(Locale.ROOT).replace('-', ':');
        if (!MAC.matcher(mac).matches()) {
            throw ElasticException.usage("%s: %s is not a MAC address (xx:xx:xx:xx:xx:xx)", key, ApiText.quote(value));
        }
        if ((Integer.parseInt(mac.substring(0, 2), 16) & 1) != 0) {
            throw ElasticException.usage("%s: %s is a multicast address", key, mac);
        }
        return mac;
    }

    private static String vncPassword(String value) {
        if (value.length() > 8 || !PRINTABLE.matcher(value).matches()) {
            throw ElasticException.usage("vnc:password must be at most 8 printable characters");
        }
        return value;
    }
}
