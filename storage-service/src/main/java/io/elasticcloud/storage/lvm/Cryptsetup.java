package io.elasticcloud.storage.lvm;

import io.elasticcloud.storage.host.HostCommands;
import java.io.IOException;
import java.util.List;

/**
 * The dm-crypt steps of an encrypted volume, run on the storage host with {@code cryptsetup}.
 * The passphrase always travels on the command's stdin ({@code --key-file=-}): never in an
 * argument, a file or a log line.
 *
 * <p>LUKS1, aes-xts-plain64 with a 512-bit key (AES-256 in XTS): LUKS1 because the guest's QEMU
 * opens the same volume with its {@code luks} driver, which reads LUKS1 only. The passphrase is
 * 256 random bits, so PBKDF2's stretching adds nothing to it: the least iteration count LUKS1
 * allows keeps every open at a few milliseconds, on a slow storage host too.
 */
final class Cryptsetup {
    /** Where LUKS1 puts the payload with a 512-bit key: 4096 sectors, 2 MiB. */
    static final long PAYLOAD_OFFSET = 2L << 20;
    /** {@code cryptsetup status} of a mapping that is not active. */
    private static final int NOT_ACTIVE = 4;

    private final StorageHostCommands host;

    Cryptsetup(StorageHostCommands host) {
        this.host = host;
    }

    /** Makes {@code device} a LUKS1 volume opened by {@code passphrase}. */
    void format(String device, byte[] passphrase) throws IOException {
        host.require(List.of("cryptsetup", "luksFormat", "--batch-mode", "--type", "luks1", "--cipher", "aes-xts-plain64",
                "--key-size", "512", "--hash", "sha256", "--pbkdf-force-iterations", "1000", "--align-payload",
                Long.toString(PAYLOAD_OFFSET / 512), "--key-file=-", device), passphrase);
    }

    /** Opens the LUKS volume {@code device} as {@code /dev/mapper/NAME}, unless it is open already. */
    void open(String device, String name, byte[] passphrase) throws IOException {
        if (!isOpen(name)) {
            host.require(List.of("cryptsetup", "open", "--type", "luks1", "--key-file=-", device, name), passphrase);
        }
    }

    boolean isOpen(String name) throws IOException {
        HostCommands.Result status = host.run(List.of("cryptsetup", "status", name), null);
        if (status.exit() == 0 || status.exit() == NOT_ACTIVE) {
            return status.exit() == 0;
        }
        throw host.failure(List.of("cryptsetup", "status", name), status);
    }

    /** Closes the mapping; one that is not open is fine. */
    void close(String name) throws IOException {
        if (isOpen(name)) {
            host.require(List.of("cryptsetup", "close", name), null);
        }
    }

    /** Makes the open mapping as large as its (grown) device. */
    void resize(String name) throws IOException {
        host.require(List.of("cryptsetup", "resize", name), null);
    }
}
