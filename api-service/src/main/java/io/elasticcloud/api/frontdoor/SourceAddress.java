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
}
