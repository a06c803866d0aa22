package io.elasticcloud.api.resource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.elasticcloud.codec.Ipv4;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The operator's pools as configured: defaults, what is handed out, the console mapping, refusals. */
class IpPoolTest {

    private static NetworkProperties.Pool pool(String name, String cidr) {
        return new NetworkProperties.Pool(name, cidr, null, null, null, null, List.of(), null);
    }

    @Test
    void theSingleHostDefaultHandsOutTwoToTwoHundred() {
        IpPool pool = IpPool.of(new NetworkProperties.Pool("public", "169.254.10.0/24", "169.254.10.1",
                "169.254.10.1", "169.254.10.2", "169.254.10.200", List.of(), "127.10.0.0"));
        assertThat(pool.netmask()).isEqualTo("255.255.255.0");
        assertThat(pool.size()).isEqualTo(199);
        assertThat(pool.addresses()).hasSize(199).first().hasToString("169.254.10.2");
        assertThat(pool.addresses()).last().hasToString("169.254.10.200");
        assertThat(pool.vncListen(Ipv4.parse("169.254.10.57").orElseThrow())).isEqualTo("127.10.0.57");
    }

    @Test
    void defaultsKeepTheGatewayNameserverAndReservedBack() {
        IpPool pool = IpPool.of(new NetworkProperties.Pool("p", "192.0.2.0/28", null, "192.0.2.5", null, null,
                List.of("192.0.2.7", "192.0.2.10-192.0.2.12"), null));
        assertThat(pool.gateway()).isEqualTo("192.0.2.1");
        assertThat(pool.netmask()).isEqualTo("255.255.255.240");
        assertThat(pool.addresses()).map(Ipv4::toString).containsExactly("192.0.2.2", "192.0.2.3", "192.0.2.4",
                "192.0.2.6", "192.0.2.8", "192.0.2.9", "192.0.2.13", "192.0.2.14");
        assertThat(pool.size()).isEqualTo(8);
        assertThat(pool.vncListen(Ipv4.parse("192.0.2.3").orElseThrow())).isEqualTo("192.0.2.3");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "bad name!   | 10.0.0.0/24   | name",
            "p           | 10.0.0.0      | cidr",
            "p           | 10.0.0.0/31   | prefix",
            "p           | 10.0.0.1/24   | first address",
            "p           | 10.0.0.0/33   | prefix",
            "p           | 10.0.0.300/24 | cidr",
    })
    void refusesWhatIsNotAPool(String name, String cidr, String says) {
        assertThatThrownBy(() -> IpPool.of(pool(name.strip(), cidr.strip())))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining(says.strip());
    }

    @Test
    void refusesAGatewayOutsideAMisalignedConsoleBaseAndOverlappingPools() {
        assertThatThrownBy(() -> IpPool.of(new NetworkProperties.Pool("p", "10.0.0.0/24", "10.0.1.1", null, null, null,
                List.of(), null))).hasMessageContaining("gateway");
        assertThatThrownBy(() -> IpPool.of(new NetworkProperties.Pool("p", "10.0.0.0/24", null, null, null, null,
                List.of(), "127.10.0.5"))).hasMessageContaining("vnc-listen-base");
        assertThatThrownBy(() -> new IpPools(new NetworkProperties(List.of(pool("a", "10.0.0.0/16"),
                pool("b", "10.0.5.0/24")), 16_777_215, Duration.ofHours(1)))).hasMessageContaining("overlaps");
        assertThatThrownBy(() -> new IpPools(new NetworkProperties(List.of(pool("a", "10.0.0.0/24"),
                pool("a", "10.0.5.0/24")), 16_777_215, Duration.ofHours(1)))).hasMessageContaining("two pools");
    }
}
