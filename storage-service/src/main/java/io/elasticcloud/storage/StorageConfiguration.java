package io.elasticcloud.storage;

import io.elasticcloud.protocol.Transport;
import io.elasticcloud.protocol.storage.VolumeDataPath;
import java.io.IOException;
import java.nio.file.Path;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The storage service's wiring: its pools serve on the {@link Transport} bean (provided by the
 * protocol module's bus configuration), and the data path to them is the {@link VolumeDataPath}
 * bean.
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(StorageProperties.class)
public class StorageConfiguration {

    @Bean(destroyMethod = "close")
    public StoragePools storagePools(StorageProperties properties, Transport transport,
                                     @Value("${elastic.data-dir:./data}") Path dataDir) throws IOException {
        return new StoragePools(properties, dataDir, transport);
    }

    @Bean
    public VolumeDataPath volumeDataPath(StoragePools pools) {
        return pools.dataPath();
    }
}
