package io.elasticcloud.storage.lvm;

import io.elasticcloud.storage.host.FakeHostCommands;
import io.elasticcloud.storage.host.HostCommands.Result;
import io.elasticcloud.protocol.secret.MasterKey;
import io.elasticcloud.storage.volume.VolumeHandle;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Just enough of LVM and cryptsetup on a {@link FakeHostCommands} for the backend's unit tests:
 * LVs with sizes and tags in VG {@code vg}, the thin pool {@code vg/thinpool} (zeroing unless
 * told otherwise) and the open dm-crypt mappings. Commands it does not know fail the test.
 */
final class FakeLvm {
    final FakeHostCommands host = new FakeHostCommands();
    /** LV name to its size and tags. */
    final Map<String, Lv> lvs = new TreeMap<>();
    final Set<String> mappings = new LinkedHashSet<>();
    /** LVs whose device something holds open (a guest, say): reported with attribute {@code o}. */
    final Set<String> openLvs = new LinkedHashSet<>();
    String poolAttr = "twi-aotz--";
    String poolMetadata = "10.00";

    record Lv(long size, List<String> tags) {
    }

    /** Devices that open nothing (the fake has no bytes) and note what the backend stops serving. */
    static final class NoDevices implements VolumeDevices {
        final List<String> released = new ArrayList<>();

        @Override
        public VolumeHandle open(String device, long size) throws IOException {
            throw new IOException("no devices in this test");
        }

        @Override
        public void release(String device) {
            released.add(device);
        }

        @Override
        public void close() {
        }
    }

    /** A backend on this fake, VG {@code vg}, thin pool {@code thinpool}. */
    LvmVolumeBackend backend(VolumeDevices devices, MasterKey masterKey) throws IOException {
        return new LvmVolumeBackend(host, Duration.ofSeconds(5), "vg", "thinpool", devices, masterKey);
    }

    FakeLvm() {
        host.when("lvm", "vgchange").thenSucceed();
        host.when("lvm", "lvs").thenAnswer(call -> lvs(call.argv().get(call.argv().size() - 1)));
        host.when("lvm", "lvcreate").thenAnswer(call -> {
            List<String> argv = call.argv();
            String name = argv.get(argv.indexOf("--name") + 1);
            // a thin snapshot is as large as its origin and does not take its tags
            String size = argv.contains("--snapshot")
                    ? Long.toString(lvs.get(argv.get(argv.size() - 1).substring("vg/".length())).size())
                    : argv.get(argv.indexOf("--virtualsize") + 1);
            List<String> tags = new ArrayList<>();
            for (int i = 0; i < argv.size(); i++) {
                if (argv.get(i).equals("--addtag")) {
                    tags.add(argv.get(i + 1));
                }
            }
            lvs.put(name, new Lv(Long.parseLong(size.replace("b", "")), tags));
            return ok("");
        });
        host.when("lvm", "lvchange").thenAnswer(call -> {
            List<String> argv = call.argv();
            String name = argv.get(argv.size() - 1).substring("vg/".length());
            Lv lv = lvs.get(name);
            List<String> tags = new ArrayList<>(lv.tags());
            for (int i = 0; i < argv.size() - 1; i++) {
                if (argv.get(i).equals("--deltag")) {
                    tags.remove(argv.get(i + 1));
                } else if (argv.get(i).equals("--addtag")) {
                    tags.add(argv.get(i + 1));
                }
            }
            lvs.put(name, new Lv(lv.size(), tags));
            return ok("");
        });
        host.when("lvm", "lvextend").thenAnswer(call -> {
            List<String> argv = call.argv();
            String name = argv.get(argv.size() - 1).substring("vg/".length());
            lvs.put(name, new Lv(Long.parseLong(argv.get(argv.indexOf("--size") + 1).replace("b", "")), lvs.get(name).tags()));
            return ok("");
        });
        host.when("lvm", "lvremove").thenAnswer(call -> {
            lvs.remove(call.argv().get(call.argv().size() - 1).substring("vg/".length()));
            return ok("");
        });
        host.when("lvm", "lvrename").thenAnswer(call -> {
            List<String> argv = call.argv();
            lvs.put(argv.get(4), lvs.remove(argv.get(3)));
            return ok("");
        });
        host.when("cryptsetup", "luksFormat").thenSucceed();
        host.when("cryptsetup", "open").thenAnswer(call -> {
            mappings.add(call.argv().get(call.argv().size() - 1));
            return ok("");
        });
        host.when("cryptsetup", "status").thenAnswer(call -> mappings.contains(call.argv().get(2)) ? ok("")
                : new Result(4, new byte[0], "inactive".getBytes(StandardCharsets.UTF_8)));
        host.when("cryptsetup", "close").thenAnswer(call -> {
            mappings.remove(call.argv().get(2));
            return ok("");
        });
        host.when("cryptsetup", "resize").thenSucceed();
    }

    private Result lvs(String selection) {
        StringBuilder rows = new StringBuilder();
        if (selection.equals("vg") || selection.equals("vg/thinpool")) {
            rows.append(row("thinpool", 1L << 30, poolAttr, "", "25.00", List.of()).replace(
                    "\"metadata_percent\":\"\"", "\"metadata_percent\":\"" + poolMetadata + "\""));
        }
        for (Map.Entry<String, Lv> lv : lvs.entrySet()) {
            if (selection.equals("vg") || selection.equals("vg/" + lv.getKey())) {
                String attr = openLvs.contains(lv.getKey()) ? "Vwi-aotz--" : "Vwi-a-tz--";
                rows.append(rows.length() > 0 ? "," : "")
                        .append(row(lv.getKey(), lv.getValue().size(), attr, "thinpool", "50.00", lv.getValue().tags()));
            }
        }
        if (rows.length() == 0 && !selection.equals("vg")) {
            return new Result(5, new byte[0], ("Failed to find logical volume \"" + selection + "\"").getBytes(StandardCharsets.UTF_8));
        }
        return ok("{\"report\": [{\"lv\": [" + rows + "]}]}");
    }

    private static String row(String name, long size, String attr, String pool, String data, List<String> tags) {
        return "{\"lv_name\":\"" + name + "\", \"vg_name\":\"vg\", \"lv_size\":\"" + size + "\", \"lv_attr\":\"" + attr
                + "\", \"pool_lv\":\"" + pool + "\", \"data_percent\":\"" + data + "\", \"metadata_percent\":\"\", \"lv_tags\":\""
                + String.join(",", tags) + "\"}";
    }

    private static Result ok(String out) {
        return new Result(0, out.getBytes(StandardCharsets.UTF_8), new byte[0]);
    }
}
