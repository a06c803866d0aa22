package io.elasticcloud.storage;

import static org.assertj.core.api.Assertions.assertThat;

import io.elasticcloud.protocol.Events.StorageNodeHeartbeat;
import io.elasticcloud.protocol.Transport;
import io.elasticcloud.protocol.secret.MasterKey;
import io.elasticcloud.protocol.storage.Cipher;
import io.elasticcloud.protocol.storage.StorageCommands.CreateVolume;
import io.elasticcloud.protocol.storage.StorageCommands.DescribeNode;
import io.elasticcloud.protocol.storage.VolumeDataPath;
import io.elasticcloud.protocol.storage.VolumeRef;
import io.elasticcloud.storage.testing.InternalCa;
import io.elasticcloud.storage.testing.RecordingTransport;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

class StorageConfigurationTest {
    @TempDir
    Path dir;

    @Test
    void defaultsGiveOnePoolUnderTheDataDirWithAGeneratedMasterKey() throws Exception {
        RecordingTransport bus = new RecordingTransport();
        new ApplicationContextRunner()
                .withUserConfiguration(StorageConfiguration.class)
                .withBean(Transport.class, () -> bus)
                .withPropertyValues("elastic.data-dir=" + dir, "elastic.storage.heartbeat-interval=100ms")
                .run(context -> {
                    assertThat(context).hasNotFailed();
                    StorageProperties props = context.getBean(StorageProperties.class);
                    assertThat(props.imagingThreads()).isEqualTo(2);
                    assertThat(props.unlockedVolumes()).isEqualTo(256);
                    StoragePools pools = context.getBean(StoragePools.class);
                    assertThat(pools.host()).isEqualTo(java.net.InetAddress.getLocalHost().getHostName());
                    var nbd = pools.exports().settings();
                    assertThat(nbd.address()).isEqualTo(pools.host());
                    assertThat(nbd.firstPort()).isEqualTo(10809);
                    assertThat(nbd.lastPort()).isEqualTo(10872);
                    assertThat(nbd.stateDir()).isEqualTo(dir.resolve("exports").toAbsolutePath().normalize());
                    Path key = dir.resolve("keys/master.key");
                    assertThat(Files.getPosixFilePermissions(key)).isEqualTo(PosixFilePermissions.fromString("rw-------"));
                    assertThat(Files.isDirectory(dir.resolve("volumes/pool-0"))).isTrue();

                    var status = bus.call("pool-0", new DescribeNode("n1"));
                    assertThat(status.hardware()).isEqualTo("hw-0");
                    assertThat(status.capacityBytes()).isPositive();
                    bus.await(StorageNodeHeartbeat.class, h -> h.status().node().equals("pool-0"), Duration.ofSeconds(5));

                    bus.call("pool-0", new CreateVolume("c1", "v1", 4096, Cipher.NONE));
                    VolumeDataPath data = context.getBean(VolumeDataPath.class);
                    data.write(new VolumeRef("pool-0", "v1"), 10, 3, new ByteArrayInputStream(new byte[] {1, 2, 3}));
                    ByteArrayOutputStream out = new ByteArrayOutputStream();
                    assertThat(data.read(new VolumeRef("pool-0", "v1"), 10, 3, out)).isEqualTo(3);
                    assertThat(out.toByteArray()).containsExactly(1, 2, 3);
                });
        assertThat(bus.serving("pool-0")).isFalse();
    }

