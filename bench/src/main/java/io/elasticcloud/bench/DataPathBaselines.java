package io.elasticcloud.bench;

import static io.elasticcloud.bench.Shell.q;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * The baselines the data paths are measured against: the same bytes moved by the system's own
 * tools (gunzip, dd, qemu-img) on the same disk, into and out of a volume of the same kind (raw,
 * or LUKS made by qemu-img with a secret of our own).
 */
final class DataPathBaselines {
    private static final String GIB = Long.toString(DataSet.SIZE);

    private final Bench.Settings settings;
    private final String cipher;
    private final boolean luks;
    private final Path secret;

    DataPathBaselines(Bench.Settings settings, String cipher) {
        this.settings = settings;
        this.cipher = cipher;
        this.luks = !cipher.equals("none");
        this.secret = settings.dir().resolve("baseline-luks.secret");
    }

    /** Makes the LUKS secret, when there is a cipher. */
    void prepare() {
        if (luks) {
            Shell.run("umask 077; head -c 32 /dev/urandom | base64 -w0 > " + q(secret));
        }
    }

    /** The files to delete when the run is over, whatever happened. */
    List<Path> leftovers() {
        return List.of(secret, target());
    }

    /** The baselines' own volume (raw, or LUKS made by qemu-img), on the same disk as the system's. */
    Path target() {
        return settings.dir().resolve("baseline-" + cipher + (luks ? ".luks" : ".img"));
    }

    /** An empty target of 1 GiB: for LUKS made by qemu-img with our own secret (and low PBKDF2, as ours). */
    void newTarget(Path b) throws IOException {
        Files.deleteIfExists(b);
        if (luks) {
            Shell.run("qemu-img create -q -f luks --object secret,id=s0,file=" + q(secret)
                    + " -o key-secret=s0,iter-time=10 " + q(b) + " " + GIB);
        }
    }

    /**
     * gunzip of the gzip stream in {@code source} into {@code b}, durable when done.
     * Raw: {@code gunzip -c SOURCE | dd of=B bs=4M iflag=fullblock conv=fsync}.
     * LUKS: qemu-img cannot read a pipe ("'file' driver requires '/dev/stdin' to be a regular file"),
     * so gunzip writes to a file in tmpfs (RAM: no disk traffic) and {@code qemu-img convert -n -t none}
     * (O_DIRECT, flushed at the end) encrypts it into B; both steps are timed, one after the other.
     */
    long gunzipInto(Path source, Path b) {
        if (!luks) {
            return Shell.timed("gunzip -c " + q(source) + " | dd of=" + q(b) + " bs=4M iflag=fullblock conv=fsync status=none");
        }
        Path plain = settings.tmpfs().resolve("bench-" + ProcessHandle.current().pid() + ".raw");
        try {
            return Shell.timed("gunzip -c " + q(source) + " > " + q(plain) + "\n"
                    + "qemu-img convert -n -t none --object secret,id=s0,file=" + q(secret)
                    + " --target-image-opts -f raw " + q(plain) + " driver=luks,key-secret=s0,file.filename=" + q(b));
        } finally {
            try {
                Files.deleteIfExists(plain);
            } catch (IOException e) {
                System.out.println("cannot delete " + plain + ": " + e);
            }
        }
    }

    /**
     * Reading the whole volume: raw {@code dd if=B of=/dev/null bs=4M}; LUKS {@code qemu-img convert}
     * out of it (decrypting) into qemu's null block driver, which drops the bytes.
     */
    long read(Path b) {
        if (!luks) {
            return Shell.timed("dd if=" + q(b) + " of=/dev/null bs=4M status=none");
        }
        return Shell.timed("qemu-img convert -n --object secret,id=s0,file=" + q(secret)
                + " --image-opts driver=luks,key-secret=s0,file.filename=" + q(b)
                + " --target-image-opts driver=null-co,size=" + GIB);
    }
}
