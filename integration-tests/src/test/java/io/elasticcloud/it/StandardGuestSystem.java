package io.elasticcloud.it;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPOutputStream;

/**
 * What the client-library tests run against: the whole system on an isolated test network, with
 * the test guest (deploy/build-test-guest.sh) imported gzipped as the standard drive {@code image}
 * (media disk, as the libraries image their nodes from), and one customer. Closing it stops the
 * system and destroys the network.
 */
final class StandardGuestSystem implements AutoCloseable {
    final Libvirt.Network network;
    final RunningSystem system;
    final Customer customer;

    private StandardGuestSystem(Libvirt.Network network, RunningSystem system, Customer customer) {
        this.network = network;
        this.system = system;
        this.customer = customer;
    }

    static StandardGuestSystem start(String name, Path work, String image, String imageName) throws IOException {
        Libvirt.start();
        Path iso = Libvirt.testGuest(work);
        Path gzipped = work.resolve("test-guest.iso.gz");
        try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(gzipped))) {
            Files.copy(iso, out);
        }
        Libvirt.Network network = Libvirt.isolatedNetwork(work);
        RunningSystem system = null;
        try {
            system = RunningSystem.start(name, network.systemArgs());
            Libvirt.assertReachableByGuests(system);
            system.importStandardDrive(image, imageName, gzipped, "disk");
            return new StandardGuestSystem(network, system, system.createCustomer());
        } catch (RuntimeException | Error e) {
            try (network) {
                if (system != null) {
                    system.close();
                }
            }
            throw e;
        }
    }

    @Override
    public void close() {
        try (network) {
            system.close();
        }
    }
}
