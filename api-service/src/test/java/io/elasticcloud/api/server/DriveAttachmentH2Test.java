package io.elasticcloud.api.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.elasticcloud.api.support.ApiClient;
import io.elasticcloud.protocol.agent.GuestSpec;
import io.elasticcloud.protocol.agent.GuestSpec.DiskSpec;
import io.elasticcloud.protocol.storage.StorageCommands.AttachVolume;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What a guest may write: only its owner's own drives. Library drives and drives shared through
 * {@code readers} reach every other guest read-only (the agent's disk and the storage node's
 * export), on every bus that can be read-only; an IDE hard disk cannot, so such a drive there is
 * refused. The owner comes first: a reader's server never keeps it from destroying, imaging or
 * starting, and is powered off when the owner takes it off {@code readers} or destroys the drive;
 * a reader's copy of the drive then ends, with nothing the owner writes afterwards.
 * No server starts on a drive being imaged, nor writable on one being imaged from; a drive being
 * imaged is claimed by the imaging.
 */
class DriveAttachmentH2Test extends ServerTestBase {
    @TempDir
    Path dir;

    @AfterEach
    void storageOnEveryMachineAgain() {
        storage.release();
        storage.host("fake-a", null).host("fake-b", null);
    }

    private String library(String media) throws Exception {
        Path file = dir.resolve("library-" + media + ".img");
        Files.write(file, new byte[4096]);
        String id = UUID.randomUUID().toString();
        HttpResponse<byte[]> imported = admin.post("/actuator/library", "{\"drive\":\"" + id + "\",\"name\":\"lib\",\"path\":\""
                + file + "\",\"format\":\"raw\",\"media\":\"" + media + "\"}", "Content-Type", "application/json");
        assertThat(imported.statusCode()).as(ApiClient.text(imported)).isEqualTo(200);
        return id;
    }

    private Map<String, Boolean> readOnlyByDevice(String server) {
        GuestSpec spec = hostOf(server).spec(server).orElseThrow();
        return spec.disks().stream().collect(Collectors.toMap(DiskSpec::key, DiskSpec::readOnly));
    }

    private String otherServer(String body) {
        HttpResponse<byte[]> created = other.post("/servers/create", "name theirs\ncpu 500\nmem 128\n" + body);
        assertThat(created.statusCode()).as(ApiClient.text(created)).isEqualTo(200);
        return properties(created).get("server");
    }

    private Map<String, String> otherInfo(String server) {
        return properties(other.get("/servers/" + server + "/info"));
    }

    @Test
    void aLibraryDriveReachesEveryGuestReadOnlyAndItsExportRefusesWrites() throws Exception {
        String library = library("disk");
        String own = drive("own");
        String mine = drive("mine as cdrom");
        storage.host("fake-a", "storage-x").host("fake-b", "storage-x");
        String server = create("/servers/create", "name n\ncpu 500\nmem 128\nblock:0 " + library + "\nscsi:0:1 " + own
                + "\nide:0:0 " + mine + "\nide:0:0:media cdrom\n").get("server");

        assertThat(readOnlyByDevice(server)).containsExactlyInAnyOrderEntriesOf(
                Map.of("block:0", true, "scsi:0:1", false, "ide:0:0", true));
        assertThat(storage.attachments()).filteredOn(a -> a.holder() != null && a.holder().startsWith(server))
                .extracting(a -> a.volume() + " " + a.readOnly())
                .containsExactlyInAnyOrder(library + " true", own + " false", mine + " true");

        // scsi and a cdrom can be read-only; an IDE hard disk cannot
        create("/servers/create", "name s\ncpu 500\nmem 128\nscsi:0:0 " + library + "\n");
        create("/servers/create/stopped", "name c\ncpu 500\nmem 128\nide:0:1 " + library + "\nide:0:1:media cdrom\n");
        HttpResponse<byte[]> ide = api.post("/servers/create", "name i\ncpu 500\nmem 128\nide:0:0 " + library + "\n");
        assertError(ide, 400, "usage");
        assertThat(ApiClient.text(ide)).contains("ide:0:0").contains("read-only");
    }

