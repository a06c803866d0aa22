package io.elasticcloud.api.server;

import io.elasticcloud.protocol.agent.GuestInfo;
import io.elasticcloud.protocol.agent.GuestInfo.DiskCounters;
import io.elasticcloud.protocol.agent.GuestInfo.NicCounters;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** A server's info keys, in the order the API shows them. */
final class ServerView {
    private static final List<String> FIRST = List.of("name", "cpu", "smp", "mem", "persistent");
    private static final List<String> AFTER_DEVICES = List.of("boot", "nic:0:model", "nic:0:dhcp", "nic:0:mac",
            "nic:1:model", "nic:1:vlan", "nic:1:mac", "vnc", "vnc:password", "vnc:tls", "tags", "avoid:drives",
            "avoid:servers");

    private ServerView() {
    }

    /**
     * @param guest     what its host reports of it while it is on a host (counters), if it answered
     * @param network   the addresses it was given while it is on a host
     */
    static Map<String, String> info(Server server, Optional<GuestInfo> guest, ServerNetwork.Addresses network) {
        ServerConfig config = ServerConfig.of(server);
        Map<String, String> keys = config.keys();
        Map<String, String> info = new LinkedHashMap<>();
        info.put("name", keys.get("name"));
        info.put("server", server.id().toString());
        FIRST.stream().skip(1).forEach(k -> info.put(k, keys.get(k)));
        config.devices().forEach((device, d) -> {
            info.put(device, d.drive().toString());
            info.put(device + ":media", d.media());
        });
        AFTER_DEVICES.forEach(k -> {
            if (keys.containsKey(k)) {
                info.put(k, keys.get(k));
            }
        });
        info.put("status", server.status().apiName());
        info.put("user", server.owner().toString());
        if (server.status().onHost()) {
            info.put("started", Long.toString(server.startedAt().getEpochSecond()));
            info.put("smp:cores", server.smpCores().toString());
            info.put("smp:sockets", server.smpSockets().toString());
            if (network != null && network.dhcpIp() != null) {
                info.put("nic:0:dhcp:ip", network.dhcpIp());
                if (server.dhcpShowsAddress()) {
                    info.put("nic:0:dhcp", network.dhcpIp()); // the older dialect reads the address here
                }
            }
            if (network != null && network.vncIp() != null) {
                info.put("vnc:ip", network.vncIp());
            }
            guest.ifPresent(g -> counters(info, g));
        }
        keys.forEach((k, v) -> {
            if (k.startsWith("user:")) {
                info.put(k, v);
            }
        });
        return info;
    }

    private static void counters(Map<String, String> info, GuestInfo guest) {
        if (guest.vncPort() > 0) {
            info.put("vnc:port", Integer.toString(guest.vncPort()));
        }
        for (NicCounters nic : guest.nics()) {
            String p = "nic:" + nic.index() + ":";
            info.put(p + "rx", Long.toString(nic.rxBytes()));
            info.put(p + "tx", Long.toString(nic.txBytes()));
            info.put(p + "rx:bytes", Long.toString(nic.rxBytes()));
            info.put(p + "rx:packets", Long.toString(nic.rxPackets()));
            info.put(p + "tx:bytes", Long.toString(nic.txBytes()));
            info.put(p + "tx:packets", Long.toString(nic.txPackets()));
        }
        for (DiskCounters disk : guest.disks()) {
            String p = disk.device() + ":";
            info.put(p + "read:bytes", Long.toString(disk.readBytes()));
            info.put(p + "read:requests", Long.toString(disk.readRequests()));
            info.put(p + "write:bytes", Long.toString(disk.writeBytes()));
            info.put(p + "write:requests", Long.toString(disk.writeRequests()));
        }
    }
}
