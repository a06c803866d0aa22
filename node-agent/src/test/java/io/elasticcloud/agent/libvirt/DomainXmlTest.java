package io.elasticcloud.agent.libvirt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.elasticcloud.agent.network.HostNetwork;
import io.elasticcloud.protocol.ElasticException;
import io.elasticcloud.protocol.ErrorType;
import io.elasticcloud.protocol.agent.DiskBus;
import io.elasticcloud.protocol.agent.GuestSpec;
import io.elasticcloud.protocol.agent.GuestSpec.CpuSpec;
import io.elasticcloud.protocol.agent.GuestSpec.DiskSpec;
import io.elasticcloud.protocol.agent.GuestSpec.NicSpec;
import io.elasticcloud.protocol.agent.GuestSpec.VlanSpec;
import io.elasticcloud.protocol.agent.GuestSpec.VncSpec;
import io.elasticcloud.protocol.agent.Media;
import io.elasticcloud.protocol.agent.NbdExport;
import io.elasticcloud.protocol.agent.NicModel;
import io.elasticcloud.protocol.agent.VolumeAttachment;
import io.elasticcloud.protocol.storage.Cipher;
import java.io.StringReader;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.xpath.XPathConstants;
import javax.xml.xpath.XPathFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.w3c.dom.Document;
import org.xml.sax.InputSource;

class DomainXmlTest {
    private static final String SERVER = "3f1c9a52-8d7e-4b61-a0c4-9e2d5f6b7a18";
    static final DomainXml.Host HOST = new DomainXml.Host("qemu", 2000, Path.of("/var/log/elastic/c.log"),
            Map.of(), false);

    static DiskSpec disk(DiskBus bus, int controller, int unit, Media media) {
        return new DiskSpec(bus, controller, unit, media,
                new VolumeAttachment("v" + bus + controller + unit, "/vol/" + bus + "-" + controller + "-" + unit, Cipher.NONE, null));
    }

    static GuestSpec spec(UnaryOperator<GuestSpec> change) {
        GuestSpec base = new GuestSpec(SERVER, "web", new CpuSpec(2, 1, 2, 1000), 512,
                List.of(disk(DiskBus.IDE, 0, 0, Media.DISK)),
                List.of(new NicSpec(0, NicModel.E1000, "52:54:00:12:34:56", "public")), List.of(), null);
        return change.apply(base);
    }

    static GuestSpec withDisks(GuestSpec s, List<DiskSpec> disks, List<String> boot) {
        return new GuestSpec(s.server(), s.name(), s.cpu(), s.memoryMb(), disks, s.nics(), boot, s.vnc());
    }

    /** {@code s} with its NIC 0 (offered {@code dhcp0}, if given) and {@code second}. */
    private static GuestSpec nics(GuestSpec s, NicSpec second, String... dhcp0) {
        NicSpec first = new NicSpec(0, NicModel.E1000, "52:54:00:12:34:56", "public", dhcp0.length > 0 ? dhcp0[0] : null, null);
        return new GuestSpec(s.server(), s.name(), s.cpu(), s.memoryMb(), s.disks(), List.of(first, second), s.boot(), s.vnc());
    }

    static String xpath(String xml, String expression) throws Exception {
        DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
        Document doc = factory.newDocumentBuilder().parse(new InputSource(new StringReader(xml)));
        return (String) XPathFactory.newInstance().newXPath().evaluate(expression, doc, XPathConstants.STRING);
    }

    static Stream<Arguments> devices() {
        return Stream.of(
                Arguments.of(disk(DiskBus.IDE, 0, 0, Media.DISK), "hda", "ide", "disk", "0", "0"),
                Arguments.of(disk(DiskBus.IDE, 0, 1, Media.DISK), "hdb", "ide", "disk", "0", "1"),
                Arguments.of(disk(DiskBus.IDE, 1, 0, Media.CDROM), "hdc", "ide", "cdrom", "1", "0"),
                Arguments.of(disk(DiskBus.IDE, 1, 1, Media.DISK), "hdd", "ide", "disk", "1", "1"),
                Arguments.of(disk(DiskBus.SCSI, 0, 0, Media.DISK), "sda", "scsi", "disk", "0", "0"),
                Arguments.of(disk(DiskBus.SCSI, 0, 7, Media.CDROM), "sdh", "scsi", "cdrom", "0", "7"),
                Arguments.of(disk(DiskBus.BLOCK, 0, 0, Media.DISK), "vda", "virtio", "disk", "", ""),
                Arguments.of(disk(DiskBus.BLOCK, 0, 7, Media.DISK), "vdh", "virtio", "disk", "", ""));
    }