    @Test
    void aReaderGetsTheDriveReadOnlyAndNeverKeepsTheOwnerOut() {
        String shared = drive("shared");
        String source = drive("source");
        assertThat(api.post("/drives/" + shared + "/set", "readers " + otherUser + "\n").statusCode()).isEqualTo(200);
        String theirs = otherServer("persistent true\nblock:0 " + shared + "\n");
        assertThat(readOnlyByDevice(theirs)).containsEntry("block:0", true);
        assertError(other.post("/servers/create", "name i\ncpu 500\nmem 128\nide:0:0 " + shared + "\n"), 400, "usage");
        // nor through the drive API
        assertError(other.post("/drives/" + shared + "/write", new byte[1]), 404, "missing");
        assertError(other.post("/drives/" + shared + "/set", "readers\n"), 404, "missing");
        assertError(other.post("/drives/" + shared + "/image/" + source, ""), 404, "missing");

        // the owner starts its own server on it (exclusive), writable, beside the reader's
        String mine = create("/servers/create", "name mine\ncpu 500\nmem 128\nblock:0 " + shared + "\n").get("server");
        assertThat(readOnlyByDevice(mine)).containsEntry("block:0", false);
        assertError(api.post("/drives/" + shared + "/destroy", ""), 409, "busy"); // its own server holds it
        assertThat(api.post("/servers/" + mine + "/destroy", "").statusCode()).isEqualTo(204);
        assertThat(api.post("/drives/" + shared + "/image/" + source, "").statusCode()).isEqualTo(204);
        eventually("the imaging ends", () -> !properties(api.get("/drives/" + shared + "/info")).containsKey("imaging"));
        assertThat(otherInfo(theirs)).containsEntry("status", "active");

        // taken off the list: the reader's server is powered off, audited, and cannot start again
        assertThat(api.post("/drives/" + shared + "/set", "readers\n").statusCode()).isEqualTo(200);
        assertThat(otherInfo(theirs)).containsEntry("status", "stopped");
        assertThat(hostOf(theirs)).isNull();
        assertThat(ApiClient.text(admin.get("/actuator/audit"))).contains(theirs);
        assertError(other.post("/servers/" + theirs + "/start", ""), 400, "usage");
    }

    @Test
    void destroyingADriveStopsTheReadersServersInsteadOfFailing() {
        String shared = drive("shared");
        assertThat(api.post("/drives/" + shared + "/set", "readers " + otherUser + "\nclaim:type shared\n").statusCode())
                .isEqualTo(200);
        String persistent = otherServer("persistent true\nscsi:0:0 " + shared + "\n");
        String transientServer = otherServer("block:1 " + shared + "\n");

        assertThat(api.post("/drives/" + shared + "/destroy", "").statusCode()).isEqualTo(204);

        assertThat(otherInfo(persistent)).containsEntry("status", "stopped");
        assertThat(hostOf(persistent)).isNull();
        assertError(other.get("/servers/" + transientServer + "/info"), 404, "missing");
        assertThat(hostOf(transientServer)).isNull();
        assertError(other.post("/servers/" + persistent + "/start", ""), 400, "usage");
    }

    @Test
    void noServerStartsOnADriveBeingImaged() {
        String target = drive("target");
        String source = drive("source");
        String running = create("/servers/create", "name a\ncpu 500\nmem 128\n").get("server");
        storage.hold();
        assertThat(api.post("/drives/" + target + "/image/" + source, "").statusCode()).isEqualTo(204);
        // claimed by the imaging, queued or running, as jclouds waits for; the source is not claimed
        assertThat(properties(api.get("/drives/" + target + "/info"))).containsEntry("claimed", "imaging:" + target);
        assertThat(properties(api.get("/drives/" + source + "/info"))).doesNotContainKey("claimed");

        assertError(api.post("/servers/create", "name n\ncpu 500\nmem 128\nblock:0 " + target + "\n"), 409, "busy");
        String stopped = create("/servers/create/stopped", "name s\ncpu 500\nmem 128\nblock:0 " + target + "\n")
                .get("server");
        assertError(api.post("/servers/" + stopped + "/start", ""), 409, "busy");
        assertThat(info(stopped)).containsEntry("status", "stopped");
        // no drive joins a running server (set changes no device while it is active)
        assertError(api.post("/servers/" + running + "/set", "block:1 " + target + "\n"), 409, "busy");
        assertThat(info(running)).doesNotContainKey("block:1");
        assertThat(hostOf(running).spec(running).orElseThrow().disks()).isEmpty();
        // the source is read by the copy: read, and started read-only, but not written meanwhile
        assertThat(api.get("/drives/" + source + "/read/0/4096").statusCode()).isEqualTo(200);
        assertError(api.post("/drives/" + source + "/write", new byte[1]), 409, "busy");
        assertError(api.post("/servers/create", "name w\ncpu 500\nmem 128\nblock:0 " + source + "\n"), 409, "busy");
        create("/servers/create", "name r\ncpu 500\nmem 128\nscsi:0:0 " + source + "\nscsi:0:0:media cdrom\n");
        storage.release();
        eventually("the imaging ends", () -> !properties(api.get("/drives/" + target + "/info")).containsKey("imaging"));
        assertThat(properties(api.get("/drives/" + target + "/info"))).doesNotContainKey("claimed");
        assertThat(api.post("/servers/" + stopped + "/start", "").statusCode()).isEqualTo(204);
        assertThat(api.post("/drives/" + source + "/write", new byte[1]).statusCode()).isEqualTo(204);
    }

