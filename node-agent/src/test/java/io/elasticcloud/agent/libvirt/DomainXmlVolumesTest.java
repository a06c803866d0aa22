package io.elasticcloud.agent.libvirt;

import static io.elasticcloud.agent.libvirt.DomainXmlTest.HOST;
import static io.elasticcloud.agent.libvirt.DomainXmlTest.disk;
import static io.elasticcloud.agent.libvirt.DomainXmlTest.spec;
import static io.elasticcloud.agent.libvirt.DomainXmlTest.withDisks;
import static io.elasticcloud.agent.libvirt.DomainXmlTest.xpath;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.elasticcloud.protocol.ElasticException;
import io.elasticcloud.protocol.ErrorType;
import io.elasticcloud.protocol.agent.DiskBus;
import io.elasticcloud.protocol.agent.GuestSpec;
import io.elasticcloud.protocol.agent.GuestSpec.DiskSpec;
import io.elasticcloud.protocol.agent.Media;
import io.elasticcloud.protocol.agent.NbdExport;
import io.elasticcloud.protocol.agent.VolumeAttachment;
import io.elasticcloud.protocol.storage.Cipher;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A guest's volumes in its domain ({@link DomainXml}): an encrypted one refers to its libvirt
 * secret and its passphrase never appears; one of another storage host is a network disk on its NBD
 * export, with TLS when the export requires it, the export validated before any XML. The devices,
 * NICs, console and CPU are {@link DomainXmlTest}'s.
 */
class DomainXmlVolumesTest {
    @Test
    void encryptedDisksReferToTheirSecretAndThePassphraseNeverAppears() throws Exception {
        DiskSpec luks = new DiskSpec(DiskBus.BLOCK, 0, 1, Media.DISK,
                new VolumeAttachment("v1", "/vol/v1.luks", Cipher.AES_XTS_PLAIN, "the-passphrase"));
        GuestSpec s = withDisks(spec(b -> b), List.of(luks), List.of());
        String secret = "0b6d3c1e-7c2a-4a8e-9f51-3d2e1f0a9b8c";
        String xml = DomainXml.build(s, new DomainXml.Host("qemu", 2000, null, Map.of("block:1", secret), false));
        assertThat(xpath(xml, "/domain/devices/disk/source/encryption/@format")).isEqualTo("luks");
        assertThat(xpath(xml, "/domain/devices/disk/source/encryption/secret/@type")).isEqualTo("passphrase");
        assertThat(xpath(xml, "/domain/devices/disk/source/encryption/secret/@uuid")).isEqualTo(secret);
        assertThat(xml).doesNotContain("the-passphrase");
        assertThat(DomainMetadata.parse(xml).orElseThrow().disks())
                .containsExactly(new DomainMetadata.Disk("block:1", "vdb", secret));
        assertThat(s.toString()).doesNotContain("the-passphrase");
    }

    private static DiskSpec nbdDisk(DiskBus bus, int unit, Media media, NbdExport nbd, Cipher cipher, String passphrase) {
        return new DiskSpec(bus, 0, unit, media, new VolumeAttachment("nbd-" + unit, null, cipher, passphrase, nbd));
    }

    @Test
    void aVolumeOfAnotherStorageHostIsANetworkDiskOnItsNbdExport() throws Exception {
        DiskSpec raw = nbdDisk(DiskBus.SCSI, 2, Media.CDROM, new NbdExport("storage-b.example.net", 10809, "0c2b5e9a-raw"),
                Cipher.NONE, null);
        DiskSpec luks = nbdDisk(DiskBus.BLOCK, 1, Media.DISK, new NbdExport("192.0.2.20", 10810, "7e0d4a11-enc"),
                Cipher.AES_XTS_PLAIN, "the-passphrase");
        DiskSpec local = disk(DiskBus.IDE, 0, 0, Media.DISK);
        String secret = "0b6d3c1e-7c2a-4a8e-9f51-3d2e1f0a9b8c";
        GuestSpec s = withDisks(spec(b -> b), List.of(local, raw, luks), List.of("scsi:0:2"));

        String xml = DomainXml.build(s, new DomainXml.Host("qemu", 2000, null, Map.of("block:1", secret), false));

        assertThat(xpath(xml, "/domain/devices/disk[1]/@type")).isEqualTo("file");
        String r = "/domain/devices/disk[target/@dev='sdc']";
        assertThat(xpath(xml, r + "/@type")).isEqualTo("network");
        assertThat(xpath(xml, r + "/@device")).isEqualTo("cdrom");
        assertThat(xpath(xml, r + "/driver/@type")).isEqualTo("raw");
        assertThat(xpath(xml, r + "/source/@protocol")).isEqualTo("nbd");
        assertThat(xpath(xml, r + "/source/@name")).isEqualTo("0c2b5e9a-raw");
        assertThat(xpath(xml, r + "/source/@file")).isEmpty();
        assertThat(xpath(xml, r + "/source/host/@name")).isEqualTo("storage-b.example.net");
        assertThat(xpath(xml, r + "/source/host/@port")).isEqualTo("10809");
        assertThat(xpath(xml, "count(" + r + "/source/encryption)")).isEqualTo("0");
        assertThat(xpath(xml, r + "/boot/@order")).isEqualTo("1");
        String e = "/domain/devices/disk[target/@dev='vdb']";
        assertThat(xpath(xml, e + "/@type")).isEqualTo("network");
        assertThat(xpath(xml, e + "/source/host/@name")).isEqualTo("192.0.2.20");
        assertThat(xpath(xml, e + "/source/host/@port")).isEqualTo("10810");
        assertThat(xpath(xml, e + "/source/encryption/@format")).isEqualTo("luks");
        assertThat(xpath(xml, e + "/source/encryption/secret/@uuid")).isEqualTo(secret);
        assertThat(xml).doesNotContain("the-passphrase");
        // the cdrom is read-only: not held writable
        assertThat(DomainMetadata.parse(xml).orElseThrow().writableSources()).containsExactly(local.volume().path(),
                "nbd://192.0.2.20:10810/7e0d4a11-enc");
    }

