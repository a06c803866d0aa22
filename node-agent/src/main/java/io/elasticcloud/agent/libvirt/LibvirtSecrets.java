package io.elasticcloud.agent.libvirt;

import io.elasticcloud.protocol.ElasticException;
import io.elasticcloud.protocol.agent.GuestSpec;
import io.elasticcloud.protocol.agent.GuestSpec.DiskSpec;
import io.elasticcloud.protocol.storage.Cipher;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.libvirt.Connect;
import org.libvirt.LibvirtException;
import org.libvirt.Secret;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The LUKS passphrases of running guests' encrypted disks, as libvirt secrets: private (libvirt
 * never shows their value) and ephemeral (never written to disk), defined just before a guest
 * starts and undefined as soon as it stops, whoever stops it. Each secret's description names its
 * server and the agent's node, so secrets left over by a crash are found and swept when the agent
 * recovers, and only its own: another agent's on the same libvirt are left alone.
 */
final class LibvirtSecrets {
    private static final Logger log = LoggerFactory.getLogger(LibvirtSecrets.class);
    /** A secret's description: {@code elastic-agent [node NODE ]server UUID DEVICE}. */
    static final String SECRET_PREFIX = "elastic-agent ";
    private static final Pattern SECRET_SERVER = Pattern.compile(
            "<description>" + SECRET_PREFIX + "(?:node (.*?) )?server ([0-9a-f-]{36}) ");

    private final Connect connect;
    /** The agent's node name, null for none. */
    private final String node;
    /** The secrets of each server running here, by server UUID. */
    private final Map<String, List<String>> secrets = new ConcurrentHashMap<>();

    LibvirtSecrets(Connect connect, String node) {
        this.connect = connect;
        this.node = node;
    }

    /** Defines a secret for each encrypted disk of {@code spec}: the secret's UUID by disk key. */
    Map<String, String> define(GuestSpec spec) {
        Map<String, String> defined = new LinkedHashMap<>();
        try {
            for (DiskSpec disk : spec.disks() == null ? List.<DiskSpec>of() : spec.disks()) {
                if (disk.volume().cipher() == Cipher.NONE) {
                    continue;
                }
                String uuid = UUID.randomUUID().toString();
                String xml = "<secret ephemeral='yes' private='yes'><uuid>" + uuid + "</uuid><description>"
                        + SECRET_PREFIX + (node == null ? "" : "node " + escape(node) + " ") + "server " + spec.server()
                        + " " + disk.key() + "</description></secret>";
                Secret secret = connect.secretDefineXML(xml);
                defined.put(disk.key(), uuid);
                secret.setValue(disk.volume().passphrase().getBytes(StandardCharsets.UTF_8));
            }
        } catch (LibvirtException e) {
            undefine(new ArrayList<>(defined.values()));
            throw ElasticException.failed("server %s: the keys of its encrypted drives were refused: %s",
                    spec.server(), LibvirtHypervisor.message(e));
        }
        secrets.put(spec.server(), List.copyOf(defined.values()));
        return defined;
    }

    /** Undefines the secrets of a server that stopped (or never started). */
    void release(String server) {
        List<String> left = secrets.remove(server);
        if (left != null) {
            undefine(left);
        }
    }

    /** Undefines the secrets a guest's metadata names, and forgets them. */
    void release(DomainMetadata meta) {
        secrets.remove(meta.server());
        undefine(meta.disks().stream().map(DomainMetadata.Disk::secret).filter(Objects::nonNull).toList());
    }

    /** Takes over the secrets of a guest found running after a restart. */
    void adopt(DomainMetadata meta) {
        secrets.put(meta.server(), meta.disks().stream().map(DomainMetadata.Disk::secret)
                .filter(Objects::nonNull).toList());
    }

    /** Undefines every secret of ours whose server is not among {@code alive}. */
    void sweep(Set<String> alive, String uri) {
        try {
            for (String uuid : connect.listSecrets()) {
                Secret secret = connect.secretLookupByUUIDString(uuid);
                Matcher owner = SECRET_SERVER.matcher(secret.getXMLDesc());
                if (owner.find() && Objects.equals(unescape(owner.group(1)), node) && !alive.contains(owner.group(2))) {
                    log.info("removing the secret {} of stopped server {}", uuid, owner.group(2));
                    secret.undefine();
                }
            }
        } catch (LibvirtException e) {
            log.debug("libvirt at {} keeps no secrets to sweep: {}", uri, LibvirtHypervisor.message(e));
        }
    }

    private static String escape(String text) {
        return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
    }

    private static String unescape(String xmlText) {
        return xmlText == null ? null : xmlText.replace("&lt;", "<").replace("&gt;", ">").replace("&quot;", "\"")
                .replace("&apos;", "'").replace("&amp;", "&");
    }

    private void undefine(List<String> uuids) {
        for (String uuid : uuids) {
            try {
                connect.secretLookupByUUIDString(uuid).undefine();
            } catch (LibvirtException e) {
                log.debug("secret {} already gone: {}", uuid, LibvirtHypervisor.message(e));
            }
        }
    }
}