    @ParameterizedTest
    @MethodSource("devices")
    void everyBusAndUnitHasItsTargetAndAddress(DiskSpec disk, String dev, String bus, String device, String addrBus,
                                               String unit) throws Exception {
        String xml = DomainXml.build(withDisks(spec(s -> s), List.of(disk), List.of()), HOST);
        String d = "/domain/devices/disk[1]";
        assertThat(xpath(xml, d + "/target/@dev")).isEqualTo(dev);
        assertThat(xpath(xml, d + "/target/@bus")).isEqualTo(bus);
        assertThat(xpath(xml, d + "/@device")).isEqualTo(device);
        assertThat(xpath(xml, d + "/source/@file")).isEqualTo(disk.volume().path());
        assertThat(xpath(xml, d + "/address/@bus")).isEqualTo(addrBus);
        assertThat(xpath(xml, d + "/address/@unit")).isEqualTo(unit);
        assertThat(xpath(xml, "count(" + d + "/readonly)")).isEqualTo(disk.media() == Media.CDROM ? "1" : "0");
        assertThat(xpath(xml, "count(" + d + "/shareable)")).isEqualTo(disk.media() == Media.CDROM ? "1" : "0");
        assertThat(xpath(xml, "count(/domain/devices/controller[@type='scsi'][@model='virtio-scsi'])"))
                .isEqualTo(disk.bus() == DiskBus.SCSI ? "1" : "0");
        assertThat(xpath(xml, "/domain/metadata/*[local-name()='guest']/*[local-name()='disk']/@key")).isEqualTo(disk.key());
    }

    static Stream<Arguments> readOnlyDisks() {
        VolumeAttachment local = new VolumeAttachment("lib", "/vol/lib.raw", Cipher.NONE, null);
        VolumeAttachment exported = new VolumeAttachment("lib", null, Cipher.NONE, null, new NbdExport("192.0.2.20", 10811, "lib"));
        return Stream.of(
                Arguments.of(new DiskSpec(DiskBus.SCSI, 0, 2, Media.DISK, local, true), "sdc"),
                Arguments.of(new DiskSpec(DiskBus.BLOCK, 0, 1, Media.DISK, local, true), "vdb"),
                Arguments.of(new DiskSpec(DiskBus.BLOCK, 0, 1, Media.DISK, exported, true), "vdb"),
                Arguments.of(new DiskSpec(DiskBus.IDE, 1, 0, Media.CDROM, exported, false), "hdc"),
                Arguments.of(new DiskSpec(DiskBus.SCSI, 0, 0, Media.CDROM, local, false), "sda"));
    }

    /**
     * A disk the guest must not write (a library or shared drive, any cdrom) is read-only and
     * shareable, over NBD too, and is not among the sources the guest holds writable.
     */
    @ParameterizedTest
    @MethodSource("readOnlyDisks")
    void aReadOnlyDiskIsReadOnlyAndSharedWithItsWriter(DiskSpec disk, String dev) throws Exception {
        DiskSpec own = new DiskSpec(DiskBus.BLOCK, 0, 7, Media.DISK,
                new VolumeAttachment("own", "/vol/own.raw", Cipher.NONE, null), false);
        String xml = DomainXml.build(withDisks(spec(s -> s), List.of(disk, own), List.of()), HOST);
        String d = "/domain/devices/disk[target/@dev='" + dev + "']";
        assertThat(disk.readOnly()).isTrue();
        assertThat(xpath(xml, "count(" + d + "/readonly)")).isEqualTo("1");
        assertThat(xpath(xml, "count(" + d + "/shareable)")).isEqualTo("1");
        String w = "/domain/devices/disk[target/@dev='vdh']";
        assertThat(xpath(xml, "count(" + w + "/readonly)")).isEqualTo("0");
        assertThat(xpath(xml, "count(" + w + "/shareable)")).isEqualTo("0");
        assertThat(DomainMetadata.parse(xml).orElseThrow().writableSources()).containsExactly("/vol/own.raw");
    }

