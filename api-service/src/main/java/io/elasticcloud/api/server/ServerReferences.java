package io.elasticcloud.api.server;

import io.elasticcloud.api.drive.DriveService;
import io.elasticcloud.protocol.ElasticException;
import java.security.SecureRandom;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import org.springframework.stereotype.Component;

/**
 * What a configuration names besides itself: drives, avoided servers and drives, static
 * addresses and VLANs, and MAC addresses, which no two servers share. Callers hold the MAC
 * stripes of what they check until they commit ({@link ServerRows#naming}, {@link
 * ServerRows#reconfiguring}).
 */
@Component
class ServerReferences {
    private static final SecureRandom RANDOM = new SecureRandom();

    private final DriveAttachments attachments;
    private final ServerRepository servers;
    private final DriveService drives;
    private final ServerNetwork network;

    ServerReferences(DriveAttachments attachments, ServerRepository servers, DriveService drives,
                     ServerNetwork network) {
        this.attachments = attachments;
        this.servers = servers;
        this.drives = drives;
        this.network = network;
    }

    /** Drives readable, avoided servers and drives the user's own, resources and MACs as {@link ServerNetwork#check}. */
    ServerConfig check(UUID user, UUID id, ServerConfig config) {
        config.devices().forEach((device, d) -> attachments.attachable(user, device, d));
        for (UUID other : config.avoid("avoid:servers")) {
            servers.findById(other).filter(s -> s.owner().equals(user))
                    .orElseThrow(() -> ElasticException.usage("avoid:servers: no server %s", other));
        }
        for (UUID drive : config.avoid("avoid:drives")) {
            try {
                drives.owned(user, drive);
            } catch (ElasticException e) {
                throw ElasticException.usage("avoid:drives: no drive %s", drive);
            }
        }
        network.check(user, id, config);
        return config;
    }

    /** A random MAC (QEMU's 52:54:00 prefix) for each interface without one, by key; not checked yet. */
    static Map<String, String> freshMacs(ServerConfig config) {
        Map<String, String> macs = new LinkedHashMap<>();
        for (int nic = 0; nic <= 1; nic++) {
            String key = "nic:" + nic + ":mac";
            if (config.hasNic(nic) && config.get(key) == null) {
                macs.put(key, randomMac());
            }
        }
        return macs;
    }

    private static String randomMac() {
        return String.format("52:54:00:%02x:%02x:%02x", RANDOM.nextInt(256), RANDOM.nextInt(256), RANDOM.nextInt(256));
    }

    /** Whether another server has one of {@code macs}. */
    boolean anyTaken(Collection<String> macs) {
        return macs.stream().anyMatch(mac -> !servers.findByMac(mac).isEmpty());
    }

    /** Each interface without a MAC gets a random one no other server has, kept from then on (under every MAC stripe). */
    ServerConfig withMacs(ServerConfig config) {
        ServerConfig result = config;
        for (int nic = 0; nic <= 1; nic++) {
            String key = "nic:" + nic + ":mac";
            if (config.hasNic(nic) && config.get(key) == null) {
                String mac;
                do {
                    mac = randomMac();
                } while (!servers.findByMac(mac).isEmpty());
                result = result.withKey(key, mac);
            }
        }
        return result;
    }
}
