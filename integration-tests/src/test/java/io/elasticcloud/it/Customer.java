package io.elasticcloud.it;

/** A customer account as the admin created it: HTTP Basic user = {@code uuid}, password = {@code key}. */
public record Customer(String uuid, String key) {
    @Override
    public String toString() {
        return "Customer[" + uuid + "]"; // never the key in test output
    }
}
