package io.elasticcloud.agent.libvirt;

import io.elasticcloud.agent.hypervisor.GuestUser;
import io.elasticcloud.agent.hypervisor.HostCapacity;
import io.elasticcloud.protocol.ElasticException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.libvirt.Connect;
import org.libvirt.LibvirtException;
import org.libvirt.NodeInfo;

/**
 * What this host offers guests, as libvirt answers now: the domain type they start as (resolved
 * once, {@link DomainTypes}), its cores, speed and memory, and the user their QEMU runs as.
 */
final class LibvirtHost {
    private final Connect connect;
    private final String uri;
    private final String domainType;

    /**
     * @param uri        the connection's URI, for messages
     * @param domainType {@code kvm}, {@code qemu} or {@code auto}
     */
    LibvirtHost(Connect connect, String uri, String domainType) throws LibvirtException {
        this.connect = connect;
        this.uri = uri;
        this.domainType = DomainTypes.resolve(domainType, connect.getCapabilities());
    }

    /** {@code kvm} or {@code qemu}. */
    String domainType() {
        return domainType;
    }

    HostCapacity capacity() {
        try {
            NodeInfo node = connect.nodeInfo();
            long free = connect.getFreeMemory();
            return new HostCapacity(domainType, node.cpus, node.mhz, node.memory / 1024, free / (1024 * 1024));
        } catch (LibvirtException e) {
            throw ElasticException.system("libvirt at %s does not answer: %s", uri, LibvirtHypervisor.message(e));
        }
    }

    /** The user QEMU runs as ({@link GuestUsers}), empty when libvirt names none. */
    Optional<GuestUser> guestUser() {
        try {
            return GuestUsers.of(connect.getCapabilities(), domainType, readOrEmpty(Path.of("/etc/passwd")),
                    readOrEmpty(Path.of("/etc/group")));
        } catch (LibvirtException e) {
            throw ElasticException.system("libvirt at %s does not answer: %s", uri, LibvirtHypervisor.message(e));
        }
    }

    private static String readOrEmpty(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            return "";
        }
    }
}
