package io.elasticcloud.api.account;

/** What authentication reads of an account: its key's hash and whether it may call the API. */
public record AccountCredentials(String keyHash, boolean enabled) {
}
