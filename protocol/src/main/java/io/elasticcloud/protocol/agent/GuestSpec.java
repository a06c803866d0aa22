package io.elasticcloud.protocol.agent;

import java.util.List;

/**
 * Everything a node agent needs to start one guest: the API service's server configuration,
 * resolved to what this host understands (drive UUIDs to local volume paths, {@code smp:auto} to a
 * number, {@code nic:0:mac} to a MAC). Validated by the agent before anything is created.
 *
 * @param server   the server's UUID (lower-case); also the guest's identity on the host
 * @param name     the customer's name for it: free text, never interpreted
 * @param cpu      virtual processors and the CPU quota
 * @param memoryMb memory in MiB (API {@code mem})
 * @param disks    the attached drives, at most one per device key
 * @param nics     the network interfaces, by index (0 public, 1 private)
 * @param boot     device keys ({@code ide:0:0}, {@code scsi:0:2}, {@code block:1}) in boot order;
 *                 each must name one of {@code disks}. Empty: the first disk.
 * @param vnc      the console, or null for none
 */
public record GuestSpec(String server, String name, CpuSpec cpu, int memoryMb, List<DiskSpec> disks,
                        List<NicSpec> nics, List<String> boot, VncSpec vnc) {

    /**
     * @param vcpus   virtual processors; {@code sockets * cores} of them
     * @param sockets virtual sockets (API {@code smp:sockets})
     * @param cores   cores per socket (API {@code smp:cores})
     * @param mhz     CPU quota in core MHz (API {@code cpu}): the guest may use {@code mhz /
     *                hostMhz} of one host core, spread over its vCPUs
     */
    public record CpuSpec(int vcpus, int sockets, int cores, int mhz) {
    }

    /**
     * One drive attached to the guest.
     *
     * @param bus        {@code ide}, {@code scsi} (on a virtio-scsi controller) or {@code block}
     *                   (virtio-blk)
     * @param controller IDE bus 0-1; SCSI controller 0; for {@code block} always 0
     * @param unit       IDE unit 0-1, SCSI unit 0-7, {@code block} number 0-7
     * @param media      {@code disk} or {@code cdrom} (read-only optical drive)
     * @param volume     where its bytes are
     * @param readOnly   the guest must not write it (a standard drive, another customer's drive
     *                   shared through {@code readers}, any cdrom): the device is read-only and
     *                   shares the volume with one writer (the owner's guest). Always true for a
     *                   cdrom. The volume's NBD export, if any, is read-only as well. Absent (a
     *                   sender older than read-only attachments): false.
     */
    public record DiskSpec(DiskBus bus, int controller, int unit, Media media, VolumeAttachment volume,
                           Boolean readOnly) {
        public DiskSpec {
            readOnly = Boolean.TRUE.equals(readOnly) || media == Media.CDROM;
        }

        /** A drive the guest may write when it is a {@code disk} (its owner's guest). */
        public DiskSpec(DiskBus bus, int controller, int unit, Media media, VolumeAttachment volume) {
            this(bus, controller, unit, media, volume, false);
        }

        /** The API's device key: {@code ide:B:U}, {@code scsi:0:U} or {@code block:N}. */
        public String key() {
            return bus == DiskBus.BLOCK ? "block:" + unit : bus.apiName() + ":" + controller + ":" + unit;
        }
    }

    /**
     * @param index   0 for the public interface, 1 for the private one
     * @param model   the emulated card
     * @param mac     its MAC address, {@code xx:xx:xx:xx:xx:xx}, unicast
     * @param network the hypervisor network it joins (on this host); null for the agent's default
     *                ({@code elastic.agent.network}) or, with {@code vlan}, the VLAN's own network
     * @param dhcpIp  the public address the host's DHCP server offers this MAC (a host entry
     *                MAC → IP, held while the guest runs); null: the NIC is offered nothing
     *                (API {@code nic:0:dhcp} unset). Only on the public NIC.
     * @param vlan    the private network (customer VLAN) this NIC joins; null for the public one
     */
    public record NicSpec(int index, NicModel model, String mac, String network, String dhcpIp, VlanSpec vlan) {
        /** A NIC on {@code network} that is offered no address and joins no VLAN. */
        public NicSpec(int index, NicModel model, String mac, String network) {
            this(index, model, mac, network, null, null);
        }
    }

    /**
     * A customer's VLAN as the hosts carry it: an isolated layer-2 network, one bridge per VLAN on
     * each host, joined across hosts by VXLAN with {@code vni}.
     *
     * @param id  the VLAN resource's UUID (lower-case)
     * @param vni the VXLAN network identifier, 1 .. 16777215, unique per VLAN in the cloud
     */
    public record VlanSpec(String id, int vni) {
    }

    /**
     * @param listen   the IP address the VNC server listens on (port 5900 + display, chosen by
     *                 the host)
     * @param password at most 8 characters (the VNC protocol's limit)
     * @param tls      VeNCrypt x509 TLS required in addition to the password
     */
    public record VncSpec(String listen, String password, boolean tls) {
        /** Never the password: a spec may end up in a log line or an exception's message. */
        @Override
        public String toString() {
            return "VncSpec[listen=" + listen + ", password=" + (password == null ? "none" : "(set)") + ", tls=" + tls + "]";
        }
    }
}
