package io.elasticcloud.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.nio.file.Path;

/**
 * Storage boxes for the system tests, started and stopped by the operator's own scripts
 * ({@code deploy/storage-box/start.sh}, {@code stop.sh}; root): a box keeps its disks in its
 * directory, so a stop and a start of the same directory is a reboot.
 */
final class StorageBoxes {
    private StorageBoxes() {
    }

    /** Starts the box of {@code dir} at {@code address} (two 4 GiB disks, VG {@code elastic}). */
    static void start(String name, Path dir, String address) {
        String said = Libvirt.run(Duration.ofMinutes(4), Libvirt.repository().resolve("deploy/storage-box/start.sh").toString(),
                name, dir.toString(), "--ip", address, "--disk-size", "4G", "--vg", "elastic");
        assertThat(said).contains("address=" + address);
    }

    /** Stops the box of {@code dir}; its disks stay. */
    static void stop(Path dir) {
        Libvirt.output(Libvirt.repository().resolve("deploy/storage-box/stop.sh").toString(), dir.toString());
    }

    /** The system's arguments for pool {@code index}, named {@code name}, in the box of {@code dir}. */
    static String[] pool(int index, String name, Path dir, String address) {
        String pool = "--elastic.storage.pools[" + index + "].";
        return new String[] {pool + "name=" + name, pool + "backend=lvm", pool + "lvm.volume-group=elastic",
                pool + "lvm.agent-socket=" + dir.resolve("qga.sock"), pool + "lvm.address=" + address};
    }
}