    @Test
    void anIdeHardDiskCannotBeReadOnly() {
        DiskSpec ide = new DiskSpec(DiskBus.IDE, 0, 1, Media.DISK,
                new VolumeAttachment("lib", "/vol/lib.raw", Cipher.NONE, null), true);
        assertThatThrownBy(() -> DomainXml.build(withDisks(spec(s -> s), List.of(ide), List.of()), HOST))
                .isInstanceOfSatisfying(ElasticException.class, e -> {
                    assertThat(e.type()).isEqualTo(ErrorType.USAGE);
                    assertThat(e.getMessage()).contains("ide:0:1 cannot be a read-only disk");
                });
    }

    @Test
    void bootOrderFollowsTheListAndDefaultsToTheFirstDisk() throws Exception {
        List<DiskSpec> disks = List.of(disk(DiskBus.IDE, 0, 0, Media.DISK), disk(DiskBus.SCSI, 0, 2, Media.CDROM),
                disk(DiskBus.BLOCK, 0, 1, Media.DISK));
        String xml = DomainXml.build(withDisks(spec(s -> s), disks, List.of("scsi:0:2", "ide:0:0")), HOST);
        assertThat(xpath(xml, "/domain/devices/disk[target/@dev='sdc']/boot/@order")).isEqualTo("1");
        assertThat(xpath(xml, "/domain/devices/disk[target/@dev='hda']/boot/@order")).isEqualTo("2");
        assertThat(xpath(xml, "count(/domain/devices/disk[target/@dev='vdb']/boot)")).isEqualTo("0");
        assertThat(xpath(xml, "count(/domain/os/boot)")).isEqualTo("0");

        String byDefault = DomainXml.build(withDisks(spec(s -> s), disks, List.of()), HOST);
        assertThat(xpath(byDefault, "/domain/devices/disk[target/@dev='hda']/boot/@order")).isEqualTo("1");
        assertThat(xpath(byDefault, "count(/domain/devices/disk/boot)")).isEqualTo("1");
    }

    @ParameterizedTest
    @MethodSource("nicModels")
    void nicsJoinTheirNetworkWithModelAndMac(NicModel model, String libvirtModel) throws Exception {
        GuestSpec s = spec(b -> new GuestSpec(b.server(), b.name(), b.cpu(), b.memoryMb(), b.disks(),
                List.of(new NicSpec(0, model, "52:54:00:aa:bb:cc", "elastic-public"),
                        new NicSpec(1, NicModel.VIRTIO, "52:54:00:aa:bb:cd", "vlan-7")), b.boot(), b.vnc()));
        String xml = DomainXml.build(s, HOST);
        assertThat(xpath(xml, "/domain/devices/interface[1]/@type")).isEqualTo("network");
        assertThat(xpath(xml, "/domain/devices/interface[1]/model/@type")).isEqualTo(libvirtModel);
        assertThat(xpath(xml, "/domain/devices/interface[1]/mac/@address")).isEqualTo("52:54:00:aa:bb:cc");
        assertThat(xpath(xml, "/domain/devices/interface[1]/source/@network")).isEqualTo("elastic-public");
        assertThat(xpath(xml, "/domain/devices/interface[2]/source/@network")).isEqualTo("vlan-7");
    }

