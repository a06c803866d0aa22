package io.elasticcloud.api.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.elasticcloud.agent.hypervisor.FakeHypervisor;
import io.elasticcloud.api.support.TestStorageNodes;
import io.elasticcloud.protocol.Transport;
import io.elasticcloud.protocol.agent.GuestSpec;
import io.elasticcloud.protocol.agent.NbdExport;
import io.elasticcloud.protocol.agent.VolumeAttachment;
import io.elasticcloud.protocol.storage.StorageCommands.AttachVolume;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * Drives whose storage nodes are on another machine than the server's host reach the guest as NBD
 * exports, held by the server's start and let go when it stops, powers off or is destroyed; a
 * hold of an earlier start is let go by the sweep while the current one stays.
 */
class VolumeExportsH2Test extends ServerTestBase {
    @Autowired
    TestStorageNodes storage;
    @Autowired
    VolumeExports exports;
    @Autowired
    Transport transport;

    @AfterEach
    void storageOnEveryMachineAgain() {
        storage.host("fake-a", null).host("fake-b", null);
    }

    private Map<String, Set<String>> allExports() {
        Map<String, Set<String>> all = new HashMap<>(storage.exports("fake-a"));
        all.putAll(storage.exports("fake-b"));
        return all;
    }

    private String storageNodeOf(String drive) {
        return storage.holds("fake-a", drive) ? "fake-a" : "fake-b";
    }

    @Test
    void drivesOfAnotherMachineAreExportedWhileTheServerRuns() {
        String drive = drive("remote");
        storage.host("fake-a", "storage-x").host("fake-b", "storage-x");
        String server = create("/servers/create", "name n\ncpu 500\nmem 128\npersistent true\nide:0:0 " + drive + "\n")
                .get("server");

        GuestSpec spec = hostOf(server).spec(server).orElseThrow();
        VolumeAttachment volume = spec.disks().get(0).volume();
        assertThat(volume.path()).isNull();
        assertThat(volume.nbd()).isEqualTo(new NbdExport("storage-x", 10809, drive));
        Set<String> holders = allExports().get(drive);
        assertThat(holders).singleElement().asString().startsWith(server + "/");

        // stop: let go
        assertThat(api.post("/servers/" + server + "/stop", "").statusCode()).isEqualTo(204);
        eventually("the export is let go after a stop", () -> !allExports().containsKey(drive));

        // a start holds it again, under a new hold; a hold of an earlier start is swept, the current kept
        assertThat(api.post("/servers/" + server + "/start", "").statusCode()).isEqualTo(204);
        String current = allExports().get(drive).iterator().next();
        assertThat(current).isNotEqualTo(holders.iterator().next());
        String node = storageNodeOf(drive);
        transport.request(node, new AttachVolume("stale", drive, "hv-a", server + "/1"), Duration.ofSeconds(5)).join();
        transport.request(node, new AttachVolume("alien", drive, "hv-a", "not-a-server"), Duration.ofSeconds(5)).join();
        assertThat(exports.sweep(node)).isEqualTo(2);
        eventually("stale holds are let go", () -> allExports().get(drive).equals(Set.of(current)));

        // the guest powers off by itself: the reconciler ends the server, the export is let go
        FakeHypervisor host = hostOf(server);
        host.guestPowersOff(server);
        eventually("the export is let go after a power-off", () -> !allExports().containsKey(drive));

        // destroyed while running: let go
        assertThat(api.post("/servers/" + server + "/start", "").statusCode()).isEqualTo(204);
        assertThat(allExports()).containsKey(drive);
        assertThat(api.post("/servers/" + server + "/destroy", "").statusCode()).isEqualTo(204);
        eventually("the export is let go after a destroy", () -> !allExports().containsKey(drive));
    }

    @Test
    void drivesOnTheServersOwnMachineAreAttachedByPathOthersExported() {
        String first = drive("first");
        String second = drive("second");
        storage.host("fake-a", "hv-a").host("fake-b", "hv-a");
        String one = create("/servers/create", "name one\ncpu 500\nmem 128\nide:0:0 " + first + "\n").get("server");
        String two = create("/servers/create", "name two\ncpu 500\nmem 128\navoid:servers " + one + "\nide:0:0 "
                + second + "\n").get("server");
        String onA = hostOf(one) == hostA ? one : two;
        String onB = onA.equals(one) ? two : one;
        assertThat(hostOf(onA)).isSameAs(hostA);
        assertThat(hostOf(onB)).isSameAs(hostB);

        VolumeAttachment local = hostA.spec(onA).orElseThrow().disks().get(0).volume();
        VolumeAttachment remote = hostB.spec(onB).orElseThrow().disks().get(0).volume();
        String localDrive = onA.equals(one) ? first : second;
        String remoteDrive = onA.equals(one) ? second : first;
        assertThat(local.nbd()).isNull();
        assertThat(local.path()).isEqualTo("/fake/" + storageNodeOf(localDrive) + "/" + localDrive + ".raw");
        assertThat(remote.path()).isNull();
        assertThat(remote.nbd()).isEqualTo(new NbdExport("hv-a", 10809, remoteDrive));
        assertThat(allExports()).containsOnlyKeys(remoteDrive);
    }
}
