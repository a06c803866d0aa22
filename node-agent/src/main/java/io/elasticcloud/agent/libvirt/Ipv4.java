package io.elasticcloud.agent.libvirt;

import io.elasticcloud.agent.network.HostNetwork;

/** IPv4 dotted quads as numbers, for subnet checks. */
final class Ipv4 {
    private Ipv4() {
    }

    static int toInt(String address) {
        if (address == null || !HostNetwork.IPV4.matcher(address).matches()) {
            throw new IllegalArgumentException("'" + address + "' is not an IPv4 address");
        }
        int value = 0;
        for (String part : address.split("\\.")) {
            value = (value << 8) | Integer.parseInt(part);
        }
        return value;
    }

    static String toText(int value) {
        return (value >>> 24) + "." + ((value >>> 16) & 0xff) + "." + ((value >>> 8) & 0xff) + "." + (value & 0xff);
    }

    static int mask(int prefix) {
        if (prefix < 0 || prefix > 32) {
            throw new IllegalArgumentException("prefix /" + prefix + " is outside 0-32");
        }
        return prefix == 0 ? 0 : -1 << (32 - prefix);
    }

    static boolean sameSubnet(String a, String b, int prefix) {
        return (toInt(a) & mask(prefix)) == (toInt(b) & mask(prefix));
    }
}
