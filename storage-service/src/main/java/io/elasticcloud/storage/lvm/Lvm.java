package io.elasticcloud.storage.lvm;

import io.elasticcloud.storage.host.HostCommands;
import io.elasticcloud.storage.host.LvmReports;
import io.elasticcloud.storage.host.LogicalVolume;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The LVM steps of this backend on one volume group and its thin pool, run on the storage host
 * with {@code lvm}; reports are read as JSON ({@link LvmReports}), never as text. Sizes are
 * passed in bytes ({@code b}); LVM rounds an LV up to whole extents.
 */
final class Lvm {
    /** {@code lvm lvs VG/LV} of an LV that does not exist. */
    private static final int NOT_FOUND = 5;

    private final StorageHostCommands host;
    private final String vg;
    private final String thinPool;

    Lvm(StorageHostCommands host, String vg, String thinPool) {
        this.host = host;
        this.vg = vg;
        this.thinPool = thinPool;
    }

    String volumeGroup() {
        return vg;
    }

    /** The device of an LV on the storage host. */
    String device(String lv) {
        return "/dev/" + vg + "/" + lv;
    }

    /** Every LV of the volume group (the thin pool and its hidden parts too). */
    List<LogicalVolume> volumes() throws IOException {
        return LvmReports.parseLvs(host.require(LvmReports.lvs(vg), null));
    }

    /** The LV, empty when it does not exist. */
    Optional<LogicalVolume> volume(String lv) throws IOException {
        List<String> argv = LvmReports.lvs(vg + "/" + lv);
        HostCommands.Result result = host.run(argv, null);
        if (result.exit() == NOT_FOUND) {
            return Optional.empty();
        }
        if (result.exit() != 0) {
            throw host.failure(argv, result);
        }
        return LvmReports.parseLvs(new String(result.stdout(), StandardCharsets.UTF_8)).stream()
                .filter(v -> v.name().equals(lv)).findFirst();
    }

    /** The thin pool the volumes are made in. */
    LogicalVolume pool() throws IOException {
        return volume(thinPool).orElseThrow(() -> new IOException("the storage host has no thin pool " + vg + "/" + thinPool));
    }

    /** Makes a thin LV of at least {@code bytes}, tagged; activated. */
    void createThin(String lv, long bytes, List<String> tags) throws IOException {
        List<String> argv = new ArrayList<>(List.of("lvm", "lvcreate", "--type", "thin", "--thinpool", thinPool,
                "--virtualsize", bytes + "b", "--name", lv));
        for (String tag : tags) {
            argv.add("--addtag");
            argv.add(tag);
        }
        argv.add(vg);
        host.require(argv, null);
    }

    /**
     * Makes {@code lv} a thin snapshot of {@code origin} in the same pool, tagged (an origin's
     * tags are not copied), activated: the skip-activation flag LVM sets on thin snapshots is
     * cleared, so it comes up with the volume group like any volume.
     */
    void snapshot(String origin, String lv, List<String> tags) throws IOException {
        List<String> argv = new ArrayList<>(List.of("lvm", "lvcreate", "--snapshot", "--setactivationskip", "n",
                "--activate", "y", "--name", lv));
        for (String tag : tags) {
            argv.add("--addtag");
            argv.add(tag);
        }
        argv.add(vg + "/" + origin);
        host.require(argv, null);
    }

    /** Renames the LV (an active one stays active under its new name). */
    void rename(String from, String to) throws IOException {
        host.require(List.of("lvm", "lvrename", vg, from, to), null);
    }

    /** Grows the LV to at least {@code bytes}. */
    void extend(String lv, long bytes) throws IOException {
        host.require(List.of("lvm", "lvextend", "--size", bytes + "b", vg + "/" + lv), null);
    }

    /** Replaces tag {@code remove} by {@code add} (either may be null) in one metadata update. */
    void retag(String lv, String remove, String add) throws IOException {
        List<String> argv = new ArrayList<>(List.of("lvm", "lvchange"));
        if (remove != null) {
            argv.add("--deltag");
            argv.add(remove);
        }
        if (add != null) {
            argv.add("--addtag");
            argv.add(add);
        }
        argv.add(vg + "/" + lv);
        host.require(argv, null);
    }

    /** Removes an LV known to exist (one command fewer than {@link #remove}); fails when it does not. */
    void removeExisting(String lv) throws IOException {
        host.require(List.of("lvm", "lvremove", "--yes", vg + "/" + lv), null);
    }

    /** Removes the LV; false when it did not exist. */
    boolean remove(String lv) throws IOException {
        if (volume(lv).isEmpty()) {
            return false;
        }
        host.require(List.of("lvm", "lvremove", "--yes", vg + "/" + lv), null);
        return true;
    }

    /** Activates every LV of the volume group (after the storage host started). */
    void activateAll() throws IOException {
        host.require(List.of("lvm", "vgchange", "--activate", "y", vg), null);
    }
}
