package io.elasticcloud.storage.nbd;

import java.nio.charset.StandardCharsets;

/** Where an export lives: the NBD server's address and the export's name on it. */
public record NbdTarget(String host, int port, String export) {

    public NbdTarget {
        if (host == null || host.isBlank()) {
            throw new IllegalArgumentException("an NBD target needs a host");
        }
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("NBD port out of range: " + port);
        }
        // the protocol's limit for any string; the name also must not hold NUL
        if (export == null || export.getBytes(StandardCharsets.UTF_8).length > 4096 || export.indexOf('\0') >= 0) {
            throw new IllegalArgumentException("invalid NBD export name");
        }
    }

    /** The target as qemu writes it, {@code nbd://host:port/export}: for messages. */
    @Override
    public String toString() {
        return "nbd://" + (host.contains(":") ? "[" + host + "]" : host) + ":" + port + "/" + export;
    }
}
