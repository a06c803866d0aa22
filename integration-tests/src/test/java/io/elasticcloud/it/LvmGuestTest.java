package io.elasticcloud.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A real guest booted through the API from drives on an {@code lvm} pool in a storage box
 * ({@code deploy/storage-box}, 169.254.77.42): the test ISO as a cdrom (a read-only export) and an
 * encrypted data drive on virtio-blk (a writable one). The guest's QEMU reaches both over NBD
 * exports served in the box, as LUKS ciphertext it decrypts itself ({@code virsh dumpxml} shows an
 * NBD source with LUKS encryption); the marker the guest writes is read back through the drive
 * API (the storage service's own path: the box's dm-crypt mapping).
 */
class LvmGuestTest {
    private static final Duration BOOT = Duration.ofSeconds(150);
    private static final Path WORK = Path.of("target", "lvm-guest").toAbsolutePath();
    private static final String BOX_ADDRESS = "169.254.77.42";
    private static Path boxDir;
    private static Libvirt.Network network;
    private static RunningSystem system;
    private static PlainHttp http;
    private static String auth;
    private static String isoDrive;

    @BeforeAll
    static void startSystem() throws IOException {
        Libvirt.start();
        Path iso = Libvirt.testGuest(WORK);
        boxDir = WORK.resolve("box");
        StorageBoxes.start("lvm-guest", boxDir, BOX_ADDRESS);
        network = Libvirt.isolatedNetwork(WORK);
        String[] args = Stream.concat(Stream.of(network.systemArgs()),
                Stream.of(StorageBoxes.pool(0, "pool-lvm", boxDir, BOX_ADDRESS))).toArray(String[]::new);
        system = RunningSystem.start("lvm-guest", args);
        http = system.http();
        auth = PlainHttp.basic(system.createCustomer());
        byte[] image = Files.readAllBytes(iso);
        isoDrive = object(http.post("/drives/create", auth, "name iso\nsize " + image.length
                + "\nencryption:cipher none\n")).get("drive");
        http.writeDrive(isoDrive, auth, image);
    }

    @AfterAll
    static void stopSystem() throws IOException {
        try {
            if (system != null) {
                system.close();
            }
        } finally {
            try {
                if (network != null) {
                    network.close();
                }
            } finally {
                if (boxDir != null) {
                    StorageBoxes.stop(boxDir);
                    try (Stream<Path> files = Files.walk(boxDir)) {
                        files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
                    }
                }
            }
        }
    }

    @Test
    void aGuestBootsFromTheBoxOverNbdAndItsMarkerIsReadBackThroughTheApi() throws IOException {
        String data = object(http.post("/drives/create", auth, "name data\nsize 64M\n")).get("drive");
        assertThat(object(http.get("/drives/" + data + "/info", auth))).containsEntry("encryption:cipher", "aes-xts-plain");
        http.writeDrive(data, auth, TestGuest.DATA);
        String server = object(http.post("/servers/create", auth, "name lvm guest\ncpu 1000\nsmp 1\nmem 256\n"
                + "persistent true\nide:0:0 " + isoDrive + "\nide:0:0:media cdrom\nblock:0 " + data
                + "\nboot ide:0:0\n")).get("server");

        try {
            String console = Libvirt.awaitConsole(system, server, TestGuest.READY, 1, BOOT);
            assertThat(console).contains("bus=ide ro=1").as("the drive's size, not its LV's").contains("bus=virtio ro=0 sectors=131072");

            String xml = Libvirt.virsh("dumpxml", Libvirt.domainOf(server));
            String box = "<host name='" + BOX_ADDRESS + "' port='[0-9]+'/>";
            assertThat(xml).as("the cdrom and the data drive come from the box over NBD")
                    .containsPattern("<source protocol='nbd' name='" + isoDrive + "'[^>]*>\\s*" + box + "\\s*</source>")
                    .containsPattern("<source protocol='nbd' name='" + data + "'[^>]*>\\s*" + box
                            + "\\s*<encryption format='luks'")
                    .doesNotContain("/dev/elastic/");

            assertThat(http.post("/servers/" + server + "/shutdown", auth, "").status()).isEqualTo(204);
            Wait.until("the server stops after the guest powers off", Duration.ofSeconds(60),
                    () -> "stopped".equals(object(http.get("/servers/" + server + "/info", auth)).get("status")),
                    () -> system.logTail(40));
            String written = Files.readString(Libvirt.console(system, server), StandardCharsets.ISO_8859_1);
            assertThat(TestGuest.readMarker(http, auth, data))
                    .as("what the guest wrote onto its encrypted drive in the box, read through the API")
                    .isEqualTo(TestGuest.lastMarker(written));
        } finally {
            assertThat(http.post("/servers/" + server + "/destroy", auth, "").status()).isEqualTo(204);
        }
        assertThat(Libvirt.domains()).doesNotContain(Libvirt.domainOf(server));
    }

    private static Map<String, String> object(PlainHttp.Reply reply) {
        assertThat(reply.status()).as(reply.describe()).isEqualTo(200);
        return PlainHttp.parseObject(reply.text());
    }
}
