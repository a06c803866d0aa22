package io.elasticcloud.storage;

import io.elasticcloud.protocol.secret.MasterKey;
import io.elasticcloud.protocol.secret.PrivateFiles;
import io.elasticcloud.storage.export.BoxExportDaemons;
import io.elasticcloud.storage.export.NbdExports;
import io.elasticcloud.storage.host.GuestAgentCommands;
import io.elasticcloud.storage.host.HostCommands;
import io.elasticcloud.storage.host.LocalCommands;
import io.elasticcloud.storage.lvm.BoxDevices;
import io.elasticcloud.storage.lvm.LocalDevices;
import io.elasticcloud.storage.lvm.LvmVolumeBackend;
import io.elasticcloud.storage.lvm.VolumeDevices;
import io.elasticcloud.storage.volume.FileVolumeBackend;
import io.elasticcloud.storage.volume.VolumeBackend;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.OptionalLong;

/** The backend of each configured pool, by its {@code backend} setting, with its capacity. */
final class PoolBackends {

    /**
     * A pool's backend, what its volumes may take at most, and the physical storage it is on (what
     * {@code avoid} keeps drives apart by): as configured, else the pool's name for a file pool,
     * {@code HOST/VG} for an LVM pool (the box's address, or this storage host), so that drives
     * kept apart are on different volume groups, and on different hosts where each has one.
     * {@code exports}: the pool's own NBD exports, in its storage host (an {@code lvm} pool), null
     * for a pool whose guests use the process's exports.
     */
    record Made(VolumeBackend backend, long capacity, String hardware, NbdExports exports) {
    }

    private PoolBackends() {
    }

    /**
     * @param host          the machine the pools are on ({@code elastic.storage.host})
     * @param exportAddress where a real storage host's exports listen ({@code elastic.storage.nbd.address})
     * @param tlsDir        the exports' TLS directory ({@code elastic.storage.nbd.tls-dir}), where
     *                      their daemons run; null for plain NBD
     */
    static Made make(StorageProperties.Pool pool, Path dataDir, MasterKey masterKey, int unlockedVolumes,
                     String host, String exportAddress, Path tlsDir) throws IOException {
        if (pool.backend() == StorageProperties.Backend.LVM) {
            return lvm(pool, dataDir, masterKey, host, exportAddress, tlsDir);
        }
        Path dir = pool.directory() != null ? pool.directory() : defaultPools(dataDir).resolve(pool.name());
        FileVolumeBackend backend = new FileVolumeBackend(dir, masterKey, unlockedVolumes);
        long capacity = pool.capacity() != null ? pool.capacity().toBytes()
                : Files.getFileStore(backend.directory()).getUsableSpace();
        return new Made(backend, capacity, pool.hardware() != null ? pool.hardware() : pool.name(), null);
    }

    private static Made lvm(StorageProperties.Pool pool, Path dataDir, MasterKey masterKey, String host,
                            String exportAddress, Path tlsDir) throws IOException {
        StorageProperties.Lvm lvm = pool.lvm();
        if (lvm == null || lvm.volumeGroup() == null || lvm.volumeGroup().isBlank()) {
            throw new IllegalArgumentException("the lvm pool " + pool.name() + " needs elastic.storage.pools[N].lvm.volume-group");
        }
        HostCommands commands;
        VolumeDevices devices;
        if (lvm.agentSocket() != null) {
            if (lvm.address() == null || lvm.address().isBlank()) {
                throw new IllegalArgumentException("the lvm pool " + pool.name() + " in a storage box needs the box's "
                        + "address: elastic.storage.pools[N].lvm.address");
            }
            GuestAgentCommands agent = new GuestAgentCommands(lvm.agentSocket());
            int[] ports = NbdExports.Settings.ports(lvm.ports());
            try {
                devices = new BoxDevices(agent, lvm.address(), ports[0], ports[1], lvm.commandTimeout());
            } catch (IOException | RuntimeException e) {
                agent.close();
                throw e;
            }
            commands = agent;
        } else {
            commands = new LocalCommands();
            devices = new LocalDevices();
        }
        LvmVolumeBackend backend = new LvmVolumeBackend(commands, lvm.commandTimeout(), lvm.volumeGroup(),
                lvm.thinPool(), devices, masterKey);
        try {
            long capacity = pool.capacity() != null ? pool.capacity().toBytes() : backend.poolSize();
            String machine = lvm.agentSocket() != null ? lvm.address() : host;
            String hardware = pool.hardware() != null ? pool.hardware() : machine + "/" + lvm.volumeGroup();
            return new Made(backend, capacity, hardware, guestExports(pool, dataDir, commands, exportAddress, tlsDir,
                    volume -> OptionalLong.of(backend.guestBytes(volume))));
        } catch (IOException | RuntimeException e) {
            backend.close();
            throw e;
        }
    }

    /**
     * The exports guests reach an {@code lvm} pool's volumes through, served by daemons in its
     * storage host on {@code lvm.guest-ports}; records in {@code DATA/exports/POOL}. With TLS, the
     * daemons read {@code tlsDir} where they run: in a storage box, the box holds the certificates
     * there, its server certificate naming the box's address.
     */
    private static NbdExports guestExports(StorageProperties.Pool pool, Path dataDir, HostCommands commands,
                                           String exportAddress, Path tlsDir, BoxExportDaemons.Sizes sizes)
            throws IOException {
        StorageProperties.Lvm lvm = pool.lvm();
        String address = lvm.address() != null && !lvm.address().isBlank() ? lvm.address() : exportAddress;
        int[] ports = NbdExports.Settings.ports(lvm.guestPorts());
        Path stateDir = PrivateFiles.directory(dataDir.resolve("exports")).resolve(pool.name()).toAbsolutePath().normalize();
        return new NbdExports(new NbdExports.Settings(address, ports[0], ports[1], stateDir, tlsDir),
                new BoxExportDaemons(commands, lvm.commandTimeout(), sizes));
    }

    /**
     * {@code DATA_DIR/volumes}, {@code rwx--x--x}: a guest's qemu (libvirt's own user) passes
     * through it to its volume file, and nobody else may list the pools.
     */
    private static Path defaultPools(Path dataDir) throws IOException {
        return PrivateFiles.directory(dataDir.resolve("volumes"), PrivateFiles.TRAVERSE);
    }
}
