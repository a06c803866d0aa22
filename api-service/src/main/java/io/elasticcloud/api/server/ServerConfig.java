package io.elasticcloud.api.server;

import io.elasticcloud.api.common.KeyRules;
import io.elasticcloud.api.common.UserKeys;
import io.elasticcloud.protocol.ElasticException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;

/**
 * A server's whole configuration as canonical {@code key value} pairs (immutable): what a
 * request changes ({@link #with}), what is checked as a whole ({@link #complete}), what the entity
 * keeps, what info shows.
 */
public final class ServerConfig {
    private static final Set<String> COLUMNS = Set.of("name", "cpu", "smp", "mem", "persistent");

    /** A drive attached as a device. */
    public record Device(UUID drive, String media) {
    }

    private final Map<String, String> keys;

    private ServerConfig(Map<String, String> keys) {
        this.keys = Map.copyOf(keys);
    }

    static ServerConfig empty() {
        return new ServerConfig(Map.of());
    }

    static ServerConfig of(Server server) {
        Map<String, String> keys = new TreeMap<>(server.config());
        keys.put("name", server.name());
        keys.put("cpu", Integer.toString(server.cpu()));
        keys.put("smp", server.smp() == null ? "auto" : server.smp().toString());
        keys.put("mem", Integer.toString(server.mem()));
        keys.put("persistent", Boolean.toString(server.persistent()));
        server.drives().forEach((device, d) -> {
            keys.put(device, d.drive().toString());
            keys.put(device + ":media", d.media());
        });
        return new ServerConfig(keys);
    }

    /** This configuration with the request's changes applied (an empty value unsets). */
    ServerConfig with(ServerRequest request) {
        Map<String, String> next = new TreeMap<>(keys);
        request.changes().forEach((key, value) -> {
            if (value.isEmpty()) {
                next.remove(key);
                if (ServerRequest.DEVICE.matcher(key).matches()) {
                    next.remove(key + ":media");
                }
            } else {
                next.put(key, value);
            }
        });
        if (!request.userKeyUpdates().isEmpty()) {
            Map<String, String> kept = new LinkedHashMap<>();
            next.keySet().removeIf(k -> {
                if (KeyRules.isUserKey(k)) {
                    kept.put(k.substring(KeyRules.USER_PREFIX.length()), keys.get(k));
                    return true;
                }
                return false;
            });
            UserKeys.parse(KeyRules.mergeUserKeys(UserKeys.format(kept), request.userKeyUpdates()))
                    .forEach((k, v) -> next.put(KeyRules.USER_PREFIX + k, v));
        }
        return new ServerConfig(next);
    }

    /** This configuration with {@code key} set (a value decided by the service, such as a MAC). */
    ServerConfig withKey(String key, String value) {
        Map<String, String> next = new TreeMap<>(keys);
        next.put(key, value);
        return new ServerConfig(next);
    }

    /**
     * Checks the configuration as a whole and fills its defaults: the required keys, media and
     * boot only for attached devices, a drive on one device only, no optical drive on virtio-blk,
     * model {@code e1000} for an interface given without one.
     */
    ServerConfig complete() {
        for (String required : List.of("name", "cpu", "mem")) {
            if (!keys.containsKey(required)) {
                throw ElasticException.usage("%s is required to create a server", required);
            }
        }
        Map<String, String> next = new TreeMap<>(keys);
        next.putIfAbsent("smp", "auto");
        next.putIfAbsent("persistent", "false");
        Set<String> drives = new HashSet<>();
        for (String key : keys.keySet()) {
            if (ServerRequest.MEDIA.matcher(key).matches()) {
                String device = key.substring(0, key.length() - ":media".length());
                if (!keys.containsKey(device)) {
                    throw ElasticException.usage("%s is given but %s has no drive", key, device);
                }
            } else if (ServerRequest.DEVICE.matcher(key).matches()) {
                next.putIfAbsent(key + ":media", "disk");
                if (!drives.add(keys.get(key))) {
                    throw ElasticException.usage("%s: drive %s is attached twice", key, keys.get(key));
                }
            }
        }
        for (String device : devices(next).keySet()) {
            if (device.startsWith("block:") && next.get(device + ":media").equals("cdrom")) {
                throw ElasticException.usage("%s:media cannot be cdrom: virtio block devices have no optical drive", device);
            }
        }
        if (keys.containsKey("boot")) {
            for (String device : keys.get("boot").split(" ")) {
                if (!keys.containsKey(device)) {
                    throw ElasticException.usage("boot: %s has no drive", device);
                }
            }
        }
        for (int nic = 0; nic <= 1; nic++) {
            if (hasNic(next, nic)) {
                next.putIfAbsent("nic:" + nic + ":model", "e1000");
            }
        }
        if (hasNic(next, 1) && !next.containsKey("nic:1:vlan")) {
            throw ElasticException.usage("nic:1:vlan is required: the private interface joins one of your VLANs");
        }
        return new ServerConfig(next);
    }

