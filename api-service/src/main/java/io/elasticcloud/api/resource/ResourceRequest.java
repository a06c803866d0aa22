package io.elasticcloud.api.resource;

import io.elasticcloud.api.common.KeyRules;
import io.elasticcloud.api.web.codec.ApiText;
import io.elasticcloud.protocol.ElasticException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * A create or set request for a resource, validated: {@code name}, {@code tags} and {@code user:*}
 * are the customer's; what info shows besides them is ignored (clients echo info blocks back);
 * anything else is refused by name.
 *
 * @param name           null when not given
 * @param tags           null when not given
 * @param userKeyUpdates the {@code user:*} keys as given ({@code ""}: remove)
 */
public record ResourceRequest(String name, String tags, Map<String, String> userKeyUpdates) {
    private static final Set<String> READ_ONLY = Set.of("type", "resource", "user", "netmask", "gateway", "nameserver");

    public static ResourceRequest parse(Map<String, String> keys) {
        String name = null;
        String tags = null;
        Map<String, String> userKeys = new LinkedHashMap<>();
        for (Map.Entry<String, String> entry : keys.entrySet()) {
            String key = entry.getKey();
            switch (key) {
                case "name" -> name = KeyRules.name(key, entry.getValue());
                case "tags" -> tags = KeyRules.tags(entry.getValue());
                default -> {
                    if (KeyRules.isUserKey(key)) {
                        userKeys.put(key, entry.getValue());
                    } else if (!READ_ONLY.contains(key)) {
                        throw ElasticException.usage("unknown key %s", ApiText.quote(key));
                    }
                }
            }
        }
        KeyRules.mergeUserKeys("", userKeys); // validates them now, before anything changes
        return new ResourceRequest(name, tags, userKeys);
    }

    /** The {@code user:*} keys of a resource that keeps {@code kept}, after this request. */
    String userKeysOver(String kept) {
        return userKeyUpdates.isEmpty() ? kept : KeyRules.mergeUserKeys(kept, userKeyUpdates);
    }
}
