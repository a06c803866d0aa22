package io.elasticcloud.api.drive;

import java.util.Arrays;
import java.util.UUID;

/**
 * The customer-settable keys of a drive, already validated; a null field is "not given".
 *
 * @param userKeys the {@code user:*} pairs, one {@code key value} line each, in the customer's order
 */
public record DriveSettings(String name, ClaimType claimType, String readers, String tags, String userKeys) {
    public static final String ALL_USERS = "ffffffff-ffff-ffff-ffff-ffffffffffff";

    static boolean listsReader(String readers, UUID user) {
        return Arrays.stream(readers.split(" ")).anyMatch(r -> r.equals(ALL_USERS) || r.equals(user.toString()));
    }
}