    @Test
    void aVlanNicIsABridgeInterfaceOnItsVlansBridgeAndTheMetadataKeepsWhatTheHostNeeds() throws Exception {
        String vlan = "0c7f3b1e-2a4d-4e8f-9b61-5d3c2e1f0a9b";
        GuestSpec s = spec(b -> new GuestSpec(b.server(), b.name(), b.cpu(), b.memoryMb(), b.disks(),
                List.of(new NicSpec(0, NicModel.E1000, "52:54:00:aa:bb:cc", "elastic-public", "169.254.10.50", null),
                        new NicSpec(1, NicModel.VIRTIO, "52:54:00:aa:bb:cd", null, null, new VlanSpec(vlan, 0x2a))),
                b.boot(), b.vnc()));
        String xml = DomainXml.build(s, HOST);
        assertThat(xpath(xml, "/domain/devices/interface[2]/@type")).isEqualTo("bridge");
        assertThat(xpath(xml, "/domain/devices/interface[2]/source/@bridge")).isEqualTo("evl00002a");
        assertThat(xpath(xml, "count(/domain/devices/interface[2]/source/@network)")).isEqualTo("0");
        assertThat(xpath(xml, "/domain/devices/interface[2]/mac/@address")).isEqualTo("52:54:00:aa:bb:cd");
        assertThat(xpath(xml, "/domain/devices/interface[1]/source/@network")).isEqualTo("elastic-public");
        assertThat(DomainMetadata.parse(xml).orElseThrow().nics()).containsExactly(
                new DomainMetadata.Nic(0, "52:54:00:aa:bb:cc", "elastic-public", "169.254.10.50", 0),
                new DomainMetadata.Nic(1, "52:54:00:aa:bb:cd", null, null, 0x2a));
        assertThat(HostNetwork.bridge(HostNetwork.MAX_VNI)).isEqualTo("evlffffff").hasSizeLessThanOrEqualTo(15);
        assertThat(HostNetwork.vxlan(1)).isEqualTo("evx000001");
        assertThat(HostNetwork.vniOf("evl00002a")).isEqualTo(42);
        assertThat(HostNetwork.vniOf("evl00002a0")).isEqualTo(-1);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("filters")
    void everyNicCarriesAFilterAgainstSpoofing(String what, NicSpec nic, String filter, String ip, String learning)
            throws Exception {
        GuestSpec s = spec(b -> new GuestSpec(b.server(), b.name(), b.cpu(), b.memoryMb(), b.disks(), List.of(nic),
                b.boot(), b.vnc()));
        String xml = DomainXml.build(s, HOST);
        assertThat(xpath(xml, "count(/domain/devices/interface/filterref)")).isEqualTo("1");
        assertThat(xpath(xml, "/domain/devices/interface/filterref/@filter")).isEqualTo(filter);
        assertThat(xpath(xml, "/domain/devices/interface/filterref/parameter[@name='IP']/@value")).isEqualTo(ip);
        assertThat(xpath(xml, "/domain/devices/interface/filterref/parameter[@name='CTRL_IP_LEARNING']/@value"))
                .isEqualTo(learning);
        assertThat(xpath(xml, "count(/domain/devices/interface/filterref/parameter)"))
                .isEqualTo(ip.isEmpty() ? "0" : "2");
    }

    static Stream<Arguments> filters() {
        VlanSpec vlan = new VlanSpec("0c7f3b1e-2a4d-4e8f-9b61-5d3c2e1f0a9b", 7);
        return Stream.of(
                Arguments.of("public NIC with its address: that address only, nothing learned",
                        new NicSpec(0, NicModel.E1000, "52:54:00:aa:bb:cc", "elastic-public", "169.254.10.50", null),
                        "elastic-public", "169.254.10.50", "none"),
                Arguments.of("public NIC given no address: no address at all, nothing learned",
                        new NicSpec(0, NicModel.VIRTIO, "52:54:00:aa:bb:cc", "elastic-public"),
                        "elastic-public", "0.0.0.0", "none"),
                Arguments.of("VLAN NIC: its own MAC only, its addresses its customer's",
                        new NicSpec(1, NicModel.VIRTIO, "52:54:00:aa:bb:cd", null, null, vlan),
                        "no-mac-spoofing", "", ""));
    }

    static Stream<Arguments> nicModels() {
        return Stream.of(Arguments.of(NicModel.E1000, "e1000"), Arguments.of(NicModel.RTL8139, "rtl8139"),
                Arguments.of(NicModel.VIRTIO, "virtio"));
    }

    @Test
    void vncListensWithItsPasswordAndTlsNeedsTheHostsTls() throws Exception {
        GuestSpec s = spec(b -> new GuestSpec(b.server(), b.name(), b.cpu(), b.memoryMb(), b.disks(), b.nics(), b.boot(),
                new VncSpec("192.0.2.10", "p'w\"<&", true)));
        String xml = DomainXml.build(s, new DomainXml.Host("kvm", 2000, null, Map.of(), true));
        assertThat(xpath(xml, "/domain/devices/graphics/@type")).isEqualTo("vnc");
        assertThat(xpath(xml, "/domain/devices/graphics/@passwd")).isEqualTo("p'w\"<&");
        assertThat(xpath(xml, "/domain/devices/graphics/listen/@address")).isEqualTo("192.0.2.10");
        assertThat(xpath(xml, "/domain/@type")).isEqualTo("kvm");
        assertThat(xpath(xml, "count(/domain/devices/serial)")).isEqualTo("0");
        assertThatThrownBy(() -> DomainXml.build(s, HOST))
                .isInstanceOfSatisfying(ElasticException.class, e -> assertThat(e.type()).isEqualTo(ErrorType.FAILED));
        assertThat(xpath(DomainXml.build(spec(b -> b), HOST), "count(/domain/devices/graphics)")).isEqualTo("0");
    }

    @Test
    void vncTlsGivesThatGuestAloneX509CredentialsFromTheHostsDirectory() throws Exception {
        GuestSpec tls = spec(b -> new GuestSpec(b.server(), b.name(), b.cpu(), b.memoryMb(), b.disks(), b.nics(), b.boot(),
                new VncSpec("127.0.0.1", "pw", true)));
        DomainXml.Host host = new DomainXml.Host("qemu", 2000, null, Map.of(), Path.of("/etc/pki/vnc"), "node-a");
        String xml = DomainXml.build(tls, host);
        assertThat(xml).as(xml).contains("<qemu:commandline>");
        assertThat(xpath(xml, "count(/domain/*[name()='qemu:commandline']/*[name()='qemu:arg'])")).isEqualTo("4");
        List<String> args = new java.util.ArrayList<>();
        for (int i = 1; i <= 4; i++) {
            args.add(xpath(xml, "/domain/*[name()='qemu:commandline']/*[name()='qemu:arg'][" + i + "]/@value"));
        }
        assertThat(args).containsExactly("-object",
                "tls-creds-x509,id=elastic-vnc-tls,dir=/etc/pki/vnc,endpoint=server,verify-peer=off",
                "-set", "vnc.default.tls-creds=elastic-vnc-tls");
        assertThat(xml).contains("xmlns:qemu=\"" + DomainXml.QEMU_NAMESPACE + "\"");
        assertThat(xpath(xml, "/domain/devices/graphics/@passwd")).isEqualTo("pw");

        GuestSpec plain = spec(b -> new GuestSpec(b.server(), b.name(), b.cpu(), b.memoryMb(), b.disks(), b.nics(), b.boot(),
                new VncSpec("127.0.0.1", "pw", false)));
        assertThat(xpath(DomainXml.build(plain, host), "count(/domain/*[name()='qemu:commandline'])"))
                .as("vnc:tls off on a TLS host: plain VNC authentication").isEqualTo("0");
        // a directory QEMU's option syntax would split is refused, not passed on
        assertThatThrownBy(() -> DomainXml.build(tls, new DomainXml.Host("qemu", 2000, null, Map.of(),
                Path.of("/etc/pki/a,dir=/tmp"), "node-a")))
                .isInstanceOfSatisfying(ElasticException.class, e -> assertThat(e.type()).isEqualTo(ErrorType.FAILED));
    }

    @Test
    void theAgentsNodeIsInTheMetadata() throws Exception {
        String xml = DomainXml.build(spec(b -> b), new DomainXml.Host("qemu", 2000, null, Map.of(), null, "node <a>"));
        assertThat(DomainMetadata.parse(xml).orElseThrow().node()).isEqualTo("node <a>");
        assertThat(DomainMetadata.parse(DomainXml.build(spec(b -> b), HOST)).orElseThrow().node()).isNull();
    }

    static Stream<Arguments> quotas() {
        // mhz, vcpus, host MHz, expected quota per vCPU (period 100000 us; -1 = no cputune)
        return Stream.of(
                Arguments.of(1000, 1, 2000, 50_000L),
                Arguments.of(1000, 2, 2000, 25_000L),
                Arguments.of(3000, 2, 2000, 75_000L),
                Arguments.of(4000, 2, 2000, -1L),
                Arguments.of(9000, 2, 2000, -1L),
                Arguments.of(1, 4, 2600, 1_000L));
    }

    @ParameterizedTest
    @MethodSource("quotas")
    void cpuQuotaIsTheShareOfOneHostCoreSpreadOverTheVcpus(int mhz, int vcpus, int hostMhz, long quota) throws Exception {
        GuestSpec s = spec(b -> new GuestSpec(b.server(), b.name(), new CpuSpec(vcpus, 1, vcpus, mhz), b.memoryMb(),
                b.disks(), b.nics(), b.boot(), b.vnc()));
        String xml = DomainXml.build(s, new DomainXml.Host("qemu", hostMhz, null, Map.of(), false));
        assertThat(DomainXml.quotaUs(mhz, vcpus, hostMhz)).isEqualTo(quota);
        if (quota < 0) {
            assertThat(xpath(xml, "count(/domain/cputune)")).isEqualTo("0");
        } else {
            assertThat(xpath(xml, "/domain/cputune/period")).isEqualTo("100000");
            assertThat(xpath(xml, "/domain/cputune/quota")).isEqualTo(Long.toString(quota));
        }
        assertThat(xpath(xml, "/domain/vcpu")).isEqualTo(Integer.toString(vcpus));
        assertThat(xpath(xml, "/domain/cpu/topology/@cores")).isEqualTo(Integer.toString(vcpus));
        assertThat(xpath(xml, "/domain/cpu/topology/@sockets")).isEqualTo("1");
    }

    @Test
    void aNameIsOnlyEverTextEscapedInTheMetadata() throws Exception {
        String evil = "</name><devices><disk type='block'><source dev='/dev/sda'/></disk></devices>&amp;\"'";
        GuestSpec s = spec(b -> new GuestSpec(b.server(), evil, b.cpu(), b.memoryMb(), b.disks(), b.nics(), b.boot(), b.vnc()));
        String xml = DomainXml.build(s, HOST);
        assertThat(xpath(xml, "/domain/name")).isEqualTo("elastic-" + SERVER);
        assertThat(xpath(xml, "/domain/uuid")).isEqualTo(SERVER);
        assertThat(xpath(xml, "count(/domain/devices/disk)")).isEqualTo("1");
        assertThat(xpath(xml, "count(//source[@dev])")).isEqualTo("0");
        DomainMetadata meta = DomainMetadata.parse(xml).orElseThrow();
        assertThat(meta.name()).isEqualTo(evil);
        assertThat(meta.server()).isEqualTo(SERVER);
        assertThat(meta.cpuMhz()).isEqualTo(1000);
        assertThat(meta.console()).isEqualTo("/var/log/elastic/c.log");
        assertThat(meta.spec()).isEqualTo(DomainXml.fingerprint(s));
        assertThat(meta.nics()).containsExactly(new DomainMetadata.Nic(0, "52:54:00:12:34:56", "public", null, 0));
    }

    static Stream<Arguments> invalid() {
        return Stream.of(
                Arguments.of("server", (UnaryOperator<GuestSpec>) b -> new GuestSpec("../etc", b.name(), b.cpu(), b.memoryMb(), b.disks(), b.nics(), b.boot(), b.vnc())),
                Arguments.of("control character", (UnaryOperator<GuestSpec>) b -> new GuestSpec(b.server(), "a\u0001b", b.cpu(), b.memoryMb(), b.disks(), b.nics(), b.boot(), b.vnc())),
                Arguments.of("smp", (UnaryOperator<GuestSpec>) b -> new GuestSpec(b.server(), b.name(), new CpuSpec(3, 1, 2, 1000), b.memoryMb(), b.disks(), b.nics(), b.boot(), b.vnc())),
                Arguments.of("mem", (UnaryOperator<GuestSpec>) b -> new GuestSpec(b.server(), b.name(), b.cpu(), 1, b.disks(), b.nics(), b.boot(), b.vnc())),
                Arguments.of("ide:2:0", (UnaryOperator<GuestSpec>) b -> withDisks(b, List.of(disk(DiskBus.IDE, 2, 0, Media.DISK)), List.of())),
                Arguments.of("scsi:0:8", (UnaryOperator<GuestSpec>) b -> withDisks(b, List.of(disk(DiskBus.SCSI, 0, 8, Media.DISK)), List.of())),
                Arguments.of("cdrom", (UnaryOperator<GuestSpec>) b -> withDisks(b, List.of(disk(DiskBus.BLOCK, 0, 0, Media.CDROM)), List.of())),
                Arguments.of("twice", (UnaryOperator<GuestSpec>) b -> withDisks(b, List.of(disk(DiskBus.IDE, 0, 0, Media.DISK), disk(DiskBus.IDE, 0, 0, Media.DISK)), List.of())),
                Arguments.of("boot device", (UnaryOperator<GuestSpec>) b -> withDisks(b, b.disks(), List.of("ide:1:1"))),
                Arguments.of("path", (UnaryOperator<GuestSpec>) b -> withDisks(b, List.of(new DiskSpec(DiskBus.IDE, 0, 0, Media.DISK, new VolumeAttachment("v", "/vol/../etc/shadow", Cipher.NONE, null))), List.of())),
                Arguments.of("passphrase", (UnaryOperator<GuestSpec>) b -> withDisks(b, List.of(new DiskSpec(DiskBus.IDE, 0, 0, Media.DISK, new VolumeAttachment("v", "/vol/v", Cipher.AES_XTS_PLAIN, null))), List.of())),
                Arguments.of("MAC", (UnaryOperator<GuestSpec>) b -> new GuestSpec(b.server(), b.name(), b.cpu(), b.memoryMb(), b.disks(), List.of(new NicSpec(0, NicModel.E1000, "52:54:00:12:34:5g", "public")), b.boot(), b.vnc())),
                Arguments.of("multicast", (UnaryOperator<GuestSpec>) b -> new GuestSpec(b.server(), b.name(), b.cpu(), b.memoryMb(), b.disks(), List.of(new NicSpec(0, NicModel.E1000, "01:00:5e:00:00:01", "public")), b.boot(), b.vnc())),
                Arguments.of("network", (UnaryOperator<GuestSpec>) b -> new GuestSpec(b.server(), b.name(), b.cpu(), b.memoryMb(), b.disks(), List.of(new NicSpec(0, NicModel.E1000, "52:54:00:12:34:56", "pub'><x")), b.boot(), b.vnc())),
                Arguments.of("nic:2", (UnaryOperator<GuestSpec>) b -> new GuestSpec(b.server(), b.name(), b.cpu(), b.memoryMb(), b.disks(), List.of(new NicSpec(2, NicModel.E1000, "52:54:00:12:34:56", "public")), b.boot(), b.vnc())),
                Arguments.of("VNI", (UnaryOperator<GuestSpec>) b -> nics(b, new NicSpec(1, NicModel.E1000, "52:54:00:12:34:57", null, null, new VlanSpec("0c7f3b1e-2a4d-4e8f-9b61-5d3c2e1f0a9b", 0)))),
                Arguments.of("VNI", (UnaryOperator<GuestSpec>) b -> nics(b, new NicSpec(1, NicModel.E1000, "52:54:00:12:34:57", null, null, new VlanSpec("0c7f3b1e-2a4d-4e8f-9b61-5d3c2e1f0a9b", 1 << 24)))),
                Arguments.of("VLAN UUID", (UnaryOperator<GuestSpec>) b -> nics(b, new NicSpec(1, NicModel.E1000, "52:54:00:12:34:57", null, null, new VlanSpec("evl'/><x", 5)))),
                Arguments.of("one or the other", (UnaryOperator<GuestSpec>) b -> nics(b, new NicSpec(1, NicModel.E1000, "52:54:00:12:34:57", "public", null, new VlanSpec("0c7f3b1e-2a4d-4e8f-9b61-5d3c2e1f0a9b", 5)))),
                Arguments.of("no DHCP address", (UnaryOperator<GuestSpec>) b -> nics(b, new NicSpec(1, NicModel.E1000, "52:54:00:12:34:57", null, "169.254.10.9", new VlanSpec("0c7f3b1e-2a4d-4e8f-9b61-5d3c2e1f0a9b", 5)))),
                Arguments.of("not an IPv4 address", (UnaryOperator<GuestSpec>) b -> nics(b, new NicSpec(1, NicModel.E1000, "52:54:00:12:34:57", "public", "169.254.10.9'/><x", null))),
                Arguments.of("given to two NICs", (UnaryOperator<GuestSpec>) b -> nics(b, new NicSpec(1, NicModel.E1000, "52:54:00:12:34:57", "public", "169.254.10.9", null), "169.254.10.9")),
                Arguments.of("IP address", (UnaryOperator<GuestSpec>) b -> new GuestSpec(b.server(), b.name(), b.cpu(), b.memoryMb(), b.disks(), b.nics(), b.boot(), new VncSpec("example.com", "pw", false))),
                Arguments.of("vnc:password", (UnaryOperator<GuestSpec>) b -> new GuestSpec(b.server(), b.name(), b.cpu(), b.memoryMb(), b.disks(), b.nics(), b.boot(), new VncSpec("192.0.2.1", "123456789", false))));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("invalid")
    void invalidSpecsAreUsageErrorsNamingTheProblem(String words, UnaryOperator<GuestSpec> change) {
        assertThatThrownBy(() -> DomainXml.build(spec(change), HOST))
                .isInstanceOfSatisfying(ElasticException.class, e -> {
                    assertThat(e.type()).isEqualTo(ErrorType.USAGE);
                    assertThat(e.getMessage()).contains(words);
                });
    }

    @Test
    void theFingerprintIgnoresWhatChangesLive() {
        GuestSpec a = spec(b -> b);
        GuestSpec renamed = new GuestSpec(a.server(), "other", new CpuSpec(2, 1, 2, 3000), a.memoryMb(), a.disks(),
                a.nics(), a.boot(), a.vnc());
        GuestSpec bigger = new GuestSpec(a.server(), a.name(), a.cpu(), 1024, a.disks(), a.nics(), a.boot(), a.vnc());
        assertThat(DomainXml.fingerprint(renamed)).isEqualTo(DomainXml.fingerprint(a));
        assertThat(DomainXml.fingerprint(bigger)).isNotEqualTo(DomainXml.fingerprint(a));
    }

    @Test
    void autoChoosesKvmOnlyWithHardwareVirtualizationAndNotOnPvm() {
        String caps = "<guest><arch name='x86_64'><domain type='qemu'/><domain type='kvm'/></arch></guest>";
        String vmx = "processor : 0\nflags : fpu vme vmx sse\n";
        assertThat(DomainTypes.detect(caps, vmx, false)).isEqualTo("kvm");
        assertThat(DomainTypes.detect(caps, vmx, true)).isEqualTo("qemu");
        assertThat(DomainTypes.detect(caps, "flags : fpu hypervisor\n", false)).isEqualTo("qemu");
        assertThat(DomainTypes.detect("<domain type='qemu'/>", vmx, false)).isEqualTo("qemu");
        assertThat(DomainTypes.resolve("kvm", "")).isEqualTo("kvm");
        assertThatThrownBy(() -> DomainTypes.resolve("xen", "")).isInstanceOf(IllegalArgumentException.class);
    }
}