    @Test
    void configuredPoolsServeUnderTheirNamesWithTheirCapacity() {
        RecordingTransport bus = new RecordingTransport();
        new ApplicationContextRunner()
                .withUserConfiguration(StorageConfiguration.class)
                .withBean(Transport.class, () -> bus)
                .withPropertyValues(
                        "elastic.storage.master-key-file=" + dir.resolve("k/master.key"),
                        "elastic.storage.pools[0].name=ssd-1",
                        "elastic.storage.pools[0].directory=" + dir.resolve("ssd1"),
                        "elastic.storage.pools[0].hardware=disk-a",
                        "elastic.storage.pools[0].capacity=10GB",
                        "elastic.storage.pools[1].name=ssd-2",
                        "elastic.storage.pools[1].directory=" + dir.resolve("ssd2"),
                        "elastic.storage.pools[1].capacity=1MB",
                        "elastic.storage.host=storage-7",
                        "elastic.storage.nbd.address=192.0.2.7",
                        "elastic.storage.nbd.ports=20100-20199",
                        "elastic.storage.nbd.state-dir=" + dir.resolve("nbd"))
                .run(context -> {
                    assertThat(context).hasNotFailed();
                    assertThat(bus.call("ssd-1", new DescribeNode("n")).capacityBytes()).isEqualTo(10L << 30);
                    assertThat(bus.call("ssd-1", new DescribeNode("n")).hardware()).isEqualTo("disk-a");
                    assertThat(bus.call("ssd-2", new DescribeNode("n")).hardware()).isEqualTo("ssd-2");
                    assertThat(Files.exists(dir.resolve("k/master.key"))).isTrue();
                    assertThat(context.getBean(StoragePools.class).nodes()).hasSize(2);
                    StoragePools pools = context.getBean(StoragePools.class);
                    assertThat(pools.host()).isEqualTo("storage-7");
                    assertThat(pools.exports().settings()).isEqualTo(
                            new io.elasticcloud.storage.export.NbdExports.Settings("192.0.2.7", 20100, 20199, dir.resolve("nbd")));
                    // the node's machine is the configured one: a guest of storage-7 gets a path, others an export
                    bus.call("ssd-1", new CreateVolume("c1", "v1", 4096, Cipher.NONE));
                    assertThat(bus.call("ssd-1", new io.elasticcloud.protocol.storage.StorageCommands.AttachVolume(
                            "a1", "v1", "storage-7", "s/1")).path()).endsWith("/ssd1/v1.raw");
                });
    }

    @Test
    void aTlsDirectoryMakesEveryExportRequireTlsAndOneWithoutItsFilesStopsTheStart() throws Exception {
        Path tls = Files.createDirectories(dir.resolve("nbd-tls"));
        ApplicationContextRunner runner = new ApplicationContextRunner()
                .withUserConfiguration(StorageConfiguration.class)
                .withBean(Transport.class, RecordingTransport::new)
                .withPropertyValues("elastic.data-dir=" + dir, "elastic.storage.nbd.tls-dir=" + tls);
        Files.writeString(tls.resolve("ca-cert.pem"), "ca");
        Files.writeString(tls.resolve("server-cert.pem"), "cert");
        runner.run(context -> assertThat(context).hasFailed().getFailure().rootCause()
                .hasMessageContaining("server-key.pem"));
        Files.writeString(tls.resolve("server-key.pem"), "key");
        runner.run(context -> {
            assertThat(context).hasNotFailed();
            assertThat(context.getBean(StoragePools.class).exports().settings().tlsDir()).isEqualTo(tls);
            assertThat(context.getBean(StoragePools.class).exports().settings().tls()).isTrue();
        });
    }

    @Test
    void withASecretTheNodesServeAndAdvertiseTheirDataPath() {
        RecordingTransport bus = new RecordingTransport();
        new ApplicationContextRunner()
                .withUserConfiguration(StorageConfiguration.class)
                .withBean(Transport.class, () -> bus)
                .withPropertyValues("elastic.data-dir=" + dir, "elastic.data-path.secret=s",
                        "elastic.storage.data-path.address=127.0.0.1", "elastic.storage.data-path.port=0")
                .run(context -> {
                    assertThat(context).hasNotFailed();
                    int port = context.getBean(io.elasticcloud.storage.node.DataPathServer.class).port();
                    assertThat(bus.call("pool-0", new DescribeNode("n")).dataUrl()).isEqualTo("http://127.0.0.1:" + port);
                });
        // without one (the single host) nothing listens and nothing is advertised
        new ApplicationContextRunner()
                .withUserConfiguration(StorageConfiguration.class)
                .withBean(Transport.class, () -> new RecordingTransport())
                .withPropertyValues("elastic.data-dir=" + dir.resolve("b"))
                .run(context -> {
                    assertThat(context).hasNotFailed().doesNotHaveBean(io.elasticcloud.storage.node.DataPathServer.class);
                    assertThat(context.getBean(StoragePools.class).nodes().get(0).status().dataUrl()).isNull();
                });
    }

