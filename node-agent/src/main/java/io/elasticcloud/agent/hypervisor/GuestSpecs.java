package io.elasticcloud.agent.hypervisor;

import io.elasticcloud.agent.network.HostNetwork;
import io.elasticcloud.protocol.ElasticException;
import io.elasticcloud.protocol.agent.DiskBus;
import io.elasticcloud.protocol.agent.GuestSpec;
import io.elasticcloud.protocol.agent.GuestSpec.CpuSpec;
import io.elasticcloud.protocol.agent.GuestSpec.DiskSpec;
import io.elasticcloud.protocol.agent.GuestSpec.NicSpec;
import io.elasticcloud.protocol.agent.GuestSpec.VlanSpec;
import io.elasticcloud.protocol.agent.GuestSpec.VncSpec;
import io.elasticcloud.protocol.agent.Media;
import io.elasticcloud.protocol.agent.NbdExport;
import io.elasticcloud.protocol.storage.Cipher;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Checks a {@link GuestSpec} before any hypervisor sees it, so that the real and the fake
 * hypervisor refuse the same specs with the same words ({@code usage}). Every value that reaches
 * the domain XML is checked here or escaped by the XML writer; nothing is trusted for being
 * "internal".
 */
public final class GuestSpecs {
    public static final int MAX_VCPUS = 128;
    public static final int MIN_MEMORY_MB = 16;
    public static final int MAX_MEMORY_MB = 4 * 1024 * 1024;
    public static final int MAX_NAME_LENGTH = 1024;

