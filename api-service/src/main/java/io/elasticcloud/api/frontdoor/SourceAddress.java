package io.elasticcloud.api.frontdoor;

import jakarta.servlet.http.HttpServletRequest;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;

/**
 * Who a request comes from, for the per-source limits: the peer's IPv4 address, or the /64 of an
 * IPv6 one (a single host commonly holds a whole /64, so counting its addresses one by one would
 * give it billions of budgets). Only the TCP peer counts; forwarded-for headers are anyone's to write.
 */
public final class SourceAddress {
    private SourceAddress() {
    }

    public static String of(HttpServletRequest request) {
        return of(request.getRemoteAddr());
    }

    public static String of(String address) {
        if (address == null || address.isEmpty()) {
            return "unknown";
        }
        if (address.indexOf(':') < 0) {
            return address;
        }
        String canonical = canonicalPrefix(address);
        if (canonical != null) {
            return canonical;
        }
        try {
            // a literal: no name lookup happens
            InetAddress parsed = InetAddress.getByName(address.startsWith("[") ? address.substring(1, address.length() - 1)
                    : address);
            if (parsed instanceof Inet6Address) {
                byte[] b = parsed.getAddress();
                StringBuilder prefix = new StringBuilder();
                for (int i = 0; i < 8; i += 2) {
                    prefix.append(Integer.toHexString(((b[i] & 0xff) << 8) | (b[i + 1] & 0xff))).append(':');
                }
                return prefix.append(":/64").toString();
            }
            return parsed.getHostAddress();
        } catch (UnknownHostException e) {
            return address;
        }
    }

    /**
     * The /64 of an address in Java's own form (eight groups in lower-case hex without leading
     * zeros, as the connector reports peers) without parsing it, the same as the parsed form gives;
     * null for any other form. The connection limit compares every open connection on each accept.
     */
    private static String canonicalPrefix(String address) {
        int colons = 0;
        int fourth = -1;
        int groupLength = 0;
        for (int i = 0; i < address.length(); i++) {
            char c = address.charAt(i);
            if (c == ':') {
                if (groupLength == 0 || (groupLength > 1 && address.charAt(i - groupLength) == '0')) {
                    return null; // "::" or a leading zero
                }
                if (++colons == 4) {
                    fourth = i;
                }
                groupLength = 0;
            } else if (c == '%' && colons == 7) {
                break; // a scope: not part of the prefix
            } else if ((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f')) {
                if (++groupLength > 4) {
                    return null;
                }
            } else {
                return null;
            }
        }
        if (colons != 7 || groupLength == 0) {
            return null;
        }
        return address.substring(0, fourth + 1) + ":/64";
    }
}