    @Test
    void offLoopbackTheDataPathServesTlsOrRefusesToStart() throws Exception {
        // every interface, or a storage network's address, in plaintext: no start, and the message says what to do
        for (String address : new String[] {"", "192.0.2.10"}) {
            new ApplicationContextRunner()
                    .withUserConfiguration(StorageConfiguration.class)
                    .withBean(Transport.class, () -> new RecordingTransport())
                    .withPropertyValues("elastic.data-dir=" + dir, "elastic.data-path.secret=s",
                            "elastic.storage.data-path.address=" + address, "elastic.storage.data-path.port=0")
                    .run(context -> assertThat(context).hasFailed().getFailure().rootCause()
                            .hasMessageContaining("plaintext").hasMessageContaining("elastic.data-path.tls.keystore")
                            .hasMessageContaining("deploy/internal-ca.sh"));
        }
        Path host = InternalCa.create(dir.resolve("ca")).host(dir.resolve("tls"), "127.0.0.1");
        // two of the three files: no start
        new ApplicationContextRunner()
                .withUserConfiguration(StorageConfiguration.class)
                .withBean(Transport.class, () -> new RecordingTransport())
                .withPropertyValues("elastic.data-dir=" + dir, "elastic.data-path.secret=s",
                        "elastic.storage.data-path.address=127.0.0.1", "elastic.storage.data-path.port=0",
                        "elastic.data-path.tls.keystore=" + host.resolve("keystore.p12"),
                        "elastic.data-path.tls.password-file=" + host.resolve("password"))
                .run(context -> assertThat(context).hasFailed().getFailure().rootCause()
                        .hasMessageContaining("elastic.data-path.tls.keystore, .password-file and .ca-file"));
        RecordingTransport bus = new RecordingTransport();
        new ApplicationContextRunner()
                .withUserConfiguration(StorageConfiguration.class)
                .withBean(Transport.class, () -> bus)
                .withPropertyValues("elastic.data-dir=" + dir, "elastic.data-path.secret=s",
                        "elastic.data-path.accepted-secrets=old",
                        "elastic.storage.data-path.address=127.0.0.1", "elastic.storage.data-path.port=0",
                        "elastic.data-path.tls.keystore=" + host.resolve("keystore.p12"),
                        "elastic.data-path.tls.password-file=" + host.resolve("password"),
                        "elastic.data-path.tls.ca-file=" + host.resolve("ca.pem"))
                .run(context -> {
                    assertThat(context).hasNotFailed();
                    var server = context.getBean(io.elasticcloud.storage.node.DataPathServer.class);
                    assertThat(server.tls()).isTrue();
                    assertThat(bus.call("pool-0", new DescribeNode("n")).dataUrl())
                            .isEqualTo("https://127.0.0.1:" + server.port());
                    var shared = context.getBean(io.elasticcloud.protocol.datapath.DataPathConfiguration.DataPathProperties.class);
                    assertThat(shared.secrets()).containsExactly("s", "old");
                });
    }

    @Test
    void onTheRabbitBusStorageRefusesToStartWithoutTheSecretAndCanBeSwitchedOff() {
        new ApplicationContextRunner()
                .withUserConfiguration(StorageConfiguration.class)
                .withBean(Transport.class, () -> new RecordingTransport())
                .withPropertyValues("elastic.data-dir=" + dir, "elastic.bus.transport=rabbitmq")
                .run(context -> assertThat(context).hasFailed().getFailure()
                        .rootCause().hasMessageContaining("elastic.data-path.secret"));
        new ApplicationContextRunner()
                .withUserConfiguration(StorageConfiguration.class)
                .withBean(Transport.class, () -> new RecordingTransport())
                .withPropertyValues("elastic.data-dir=" + dir, "elastic.storage.enabled=false")
                .run(context -> assertThat(context).hasNotFailed().doesNotHaveBean(StoragePools.class));
    }
}
