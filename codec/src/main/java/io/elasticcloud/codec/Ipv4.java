package io.elasticcloud.codec;

import java.util.Optional;
import java.util.regex.Pattern;

/**
 * An IPv4 address as an unsigned 32-bit number, written in canonical dotted decimal (no leading
 * zeros: {@code 010} would mean 8 to some tools and 10 to others, so it is refused, not guessed).
 */
public record Ipv4(long value) implements Comparable<Ipv4> {
    private static final Pattern TEXT =
            Pattern.compile("(25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])(\\.(25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])){3}");

    public Ipv4 {
        if (value < 0 || value > 0xFFFF_FFFFL) {
            throw new IllegalArgumentException("not an IPv4 address: " + value);
        }
    }

    /** The address written as {@code a.b.c.d}, or empty when it is not one. */
    public static Optional<Ipv4> parse(String text) {
        if (text == null || !TEXT.matcher(text).matches()) {
            return Optional.empty();
        }
        long value = 0;
        for (String octet : text.split("\\.")) {
            value = value << 8 | Integer.parseInt(octet);
        }
        return Optional.of(new Ipv4(value));
    }

    /** The address written exactly as {@code a.b.c.d}, or {@link IllegalArgumentException}. */
    public static Ipv4 of(String text) {
        return parse(text).orElseThrow(() -> new IllegalArgumentException("'" + text + "' is not an IPv4 address"));
    }

    /**
     * For configuration, where surrounding white space is harmless: the address, or
     * {@link IllegalArgumentException} naming the setting {@code what}.
     */
    public static Ipv4 of(String what, String text) {
        return parse(text == null ? null : text.strip())
                .orElseThrow(() -> new IllegalArgumentException(what + ": '" + text + "' is not an IPv4 address"));
    }

    /** The netmask of a prefix length, {@code 24} → {@code 255.255.255.0}. */
    public static Ipv4 netmask(int prefix) {
        if (prefix < 0 || prefix > 32) {
            throw new IllegalArgumentException("prefix /" + prefix + " is outside 0-32");
        }
        return new Ipv4(prefix == 0 ? 0 : 0xFFFF_FFFFL << (32 - prefix) & 0xFFFF_FFFFL);
    }

    /** The address {@code n} further on (or back, when negative). */
    public Ipv4 plus(long n) {
        return new Ipv4(value + n);
    }

    /** Whether the two addresses are in the same subnet of {@code prefix} bits. */
    public boolean sameSubnet(Ipv4 other, int prefix) {
        long mask = netmask(prefix).value;
        return (value & mask) == (other.value & mask);
    }

    @Override
    public int compareTo(Ipv4 other) {
        return Long.compare(value, other.value);
    }

    @Override
    public String toString() {
        return (value >> 24 & 255) + "." + (value >> 16 & 255) + "." + (value >> 8 & 255) + "." + (value & 255);
    }
}
