package io.elasticcloud.api.common;

import io.elasticcloud.api.web.codec.ApiText;
import io.elasticcloud.api.web.codec.Properties;
import io.elasticcloud.protocol.ElasticException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * Validation shared by every object with free-form keys (drives, servers, resources): names,
 * tags, {@code user:*} pairs and UUID lists. Each failure names the key and what is wrong.
 */
public final class KeyRules {
    public static final int MAX_NAME = 256;
    public static final int MAX_TAGS = 64;
    public static final int MAX_TAG = 128;
    public static final int MAX_USER_KEYS = 64;
    public static final int MAX_USER_KEY = 64;
    public static final int MAX_USER_VALUE = 1024;
    public static final int MAX_UUIDS = 64;
    public static final String USER_PREFIX = "user:";

    // C0, DEL and C1: what Properties refuses in keys, so that names can go into a guest's XML.
    private static final Pattern CONTROL = Pattern.compile("[\\p{Cntrl}\\x{80}-\\x{9f}]");
    private static final Pattern USER_KEY = Pattern.compile("[A-Za-z0-9_.:\\-]+");
    private static final Pattern UUID_TEXT =
            Pattern.compile("[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}");

    private KeyRules() {
    }

    public static String name(String key, String value) {
        String name = value.strip();
        if (name.isEmpty()) {
            throw ElasticException.usage("%s must not be empty", key);
        }
        if (name.length() > MAX_NAME) {
            throw ElasticException.usage("%s is longer than %d characters", key, MAX_NAME);
        }
        noControl(key, name);
        return name;
    }

    /** Space-separated tags, normalised to single spaces. */
    public static String tags(String value) {
        List<String> tags = words(value);
        if (tags.size() > MAX_TAGS) {
            throw ElasticException.usage("tags: at most %d tags", MAX_TAGS);
        }
        for (String tag : tags) {
            if (tag.length() > MAX_TAG) {
                throw ElasticException.usage("tags: a tag is longer than %d characters", MAX_TAG);
            }
            noControl("tags", tag);
        }
        return String.join(" ", tags);
    }

    /** A UUID in either case, answered in lower case. */
    public static UUID uuid(String key, String value) {
        return parseUuid(value)
                .orElseThrow(() -> ElasticException.usage("%s: %s is not a UUID", key, ApiText.quote(value)));
    }

    public static Optional<UUID> parseUuid(String value) {
        return UUID_TEXT.matcher(value).matches()
                ? Optional.of(UUID.fromString(value.toLowerCase(Locale.ROOT)))
                : Optional.empty();
    }

    /**
     * Space-separated UUIDs ({@code readers}, {@code avoid}), answered in lower case; at most
     * {@link #MAX_UUIDS} words: each is stored, or looked up, at every use of the list.
     */
    public static List<UUID> uuids(String key, String value) {
        List<UUID> uuids = new ArrayList<>();
        List<String> words = words(value);
        if (words.size() > MAX_UUIDS) {
            throw ElasticException.usage("%s: at most %d UUIDs", key, MAX_UUIDS);
        }
        for (String word : words) {
            uuids.add(uuid(key, word));
        }
        return uuids;
    }

    public static boolean isUserKey(String key) {
        return key.startsWith(USER_PREFIX);
    }

    /**
     * Merges the {@code user:*} keys of a request into the kept ones (lines {@code key value}):
     * a key with a value sets it, a key with an empty value removes it.
     */
    public static String mergeUserKeys(String kept, Map<String, String> request) {
        Map<String, String> merged = UserKeys.parse(kept);
        for (Map.Entry<String, String> e : request.entrySet()) {
            if (!isUserKey(e.getKey())) {
                continue;
            }
            String key = e.getKey().substring(USER_PREFIX.length());
            if (key.isEmpty() || key.length() > MAX_USER_KEY || !USER_KEY.matcher(key).matches()) {
                throw ElasticException.usage("%s: user keys are 1 to %d letters, digits or _.:-",
                        ApiText.quote(e.getKey()), MAX_USER_KEY);
            }
            String value = e.getValue().strip();
            noControl(e.getKey(), value);
            if (value.length() > MAX_USER_VALUE) {
                throw ElasticException.usage("%s is longer than %d characters", e.getKey(), MAX_USER_VALUE);
            }
            if (value.isEmpty()) {
                merged.remove(key);
            } else {
                merged.put(key, value);
            }
        }
        if (merged.size() > MAX_USER_KEYS) {
            throw ElasticException.usage("at most %d user:* keys", MAX_USER_KEYS);
        }
        return UserKeys.format(merged);
    }

    public static List<String> words(String value) {
        List<String> words = new ArrayList<>();
        for (String word : value.strip().split("\\s+")) {
            if (!word.isEmpty()) {
                words.add(word);
            }
        }
        return words;
    }

    // The request codec refuses these already for every body; checked again here because
    // names also come from elsewhere (the admin's library import) and must be able to start.
    private static void noControl(String key, String value) {
        if (CONTROL.matcher(value).find()) {
            throw ElasticException.usage("%s must not contain control characters", key);
        }
        int nonText = Properties.firstNonText(value);
        if (nonText >= 0) {
            throw ElasticException.usage("%s contains U+%04X, which is not a character", key, nonText);
        }
    }

}