    private static boolean hasNic(Map<String, String> keys, int nic) {
        return keys.keySet().stream().anyMatch(k -> k.startsWith("nic:" + nic + ":"));
    }

    public Map<String, String> keys() {
        return keys;
    }

    public String get(String key) {
        return keys.get(key);
    }

    public String name() { return keys.get("name"); }
    public int cpu() { return Integer.parseInt(keys.get("cpu")); }
    public int mem() { return Integer.parseInt(keys.get("mem")); }
    public boolean persistent() { return Boolean.parseBoolean(keys.get("persistent")); }

    /** Virtual processors as asked, null for {@code auto}. */
    public Integer smp() {
        String smp = keys.getOrDefault("smp", "auto");
        return smp.equals("auto") ? null : Integer.valueOf(smp);
    }

    /** Attached drives by device key, IDE first, then SCSI, then virtio-blk, by number. */
    public Map<String, Device> devices() {
        return devices(keys);
    }

    private static Map<String, Device> devices(Map<String, String> keys) {
        Map<String, Device> devices = new TreeMap<>(Comparator.comparing(ServerConfig::deviceOrder));
        keys.forEach((k, v) -> {
            if (ServerRequest.DEVICE.matcher(k).matches()) {
                devices.put(k, new Device(UUID.fromString(v), keys.getOrDefault(k + ":media", "disk")));
            }
        });
        return devices;
    }

    static String deviceOrder(String device) {
        return (device.startsWith("ide") ? "0" : device.startsWith("scsi") ? "1" : "2") + device;
    }

    public boolean hasNic(int nic) {
        return hasNic(keys, nic);
    }

    public List<String> boot() {
        return keys.containsKey("boot") ? List.of(keys.get("boot").split(" ")) : List.of();
    }

    public List<UUID> avoid(String key) {
        List<UUID> ids = new ArrayList<>();
        if (keys.containsKey(key)) {
            for (String id : keys.get(key).split(" ")) {
                ids.add(UUID.fromString(id));
            }
        }
        return ids;
    }

    /** VNC is on when a password is set ({@code vnc} then defaults to {@code auto}). */
    public boolean vnc() {
        return keys.containsKey("vnc:password");
    }

    /** What {@code vnc} asks for: {@code auto} (also when unset) or one of the user's static IPs. */
    public String vncAddress() {
        return keys.getOrDefault("vnc", "auto");
    }

    /** The keys the entity keeps in {@code server_config}: all but its columns and the devices. */
    Map<String, String> otherKeys() {
        Map<String, String> other = new TreeMap<>(keys);
        other.keySet().removeIf(k -> COLUMNS.contains(k) || ServerRequest.DEVICE.matcher(k).matches()
                || ServerRequest.MEDIA.matcher(k).matches());
        return other;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ServerConfig other && keys.equals(other.keys);
    }

    @Override
    public int hashCode() {
        return keys.hashCode();
    }
}
