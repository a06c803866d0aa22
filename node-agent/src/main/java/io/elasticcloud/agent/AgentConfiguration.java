package io.elasticcloud.agent;

import io.elasticcloud.agent.hypervisor.Hypervisor;
import io.elasticcloud.agent.hypervisor.UnavailableHypervisor;
import io.elasticcloud.agent.libvirt.LibvirtHypervisor;
import io.elasticcloud.agent.libvirt.PublicNetwork;
import io.elasticcloud.agent.network.HostNetwork;
import io.elasticcloud.agent.network.IpHostNetwork;
import io.elasticcloud.agent.network.ProcessCommandRunner;
import io.elasticcloud.protocol.Transport;
import io.elasticcloud.protocol.settings.DataDirectory;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The node agent's wiring: a {@link Hypervisor} (libvirt unless another bean is given, as tests
 * give a fake) and the {@link NodeAgent} serving on the {@link Transport} bean. Loaded only when
 * {@code elastic.agent.enabled} is true (the default), so that the launcher can run without one.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnProperty(name = "elastic.agent.enabled", havingValue = "true", matchIfMissing = true)
@EnableConfigurationProperties({AgentProperties.class, DataDirectory.class})
public class AgentConfiguration {
    private static final Logger log = LoggerFactory.getLogger(AgentConfiguration.class);
    private static final List<String> VNC_TLS_FILES = List.of("ca-cert.pem", "server-cert.pem", "server-key.pem");

    /** The VLANs' bridges and VXLAN devices on this host, through {@code ip} and {@code bridge}. */
    @Bean
    @ConditionalOnMissingBean(HostNetwork.class)
    public HostNetwork hostNetwork(AgentProperties properties) {
        String tunnel = properties.tunnelAddress() == null || properties.tunnelAddress().isBlank() ? null
                : properties.tunnelAddress().strip();
        return new IpHostNetwork(ProcessCommandRunner.local(), tunnel);
    }

    @Bean(destroyMethod = "close")
    @ConditionalOnMissingBean(Hypervisor.class)
    public Hypervisor hypervisor(AgentProperties properties, HostNetwork hostNetwork, DataDirectory data) {
        Path consoles = properties.consoleDir() != null ? properties.consoleDir() : data.resolve("consoles");
        PublicNetwork network = new PublicNetwork(properties.network(), properties.networkBridge(),
                properties.networkCidr(), properties.networkGateway());
        try {
            return new LibvirtHypervisor(new LibvirtHypervisor.Settings(properties.libvirtUri(), properties.domainType(),
                    consoles.toAbsolutePath(), vncTlsDir(properties), nodeName(properties), network, hostNetwork,
                    ProcessCommandRunner.local()));
        } catch (RuntimeException | LinkageError e) {
            // One process runs the API and storage too: a host without libvirt must not take them down.
            log.error("node agent unavailable: libvirt at {} cannot be used ({}); no server can run on this host"
                    + " until the process is restarted with libvirt running", properties.libvirtUri(), e.getMessage());
            return new UnavailableHypervisor("libvirt at " + properties.libvirtUri() + " cannot be used");
        }
    }

    @Bean(initMethod = "start", destroyMethod = "close")
    public NodeAgent nodeAgent(AgentProperties properties, Hypervisor hypervisor, HostNetwork hostNetwork,
                               Transport transport) {
        return new NodeAgent(nodeName(properties), hypervisor, transport, properties.heartbeatInterval(),
                properties.network(), hostNetwork, hostName(properties));
    }

    static String hostName(AgentProperties properties) {
        if (properties.host() != null && !properties.host().isBlank()) {
            return properties.host();
        }
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException e) {
            return "localhost";
        }
    }

    /** The VNC TLS directory when {@code vnc:tls on} guests can run here, else null. */
    static Path vncTlsDir(AgentProperties properties) {
        if (Boolean.FALSE.equals(properties.vncTls()) || properties.vncTlsDir() == null) {
            return null;
        }
        Path dir = properties.vncTlsDir().toAbsolutePath();
        List<String> missing = VNC_TLS_FILES.stream().filter(f -> !Files.isReadable(dir.resolve(f))).toList();
        if (missing.isEmpty()) {
            log.info("VNC TLS (VeNCrypt x509) for vnc:tls on guests, certificates in {}", dir);
            return dir;
        }
        if (Boolean.TRUE.equals(properties.vncTls())) {
            log.error("elastic.agent.vnc-tls is true but {} lacks {} (deploy/vnc-tls-certs.sh makes them): "
                    + "vnc:tls on guests cannot start here", dir, missing);
        } else {
            log.info("no VNC TLS here ({} lacks {}): vnc:tls on guests cannot start here", dir, missing);
        }
        return null;
    }

    static String nodeName(AgentProperties properties) {
        if (properties.node() != null && !properties.node().isBlank()) {
            return properties.node();
        }
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException e) {
            return "agent-0";
        }
    }
}
