package io.elasticcloud.agent;

import java.nio.file.Path;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Configuration of the node agent ({@code elastic.agent.*}).
 *
 * @param enabled           whether this process runs a node agent (the launcher may turn it off)
 * @param node              its name on the bus; default the host name
 * @param libvirtUri        the hypervisor connection
 * @param domainType        {@code kvm}, {@code qemu} (TCG, where KVM is not usable) or {@code auto}
 * @param heartbeatInterval how often it publishes its heartbeat
 * @param network           the libvirt network of interfaces whose spec names none (the public
 *                          network); defined by the agent at start when libvirt has none of that name
 * @param networkBridge     the Linux bridge of the public network the agent defines
 * @param networkCidr       the subnet of the public network the agent defines
 * @param networkGateway    the host's address on the public network the agent defines
 * @param tunnelAddress     this host's IPv4 address on the underlay between hosts, the local end of
 *                          its VLANs' VXLAN devices; unset: VLANs stay on this host
 * @param consoleDir        where guests' serial consoles are logged; default {@code DATA/consoles}
 * @param vncTls            whether {@code vnc:tls on} guests can run here: unset means "when
 *                          {@code vncTlsDir} holds a CA certificate, a server certificate and its key"
 * @param vncTlsDir         the x509 directory of VNC TLS ({@code ca-cert.pem}, {@code server-cert.pem},
 *                          {@code server-key.pem}; {@code deploy/vnc-tls-certs.sh} makes them)
 * @param host              the machine the agent runs on, as storage nodes name theirs ({@code
 *                          elastic.storage.host}): volumes of the same host are attached by path,
 *                          others over NBD; default the local host name
 */
@ConfigurationProperties("elastic.agent")
public record AgentProperties(
        @DefaultValue("true") boolean enabled,
        String node,
        @DefaultValue("qemu:///system") String libvirtUri,
        @DefaultValue("auto") String domainType,
        @DefaultValue("5s") Duration heartbeatInterval,
        @DefaultValue("elastic-public") String network,
        Path consoleDir,
        Boolean vncTls,
        @DefaultValue("elpublic0") String networkBridge,
        @DefaultValue("169.254.10.0/24") String networkCidr,
        @DefaultValue("169.254.10.1") String networkGateway,
        String tunnelAddress,
        String host,
        @DefaultValue("/etc/pki/libvirt-vnc") Path vncTlsDir) {
}