    @Test
    void aReadersCopyNeverKeepsTheOwnerFromWritingOrStarting() {
        Copy copy = copyingAnotherCustomersDrive();
        String theirs = copy.theirs();
        String target = copy.target();
        try {
            // the owner comes first: a reader copying the drive (again and again) must not freeze it
            HttpResponse<byte[]> written = other.post("/drives/" + theirs + "/write", new byte[1]);
            assertThat(written.statusCode()).as(ApiClient.text(written)).isEqualTo(204);
            otherServer("block:0 " + theirs + "\n");
        } finally {
            storage.release();
        }
        eventually("the imaging ends", () -> !properties(api.get("/drives/" + target + "/info")).containsKey("claimed"));
    }

    @Test
    void aDriveImagedFromAnotherCustomersShowsNothingOfTheirs() {
        Copy copy = copyingAnotherCustomersDrive();
        String theirs = copy.theirs();
        String target = copy.target();
        try {
            String info = ApiClient.text(api.get("/drives/" + target + "/info"));
            assertThat(properties(api.get("/drives/" + target + "/info"))).containsEntry("claimed", "imaging:" + target);
            assertThat(info).doesNotContain(otherUser).doesNotContain(theirs);
            String json = ApiClient.text(api.get("/drives/info", "Accept", "application/json"));
            assertThat(json).contains("imaging:" + target).doesNotContain(otherUser).doesNotContain(theirs);
            // nor does the owner of the source learn of the copy
            String ownersView = ApiClient.text(other.get("/drives/" + theirs + "/info"));
            assertThat(ownersView).doesNotContain("claimed").doesNotContain(target);
        } finally {
            storage.release();
        }
        eventually("the imaging ends", () -> !properties(api.get("/drives/" + target + "/info")).containsKey("claimed"));
    }

    @Test
    void aReaderTakenOffReadersCopiesNothingTheOwnerWritesAfter() {
        Copy copy = copyingAnotherCustomersDrive();
        byte[] secret = new byte[4096];
        Arrays.fill(secret, (byte) 0x5a);
        try {
            HttpResponse<byte[]> revoked = other.post("/drives/" + copy.theirs() + "/set", "readers " + UUID.randomUUID() + "\n");
            assertThat(revoked.statusCode()).as(ApiClient.text(revoked)).isEqualTo(200);
            assertThat(other.post("/drives/" + copy.theirs() + "/write", secret).statusCode()).isEqualTo(204);
        } finally {
            storage.release();
        }
        eventually("the copy ended", () -> !properties(api.get("/drives/" + copy.target() + "/info")).containsKey("claimed"));
        assertThat(properties(api.get("/drives/" + copy.target() + "/info"))).containsEntry("imaging:error", "missing");
        HttpResponse<byte[]> read = api.get("/drives/" + copy.target() + "/read/0/4096");
        assertThat(read.body()).as("what the owner wrote after taking the reader off").isEqualTo(new byte[4096]);
    }

    @Test
    void theOwnerDestroysADriveAReaderIsCopying() {
        Copy copy = copyingAnotherCustomersDrive();
        try {
            HttpResponse<byte[]> destroyed = other.post("/drives/" + copy.theirs() + "/destroy", "");
            assertThat(destroyed.statusCode()).as(ApiClient.text(destroyed)).isEqualTo(204);
        } finally {
            storage.release();
        }
        eventually("the copy ended", () -> !properties(api.get("/drives/" + copy.target() + "/info")).containsKey("claimed"));
        assertThat(properties(api.get("/drives/" + copy.target() + "/info"))).containsEntry("imaging:error", "missing");
    }

    /** Another customer's drive, shared with this one, and this one's drive it is being copied into. */
    private record Copy(String theirs, String target) {
    }

    /** Starts the copy with the storage held (the copy stays on until {@code storage.release()}). */
    private Copy copyingAnotherCustomersDrive() {
        HttpResponse<byte[]> created = other.post("/drives/create", "name theirs\nsize 1M\nreaders " + user + "\n");
        assertThat(created.statusCode()).as(ApiClient.text(created)).isEqualTo(200);
        String theirs = properties(created).get("drive");
        String target = drive("copy");
        storage.hold();
        try {
            assertThat(api.post("/drives/" + target + "/image/" + theirs, "").statusCode()).isEqualTo(204);
        } catch (AssertionError | RuntimeException e) {
            storage.release();
            throw e;
        }
        return new Copy(theirs, target);
    }
}
