package io.elasticcloud.agent;

import static org.assertj.core.api.Assertions.assertThat;

import io.elasticcloud.agent.hypervisor.FakeHypervisor;
import io.elasticcloud.agent.hypervisor.Hypervisor;
import io.elasticcloud.agent.network.HostNetwork;
import io.elasticcloud.protocol.Transport;
import io.elasticcloud.protocol.bus.InProcessTransport;
import io.elasticcloud.protocol.bus.MessageCodec;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

class AgentConfigurationTest {
    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withUserConfiguration(AgentConfiguration.class)
            .withBean(Transport.class, () -> new InProcessTransport(new MessageCodec(), 2))
            .withBean(Hypervisor.class, FakeHypervisor::new);

    @Test
    void servesUnderTheConfiguredNodeWithDefaults() {
        runner.withPropertyValues("elastic.agent.node=host-7").run(context -> {
            assertThat(context).hasNotFailed();
            assertThat(context.getBean(NodeAgent.class).node()).isEqualTo("host-7");
            AgentProperties props = context.getBean(AgentProperties.class);
            assertThat(props.libvirtUri()).isEqualTo("qemu:///system");
            assertThat(props.domainType()).isEqualTo("auto");
            assertThat(props.heartbeatInterval()).hasSeconds(5);
            assertThat(props.network()).isEqualTo("elastic-public");
            assertThat(props.networkCidr()).isEqualTo("169.254.10.0/24");
            assertThat(props.networkGateway()).isEqualTo("169.254.10.1");
            assertThat(props.tunnelAddress()).isNull();
            assertThat(context.getBean(HostNetwork.class).tunnelAddress()).isNull();
            assertThat(props.vncTls()).isNull();
            assertThat(props.vncTlsDir()).isEqualTo(Path.of("/etc/pki/libvirt-vnc"));
        });
    }

    @Test
    void reportsItsHostAsConfiguredOrByTheLocalHostName() {
        runner.withPropertyValues("elastic.agent.node=host-7", "elastic.agent.host=hv-a.example.net").run(context -> {
            var info = context.getBean(Transport.class).request("host-7",
                    new io.elasticcloud.protocol.agent.AgentCommands.DescribeHost("h1"), java.time.Duration.ofSeconds(5)).get();
            assertThat(info.host()).isEqualTo("hv-a.example.net");
        });
        runner.withPropertyValues("elastic.agent.node=host-8").run(context -> {
            var info = context.getBean(Transport.class).request("host-8",
                    new io.elasticcloud.protocol.agent.AgentCommands.DescribeHost("h1"), java.time.Duration.ofSeconds(5)).get();
            assertThat(info.host()).isEqualTo(java.net.InetAddress.getLocalHost().getHostName());
        });
    }

    @Test
    void vncTlsIsOnWhereTheDirectoryHoldsTheCertificatesUnlessTurnedOff(@TempDir Path dir) throws Exception {
        AgentProperties auto = properties(null, dir);
        assertThat(AgentConfiguration.vncTlsDir(auto)).as("no files yet").isNull();
        for (String f : List.of("ca-cert.pem", "server-cert.pem")) {
            Files.writeString(dir.resolve(f), "x");
        }
        assertThat(AgentConfiguration.vncTlsDir(auto)).as("no server key").isNull();
        Files.writeString(dir.resolve("server-key.pem"), "x");
        assertThat(AgentConfiguration.vncTlsDir(auto)).isEqualTo(dir.toAbsolutePath());
        assertThat(AgentConfiguration.vncTlsDir(properties(true, dir))).isEqualTo(dir.toAbsolutePath());
        assertThat(AgentConfiguration.vncTlsDir(properties(false, dir))).isNull();
    }

    private static AgentProperties properties(Boolean vncTls, Path dir) {
        return new AgentProperties(true, "n", "qemu:///system", "auto", Duration.ofSeconds(5), "elastic-public", null,
                vncTls, "elpublic0", "169.254.10.0/24", "169.254.10.1", null, null, dir);
    }

    @Test
    void theTunnelAddressReachesTheHostNetworkAndABadOneStopsTheStart() {
        runner.withPropertyValues("elastic.agent.node=host-8", "elastic.agent.tunnel-address=169.254.250.8").run(context ->
                assertThat(context.getBean(HostNetwork.class).tunnelAddress()).isEqualTo("169.254.250.8"));
        runner.withPropertyValues("elastic.agent.node=host-9", "elastic.agent.tunnel-address=host-9.example")
                .run(context -> assertThat(context).hasFailed());
    }

    @Test
    void turnedOffItLoadsNothing() {
        runner.withPropertyValues("elastic.agent.enabled=false")
                .run(context -> assertThat(context).doesNotHaveBean(NodeAgent.class).doesNotHaveBean(AgentProperties.class));
    }

    @Test
    void anUnreachableLibvirtLeavesTheProcessUpAndTheAgentAnsweringSystem() {
        new ApplicationContextRunner()
                .withUserConfiguration(AgentConfiguration.class)
                .withBean(Transport.class, () -> new InProcessTransport(new MessageCodec(), 2))
                .withPropertyValues("elastic.agent.node=host-x", "elastic.agent.libvirt-uri=test:///no/such/file.xml",
                        "elastic.data-dir=target/agent-config-test")
                .run(context -> {
                    assertThat(context).hasNotFailed();
                    assertThat(context.getBean(Hypervisor.class))
                            .isInstanceOf(io.elasticcloud.agent.hypervisor.UnavailableHypervisor.class);
                    Transport bus = context.getBean(Transport.class);
                    var reply = bus.request("host-x",
                            new io.elasticcloud.protocol.agent.AgentCommands.DescribeHost("h1"), java.time.Duration.ofSeconds(5));
                    org.assertj.core.api.Assertions.assertThatThrownBy(reply::get).hasCauseInstanceOf(
                            io.elasticcloud.protocol.ElasticException.class).hasMessageContaining("DescribeHost (incident ");
                });
    }
}
