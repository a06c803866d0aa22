package io.elasticcloud.storage;

import static org.assertj.core.api.Assertions.assertThat;

import io.elasticcloud.storage.testing.RecordingTransport;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.health.contributor.Status;
import org.springframework.util.FileSystemUtils;

/** A file pool on a real directory is UP with its figures, and DOWN with the reason once its directory is gone. */
class StoragePoolsHealthTest {
    @TempDir
    Path dir;

    @Test
    void aPoolIsUpWhileItsDiskAnswersAndDownWithTheReasonWhenItDoesNot() throws Exception {
        StorageProperties properties = new StorageProperties(
                List.of(new StorageProperties.Pool("pool-h", dir.resolve("volumes"), "hw-h", null)),
                dir.resolve("keys/master.key"), Duration.ofSeconds(60), 1, Duration.ofMillis(250), 8, "storage-h",
                null, new StorageProperties.DataPath(null, 0, null, 1), null);
        try (StoragePools pools = new StoragePools(properties, dir, new RecordingTransport())) {
            StoragePoolsHealth health = new StoragePoolsHealth(pools);
            assertThat(health.stream().map(e -> e.name())).containsExactly("pool-h");
            Health up = ((HealthIndicator) health.getContributor("pool-h")).health();
            assertThat(up.getStatus()).isEqualTo(Status.UP);
            Map<String, Object> details = up.getDetails();
            assertThat(details).containsEntry("hardware", "hw-h").containsEntry("usedBytes", 0L)
                    .containsKeys("capacityBytes", "freeBytes", "roomOnDiskBytes");
            assertThat((Long) details.get("roomOnDiskBytes")).isPositive();

            FileSystemUtils.deleteRecursively(dir.resolve("volumes"));
            assertThat(Files.exists(dir.resolve("volumes"))).isFalse();
            Health down = ((HealthIndicator) health.getContributor("pool-h")).health();
            assertThat(down.getStatus()).isEqualTo(Status.DOWN);
            assertThat((String) down.getDetails().get("reason")).contains(dir.resolve("volumes").toString());
            assertThat(health.getContributor("pool-z")).isNull();
        }
    }
}
