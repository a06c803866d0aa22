package io.elasticcloud.api;

import java.nio.file.Path;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;

/**
 * The API service's configuration ({@code elastic.*}); docs/configuration.md explains each.
 *
 * @param dataDir       where the single host keeps its database, volumes and keys
 * @param adminPassword the admin's password; generated at first start when unset
 * @param busTimeout    how long a command waits for a storage node's or agent's reply
 * @param maxWriteSize  the largest decompressed body one drive write accepts
 */
@ConfigurationProperties("elastic")
public record ApiProperties(
        @DefaultValue("./data") Path dataDir,
        String adminPassword,
        @DefaultValue("30s") Duration busTimeout,
        @DefaultValue("64MB") DataSize maxWriteSize) {
}
