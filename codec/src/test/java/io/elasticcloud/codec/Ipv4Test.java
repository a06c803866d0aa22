package io.elasticcloud.codec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class Ipv4Test {

    @ParameterizedTest
    @CsvSource({"10.1.2.3, true", "0.0.0.0, true", "255.255.255.255, true", "010.1.2.3, false", "1.2.3, false",
            "1.2.3.256, false", "' 1.2.3.4', false", "a.b.c.d, false", "1.2.3.4.5, false", "'', false"})
    void readsOnlyCanonicalAddresses(String text, boolean valid) {
        if (valid) {
            assertThat(Ipv4.parse(text).orElseThrow()).hasToString(text);
            assertThat(Ipv4.of(text)).hasToString(text);
        } else {
            assertThat(Ipv4.parse(text)).as(text).isEqualTo(Optional.empty());
            assertThatThrownBy(() -> Ipv4.of(text)).hasMessage("'" + text + "' is not an IPv4 address");
        }
    }

    @Test
    void numbersAndText() {
        assertThat(Ipv4.of("10.1.2.3").value()).isEqualTo(0x0A010203L);
        assertThat(new Ipv4(0xFFFF_FFFFL)).hasToString("255.255.255.255");
        assertThat(Ipv4.of("10.0.0.255").plus(1)).hasToString("10.0.1.0");
        assertThat(Ipv4.of("10.0.1.0").plus(-1)).hasToString("10.0.0.255");
        assertThatThrownBy(() -> new Ipv4(1L << 32)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Ipv4.of("0.0.0.0").plus(-1)).isInstanceOf(IllegalArgumentException.class);
        assertThat(Ipv4.of("10.0.0.2")).isGreaterThan(Ipv4.of("10.0.0.1"));
    }

    @Test
    void configurationMayHaveSurroundingSpaceAndIsNamedWhenWrong() {
        assertThat(Ipv4.of("pool.gateway", " 10.0.0.1 ")).hasToString("10.0.0.1");
        assertThatThrownBy(() -> Ipv4.of("pool.gateway", "10.0.0")).hasMessage("pool.gateway: '10.0.0' is not an IPv4 address");
        assertThatThrownBy(() -> Ipv4.of("pool.gateway", null)).hasMessage("pool.gateway: 'null' is not an IPv4 address");
    }

    @ParameterizedTest
    @CsvSource({"0, 0.0.0.0", "8, 255.0.0.0", "24, 255.255.255.0", "30, 255.255.255.252", "32, 255.255.255.255"})
    void netmasks(int prefix, String mask) {
        assertThat(Ipv4.netmask(prefix)).hasToString(mask);
        assertThat(Long.bitCount(Ipv4.of(mask).value())).isEqualTo(prefix);
    }

    @Test
    void subnets() {
        assertThat(Ipv4.of("192.0.2.1").sameSubnet(Ipv4.of("192.0.2.254"), 24)).isTrue();
        assertThat(Ipv4.of("192.0.2.1").sameSubnet(Ipv4.of("192.0.3.1"), 24)).isFalse();
        assertThat(Ipv4.of("192.0.2.1").sameSubnet(Ipv4.of("192.0.3.1"), 22)).isTrue();
        assertThat(Ipv4.of("1.2.3.4").sameSubnet(Ipv4.of("200.2.3.4"), 0)).isTrue();
        assertThatThrownBy(() -> Ipv4.netmask(33)).hasMessage("prefix /33 is outside 0-32");
        assertThatThrownBy(() -> Ipv4.netmask(-1)).hasMessage("prefix /-1 is outside 0-32");
    }
}
