package io.elasticcloud.bench;

import io.elasticcloud.it.RunningSystem;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Upload, download and imaging of 1 GiB for one cipher, each beside its baseline on the same disk,
 * repeated; the API and the baseline take turns going first (odd repeats: baseline first).
 */
final class DataPaths {
    /** per repeat, nanoseconds */
    final List<Long> upload = new ArrayList<>();
    final List<Long> uploadBaseline = new ArrayList<>();
    final List<Long> download = new ArrayList<>();
    final List<Long> downloadBaseline = new ArrayList<>();
    final List<Long> imaging = new ArrayList<>();
    final List<Long> imagingBaseline = new ArrayList<>();

    private final Bench.Settings settings;
    private final String cipher;
    private final boolean luks;
    private final DriveDataCalls api;
    private final DataPathBaselines baselines;
    private final Path standardVolume;

    DataPaths(Bench.Settings settings, RunningSystem system, String auth, DataSet data, String cipher,
              String standardDrive) {
        this.settings = settings;
        this.cipher = cipher;
        this.luks = !cipher.equals("none");
        this.api = new DriveDataCalls(settings, system, auth, data, cipher, standardDrive);
        this.baselines = new DataPathBaselines(settings, cipher);
        this.standardVolume = api.volume(standardDrive, false);
    }

    void run() {
        try {
            baselines.prepare();
            warmUp();
            for (int rep = 0; rep < settings.repeats(); rep++) {
                boolean baselineFirst = rep % 2 == 1;
                Path b = baselines.target();

                // upload: 256 gzipped 4 MiB chunks, against gunzip | dd (or into LUKS)
                String up = api.createDrive("bench-upload-" + rep);
                baselines.newTarget(b);
                pair(baselineFirst,
                        () -> upload.add(api.upload(up)),
                        () -> uploadBaseline.add(baselines.gunzipInto(api.dataSet().concatenated(), b)));
                note(rep, "upload", upload, uploadBaseline);

                // download: 256 reads of 4 MiB, against dd (or qemu-img convert) out of the volume, cold
                Path upVolume = api.volume(up, luks);
                pair(baselineFirst,
                        () -> {
                            Shell.evict(upVolume);
                            download.add(api.download(up));
                        },
                        () -> {
                            Shell.evict(b);
                            downloadBaseline.add(baselines.read(b));
                        });
                note(rep, "download", download, downloadBaseline);
                api.destroy(up);
                Files.deleteIfExists(b);

                // imaging: gunzip of the standard drive (a gzip stream, cold) into a new drive
                String im = api.createDrive("bench-image-" + rep);
                baselines.newTarget(b);
                pair(baselineFirst,
                        () -> {
                            Shell.evict(standardVolume);
                            imaging.add(api.image(im));
                        },
                        () -> {
                            Shell.evict(standardVolume);
                            imagingBaseline.add(baselines.gunzipInto(standardVolume, b));
                        });
                note(rep, "imaging", imaging, imagingBaseline);
                if (rep == 0) {
                    long t = System.nanoTime();
                    api.transfer(im, false); // untimed: the imaged drive holds the data, chunk by chunk
                    System.out.printf("  [%s] imaged drive read back and checked (%.1f s, untimed)%n", cipher,
                            (System.nanoTime() - t) / 1e9);
                }
                api.destroy(im);
                Files.deleteIfExists(b);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            for (Path p : baselines.leftovers()) {
                try {
                    Files.deleteIfExists(p);
                } catch (IOException e) {
                    System.out.println("cannot delete " + p + ": " + e);
                }
            }
        }
    }

    /** The JIT compiles the data paths before anything is timed: 256 MiB up and down, untimed. */
    private void warmUp() {
        String w = api.createDrive("bench-warm-up");
        long t = System.nanoTime();
        api.transferRange(w, true, 64, true);
        api.transferRange(w, false, 64, true);
        api.destroy(w);
        System.out.printf("  [%s] warm-up: 256 MiB up and down through the API (%.1f s, untimed)%n", cipher,
                (System.nanoTime() - t) / 1e9);
    }

    private static void pair(boolean baselineFirst, Runnable api, ThrowingRunnable baseline) throws IOException {
        if (baselineFirst) {
            baseline.run();
            api.run();
        } else {
            api.run();
            baseline.run();
        }
    }

    private void note(int rep, String what, List<Long> timed, List<Long> base) {
        double a = timed.get(timed.size() - 1) / 1e9;
        double b = base.get(base.size() - 1) / 1e9;
        System.out.printf("  [%s] repeat %d: %-8s API %6.2f s (%5.0f MiB/s; CPU: system %5.2f s, client %5.2f s)"
                        + "   baseline %6.2f s (%5.0f MiB/s)   load average %s%n",
                cipher, rep + 1, what, a, 1024 / a, api.lastSystemCpu(), api.lastClientCpu(), b, 1024 / b,
                Bench.loadAverage());
    }

    interface ThrowingRunnable {
        void run() throws IOException;
    }
}
