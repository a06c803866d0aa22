package io.elasticcloud.api.drive;

import io.elasticcloud.api.common.KeyRules;
import io.elasticcloud.api.web.codec.Sizes;
import io.elasticcloud.api.web.codec.ApiText;
import io.elasticcloud.protocol.ElasticException;
import io.elasticcloud.protocol.storage.Cipher;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * A create or set request for a drive, validated: every key known, every value well-formed.
 *
 * @param size   bytes, or null when not given ({@code size 0} on set means "unchanged")
 * @param cipher null when not given
 * @param avoid  drives the new drive must not share hardware with (create only)
 * @param userKeyUpdates the request's {@code user:*} keys, merged into the drive's by
 *                       {@link KeyRules#mergeUserKeys}
 */
public record DriveRequest(DriveSettings settings, Long size, Cipher cipher, List<UUID> avoid,
                           Map<String, String> userKeyUpdates) {

    /** Keys a client may echo back from an info reply; they are not the client's to set. */
    private static final Set<String> READ_ONLY = Set.of("drive", "user", "status", "claimed", "imaging",
            "imaging:error", "read:bytes", "read:requests", "write:bytes", "write:requests",
            "media", "format", "rawsize");

    public static DriveRequest forCreate(Map<String, String> keys) {
        DriveRequest request = parse(keys, true);
        if (request.settings().name() == null) {
            throw ElasticException.usage("name is required to create a drive");
        }
        if (request.size() == null) {
            throw ElasticException.usage("size is required to create a drive");
        }
        if (request.size() <= 0) {
            throw ElasticException.usage("size must be more than 0 bytes");
        }
        return request;
    }

    public static DriveRequest forSet(Map<String, String> keys) {
        return parse(keys, false);
    }

    private static DriveRequest parse(Map<String, String> keys, boolean create) {
        String name = null;
        ClaimType claimType = null;
        String readers = null;
        String tags = null;
        Long size = null;
        Cipher cipher = null;
        List<UUID> avoid = List.of();
        for (Map.Entry<String, String> entry : keys.entrySet()) {
            String key = entry.getKey();
            String value = entry.getValue();
            switch (key) {
                case "name" -> name = KeyRules.name(key, value);
                case "size" -> size = Sizes.parse(value.strip());
                case "claim:type" -> claimType = claimType(value);
                case "readers" -> readers = readers(value);
                case "tags" -> tags = KeyRules.tags(value);
                case "encryption:cipher" -> cipher = cipher(value);
                // The ElasticHosts upload tool sends "tier disk"; there is one tier here.
                case "tier" -> tier(value);
                case "avoid" -> {
                    if (!create) {
                        throw ElasticException.usage("avoid applies only when a drive is created");
                    }
                    avoid = KeyRules.uuids(key, value);
                }
                default -> {
                    if (!KeyRules.isUserKey(key) && !READ_ONLY.contains(key)) {
                        throw ElasticException.usage("unknown key %s", ApiText.quote(key));
                    }
                }
            }
        }
        Map<String, String> userKeyUpdates = new LinkedHashMap<>();
        keys.forEach((k, v) -> {
            if (KeyRules.isUserKey(k)) {
                userKeyUpdates.put(k, v);
            }
        });
        KeyRules.mergeUserKeys("", userKeyUpdates); // validates them now, before anything changes
        return new DriveRequest(new DriveSettings(name, claimType, readers, tags, null), size, cipher, avoid,
                userKeyUpdates);
    }

    private static ClaimType claimType(String value) {
        return switch (value.strip().toLowerCase(Locale.ROOT)) {
            case "exclusive" -> ClaimType.EXCLUSIVE;
            case "shared" -> ClaimType.SHARED;
            default -> throw ElasticException.usage("claim:type must be exclusive or shared, not %s",
                    ApiText.quote(value));
        };
    }

    private static String readers(String value) {
        return String.join(" ", KeyRules.uuids("readers", value).stream().map(UUID::toString).distinct().toList());
    }

    private static Cipher cipher(String value) {
        try {
            return Cipher.fromApiName(value.strip());
        } catch (IllegalArgumentException e) {
            throw ElasticException.usage("encryption:cipher must be none or aes-xts-plain, not %s",
                    ApiText.quote(value));
        }
    }

    private static void tier(String value) {
        String tier = value.strip().toLowerCase(Locale.ROOT);
        if (!tier.equals("disk") && !tier.equals("ssd")) {
            throw ElasticException.usage("tier must be disk or ssd, not %s", ApiText.quote(value));
        }
    }

    /** The settings to apply to a drive that keeps {@code keptUserKeys}. */
    DriveSettings settingsOver(String keptUserKeys) {
        if (userKeyUpdates.isEmpty()) {
            return settings;
        }
        return new DriveSettings(settings.name(), settings.claimType(), settings.readers(), settings.tags(),
                KeyRules.mergeUserKeys(keptUserKeys, userKeyUpdates));
    }
}