    @ParameterizedTest(name = "tls={0} {1} {2}")
    @CsvSource({
        "true,  NONE,          DISK,  yes",
        "true,  AES_XTS_PLAIN, DISK,  yes",
        "true,  NONE,          CDROM, yes",
        "false, NONE,          DISK,  no",
        "false, AES_XTS_PLAIN, CDROM, no",
    })
    void anExportThatRequiresTlsIsReachedWithTlsAndOneThatDoesNotWithout(boolean tls, Cipher cipher, Media media,
                                                                         String attribute) throws Exception {
        DiskSpec disk = nbdDisk(DiskBus.SCSI, 1, media, new NbdExport("192.0.2.20", 10810, "v", tls), cipher,
                cipher == Cipher.NONE ? null : "the-passphrase");
        GuestSpec s = withDisks(spec(b -> b), List.of(disk), List.of());
        String secret = "0b6d3c1e-7c2a-4a8e-9f51-3d2e1f0a9b8c";

        String xml = DomainXml.build(s, new DomainXml.Host("qemu", 2000, null, Map.of("scsi:0:1", secret), false));

        String source = "/domain/devices/disk[target/@dev='sdb']/source";
        assertThat(xpath(xml, source + "/@tls")).isEqualTo(attribute);
        assertThat(xpath(xml, source + "/@protocol")).isEqualTo("nbd");
        assertThat(xpath(xml, "count(" + source + "/encryption)")).isEqualTo(cipher == Cipher.NONE ? "0" : "1");
        // the same export with or without TLS is the same volume to the agent's bookkeeping
        if (media == Media.DISK) {
            assertThat(DomainMetadata.parse(xml).orElseThrow().writableSources()).containsExactly("nbd://192.0.2.20:10810/v");
        }
    }

    static Stream<Arguments> invalidExports() {
        return Stream.of(
                Arguments.of(new NbdExport("storage'/><x", 10809, "v"), "NBD host"),
                Arguments.of(new NbdExport("-storage", 10809, "v"), "NBD host"),
                Arguments.of(new NbdExport(null, 10809, "v"), "NBD host"),
                Arguments.of(new NbdExport("a".repeat(64) + ".example", 10809, "v"), "NBD host"),
                Arguments.of(new NbdExport("192.0.2.20", 0, "v"), "NBD port"),
                Arguments.of(new NbdExport("192.0.2.20", 65536, "v"), "NBD port"),
                Arguments.of(new NbdExport("192.0.2.20", 10809, "v'/><x"), "export name"),
                Arguments.of(new NbdExport("192.0.2.20", 10809, "../v"), "export name"),
                Arguments.of(new NbdExport("192.0.2.20", 10809, ""), "export name"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("invalidExports")
    void exportsAreValidatedBeforeAnyXml(NbdExport nbd, String words) {
        GuestSpec s = withDisks(spec(b -> b), List.of(nbdDisk(DiskBus.IDE, 0, Media.DISK, nbd, Cipher.NONE, null)), List.of());
        assertThatThrownBy(() -> DomainXml.build(s, HOST)).isInstanceOfSatisfying(ElasticException.class, e -> {
            assertThat(e.type()).isEqualTo(ErrorType.USAGE);
            assertThat(e.getMessage()).contains(words);
        });
    }

    @Test
    void aVolumeHasAPathOrAnExportNotBoth() {
        DiskSpec both = new DiskSpec(DiskBus.IDE, 0, 0, Media.DISK, new VolumeAttachment("v", "/vol/v", Cipher.NONE, null,
                new NbdExport("192.0.2.20", 10809, "v")));
        NbdExport same = new NbdExport("192.0.2.20", 10809, "v");
        List<DiskSpec> twice = List.of(nbdDisk(DiskBus.IDE, 0, Media.DISK, same, Cipher.NONE, null),
                nbdDisk(DiskBus.IDE, 1, Media.DISK, same, Cipher.NONE, null));
        assertThatThrownBy(() -> DomainXml.build(withDisks(spec(b -> b), List.of(both), List.of()), HOST))
                .hasMessageContaining("not both");
        assertThatThrownBy(() -> DomainXml.build(withDisks(spec(b -> b), twice, List.of()), HOST))
                .hasMessageContaining("attached twice");
    }
}