    private static final Pattern UUID = Pattern.compile("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}");
    private static final Pattern MAC = Pattern.compile("[0-9a-f]{2}(:[0-9a-f]{2}){5}");
    private static final Pattern NETWORK = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.-]{0,63}");
    private static final Pattern IPV4 = Pattern.compile(
            "((25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])\\.){3}(25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])");
    private static final Pattern IPV6 = Pattern.compile("[0-9a-fA-F:.]{2,45}");
    private static final Pattern HOST_NAME =
            Pattern.compile("[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?(\\.[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*");
    private static final Pattern EXPORT = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.-]{0,127}");
    private static final Pattern PRINTABLE = Pattern.compile("[\\x20-\\x7e]*");

    private GuestSpecs() {
    }

    /** @throws ElasticException {@code usage}, naming the first thing wrong */
    public static GuestSpec validate(GuestSpec spec) {
        if (spec == null) {
            throw ElasticException.usage("a start needs a guest spec");
        }
        server(spec.server());
        name(spec.name());
        cpu(spec.cpu());
        if (spec.memoryMb() < MIN_MEMORY_MB || spec.memoryMb() > MAX_MEMORY_MB) {
            throw ElasticException.usage("mem %d is outside %d-%d MB", spec.memoryMb(), MIN_MEMORY_MB, MAX_MEMORY_MB);
        }
        Set<String> keys = new HashSet<>();
        Set<String> paths = new HashSet<>();
        for (DiskSpec disk : list(spec.disks())) {
            disk(disk);
            if (!keys.add(disk.key())) {
                throw ElasticException.usage("device %s is given twice", disk.key());
            }
            if (!paths.add(disk.volume().source())) {
                throw ElasticException.usage("volume %s is attached twice", disk.volume().volume());
            }
        }
        Set<Integer> nics = new HashSet<>();
        Set<String> macs = new HashSet<>();
        Set<String> addresses = new HashSet<>();
        for (NicSpec nic : list(spec.nics())) {
            nic(nic);
            if (!nics.add(nic.index()) || !macs.add(nic.mac())) {
                throw ElasticException.usage("nic:%d or its MAC %s is given twice", nic.index(), nic.mac());
            }
            if (nic.dhcpIp() != null && !addresses.add(nic.dhcpIp())) {
                throw ElasticException.usage("DHCP address %s is given to two NICs", nic.dhcpIp());
            }
        }
        Set<String> boot = new HashSet<>();
        for (String key : list(spec.boot())) {
            if (!keys.contains(key)) {
                throw ElasticException.usage("boot device %s is not attached", key);
            }
            if (!boot.add(key)) {
                throw ElasticException.usage("boot device %s is given twice", key);
            }
        }
        if (spec.vnc() != null) {
            vnc(spec.vnc());
        }
        return spec;
    }

    /** A server UUID as the agent keeps it (lower-case). */
    public static String server(String server) {
        if (server == null || !UUID.matcher(server).matches()) {
            throw ElasticException.usage("'%s' is not a server UUID (lower-case)", server);
        }
        return server;
    }

    /** Any text XML 1.0 can carry; it is never interpreted, only escaped. */
    public static String name(String name) {
        if (name == null || name.isEmpty()) {
            throw ElasticException.usage("a server needs a name");
        }
        if (name.length() > MAX_NAME_LENGTH) {
            throw ElasticException.usage("name is longer than %d characters", MAX_NAME_LENGTH);
        }
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            boolean xmlChar = c == '\t' || c == '\n' || c == '\r' || (c >= 0x20 && c <= 0xd7ff)
                    || Character.isSurrogate(c) || (c >= 0xe000 && c <= 0xfffd);
            if (!xmlChar) {
                throw ElasticException.usage("name contains the control character U+%04X", (int) c);
            }
        }
        return name;
    }

    public static int mhz(int mhz) {
        if (mhz < 1 || mhz > 10_000_000) {
            throw ElasticException.usage("cpu %d MHz is out of range", mhz);
        }
        return mhz;
    }

    private static void cpu(CpuSpec cpu) {
        if (cpu == null) {
            throw ElasticException.usage("a server needs cpu and smp");
        }
        if (cpu.vcpus() < 1 || cpu.vcpus() > MAX_VCPUS) {
            throw ElasticException.usage("smp %d is outside 1-%d", cpu.vcpus(), MAX_VCPUS);
        }
        if (cpu.sockets() < 1 || cpu.cores() < 1 || cpu.sockets() * cpu.cores() != cpu.vcpus()) {
            throw ElasticException.usage("smp %d is not smp:sockets %d times smp:cores %d",
                    cpu.vcpus(), cpu.sockets(), cpu.cores());
        }
        mhz(cpu.mhz());
    }

    private static void disk(DiskSpec disk) {
        if (disk == null || disk.bus() == null || disk.media() == null || disk.volume() == null) {
            throw ElasticException.usage("a drive needs a bus, a media and a volume");
        }
        String key = disk.key();
        switch (disk.bus()) {
            case IDE -> {
                range(key, disk.controller(), 1, disk.unit(), 1);
                if (disk.readOnly() && disk.media() == Media.DISK) {
                    // QEMU's IDE hard disk cannot be read-only: it would be writable or not start
                    throw ElasticException.usage("%s cannot be a read-only disk: IDE has none (a cdrom, scsi or block can)",
                            key);
                }
            }
            case SCSI -> range(key, disk.controller(), 0, disk.unit(), 7);
            case BLOCK -> {
                range(key, disk.controller(), 0, disk.unit(), 7);
                if (disk.media() == Media.CDROM) {
                    throw ElasticException.usage("%s cannot be a cdrom: virtio-blk has no optical drives", key);
                }
            }
        }
        var volume = disk.volume();
        if (volume.nbd() != null) {
            if (volume.path() != null) {
                throw ElasticException.usage("%s: a volume is reached by path or by NBD, not both", key);
            }
            nbd(key, volume.nbd());
        } else if (volume.path() == null || volume.path().isEmpty() || !PRINTABLE.matcher(volume.path()).matches()
                || !volume.path().startsWith("/") || !Path.of(volume.path()).normalize().toString().equals(volume.path())) {
            throw ElasticException.usage("%s: '%s' is not a normalized absolute path", key, volume.path());
        }
        if (volume.cipher() == null) {
            throw ElasticException.usage("%s: a volume needs a cipher", key);
        }
        if (volume.cipher() == Cipher.NONE && volume.passphrase() != null) {
            throw ElasticException.usage("%s: a plain volume has no passphrase", key);
        }
        if (volume.cipher() != Cipher.NONE
                && (volume.passphrase() == null || volume.passphrase().isEmpty() || volume.passphrase().length() > 1024)) {
            throw ElasticException.usage("%s: an encrypted volume needs its passphrase", key);
        }
    }

    /** An export of a storage node: host name or IP address, port, export name of a safe alphabet. */
    private static void nbd(String key, NbdExport nbd) {
        String host = nbd.host();
        boolean address = host != null && (IPV4.matcher(host).matches()
                || host.contains(":") && IPV6.matcher(host).matches()
                || host.length() <= 253 && HOST_NAME.matcher(host).matches());
        if (!address) {
            throw ElasticException.usage("%s: NBD host '%s' is not a host name or IP address", key, host);
        }
        if (nbd.port() < 1 || nbd.port() > 65535) {
            throw ElasticException.usage("%s: NBD port %d is out of range", key, nbd.port());
        }
        if (nbd.export() == null || !EXPORT.matcher(nbd.export()).matches()) {
            throw ElasticException.usage("%s: '%s' is not an NBD export name", key, nbd.export());
        }
    }

    private static void range(String key, int controller, int maxController, int unit, int maxUnit) {
        if (controller < 0 || controller > maxController || unit < 0 || unit > maxUnit) {
            throw ElasticException.usage("device %s does not exist", key);
        }
    }

    private static void nic(NicSpec nic) {
        if (nic == null || nic.model() == null) {
            throw ElasticException.usage("a nic needs a model");
        }
        if (nic.index() < 0 || nic.index() > 1) {
            throw ElasticException.usage("nic:%d does not exist (0 public, 1 private)", nic.index());
        }
        if (nic.mac() == null || !MAC.matcher(nic.mac()).matches()) {
            throw ElasticException.usage("nic:%d: '%s' is not a MAC address (lower-case xx:xx:xx:xx:xx:xx)",
                    nic.index(), nic.mac());
        }
        if ((Integer.parseInt(nic.mac().substring(0, 2), 16) & 1) != 0) {
            throw ElasticException.usage("nic:%d: %s is a multicast MAC address", nic.index(), nic.mac());
        }
        if (nic.vlan() != null) {
            VlanSpec vlan = nic.vlan();
            if (vlan.id() == null || !UUID.matcher(vlan.id()).matches()) {
                throw ElasticException.usage("nic:%d: '%s' is not a VLAN UUID (lower-case)", nic.index(), vlan.id());
            }
            if (vlan.vni() < 1 || vlan.vni() > HostNetwork.MAX_VNI) {
                throw ElasticException.usage("nic:%d: VNI %d is outside 1-%d", nic.index(), vlan.vni(), HostNetwork.MAX_VNI);
            }
            if (nic.network() != null) {
                throw ElasticException.usage("nic:%d joins VLAN %s and network %s: one or the other", nic.index(),
                        vlan.id(), nic.network());
            }
            if (nic.dhcpIp() != null) {
                throw ElasticException.usage("nic:%d: a VLAN's NIC is offered no DHCP address by the host", nic.index());
            }
        } else if (nic.network() == null || !NETWORK.matcher(nic.network()).matches()) {
            throw ElasticException.usage("nic:%d: '%s' is not a network name", nic.index(), nic.network());
        }
        if (nic.dhcpIp() != null && !IPV4.matcher(nic.dhcpIp()).matches()) {
            throw ElasticException.usage("nic:%d: DHCP address '%s' is not an IPv4 address", nic.index(), nic.dhcpIp());
        }
    }

    private static void vnc(VncSpec vnc) {
        String listen = vnc.listen();
        boolean ip = listen != null && (IPV4.matcher(listen).matches()
                || (listen.contains(":") && IPV6.matcher(listen).matches()));
        if (!ip) {
            throw ElasticException.usage("vnc: '%s' is not an IP address", listen);
        }
        String password = vnc.password();
        if (password == null || password.isEmpty() || password.length() > 8 || !PRINTABLE.matcher(password).matches()) {
            throw ElasticException.usage("vnc:password must be 1-8 printable characters");
        }
    }

    /** The bus in lower case as libvirt writes it. */
    static String lower(DiskBus bus) {
        return bus.name().toLowerCase(Locale.ROOT);
    }

    private static <T> List<T> list(List<T> list) {
        return list == null ? List.of() : list;
    }
}
