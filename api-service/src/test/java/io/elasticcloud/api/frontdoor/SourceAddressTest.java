package io.elasticcloud.api.frontdoor;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class SourceAddressTest {

    @Test
    void ipv4IsItself() {
        assertThat(SourceAddress.of("127.0.0.2")).isEqualTo("127.0.0.2");
        assertThat(SourceAddress.of((String) null)).isEqualTo("unknown");
    }

    @Test
    void ipv6CountsByItsSlash64InEveryForm() {
        String[][] table = {
            {"2001:db8:0:0:1:2:3:4", "2001:db8:0:0::/64"},
            {"2001:db8::1:2:3:4", "2001:db8:0:0::/64"},
            {"2001:0db8:0000:0000:ffff:0:0:1", "2001:db8:0:0::/64"},
            {"[2001:db8::1]", "2001:db8:0:0::/64"},
            {"2001:DB8:0:0:1:2:3:4", "2001:db8:0:0::/64"},
            {"2001:db8:0:0:1:2:3:4%1", "2001:db8:0:0::/64"},
            {"fe80:0:0:0:0:0:0:1%lo", "fe80:0:0:0::/64"},
            {"0:0:0:0:0:0:0:1", "0:0:0:0::/64"},
            {"::1", "0:0:0:0::/64"},
            {"2001:db8:1:2:3:4:5:6", "2001:db8:1:2::/64"},
        };
        for (String[] row : table) {
            assertThat(SourceAddress.of(row[0])).as(row[0]).isEqualTo(row[1]);
        }
    }
}
