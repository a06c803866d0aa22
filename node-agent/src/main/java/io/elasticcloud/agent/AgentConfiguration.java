package io.elasticcloud.agent;

import io.elasticcloud.agent.hypervisor.Hypervisor;
import io.elasticcloud.agent.libvirt.LibvirtHypervisor;
import io.elasticcloud.protocol.Transport;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Path;
import org.springframework.beans.factory.annotation.Value;
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
@EnableConfigurationProperties(AgentProperties.class)
public class AgentConfiguration {

    @Bean(destroyMethod = "close")
    @ConditionalOnMissingBean(Hypervisor.class)
    public Hypervisor hypervisor(AgentProperties properties, @Value("${elastic.data-dir:./data}") Path dataDir) {
        Path consoles = properties.consoleDir() != null ? properties.consoleDir() : dataDir.resolve("consoles");
        return new LibvirtHypervisor(new LibvirtHypervisor.Settings(properties.libvirtUri(), properties.domainType(),
                consoles.toAbsolutePath(), properties.vncTls()));
    }

    @Bean(initMethod = "start", destroyMethod = "close")
    public NodeAgent nodeAgent(AgentProperties properties, Hypervisor hypervisor, Transport transport) {
        return new NodeAgent(nodeName(properties), hypervisor, transport, properties.heartbeatInterval(),
                properties.network());
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
