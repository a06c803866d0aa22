package io.elasticcloud.protocol.datapath;

import io.elasticcloud.protocol.Transport;
import io.elasticcloud.protocol.storage.LocalDataPath;
import io.elasticcloud.protocol.storage.VolumeDataPath;
import java.time.Duration;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Primary;

/**
 * The {@link VolumeDataPath} of a process: its own storage nodes directly (the {@link
 * LocalDataPath} bean, when it runs storage), every other node over the internal HTTP data path.
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(DataPathConfiguration.DataPathProperties.class)
public class DataPathConfiguration {

    /**
     * {@code elastic.data-path.*}: the internal data path between processes.
     *
     * @param secret         the secret every API and storage process of one cloud shares; a
     *                       storage node refuses requests without it. Required with {@code
     *                       elastic.bus.transport=rabbitmq} on storage processes
     * @param connectTimeout how long a connection to a storage node may take
     * @param readTimeout    how long a storage node may stay silent during a call
     */
    @ConfigurationProperties("elastic.data-path")
    public record DataPathProperties(String secret, @DefaultValue("5s") Duration connectTimeout,
                                     @DefaultValue("60s") Duration readTimeout) {
    }

    @Bean(destroyMethod = "close")
    public DataUrls dataUrls(Transport transport) {
        return new DataUrls(transport);
    }

    @Bean
    public HttpVolumeDataPath remoteVolumeDataPath(DataPathProperties properties, DataUrls urls) {
        return new HttpVolumeDataPath(urls, properties.secret(), properties.connectTimeout(), properties.readTimeout());
    }

    @Bean
    @Primary
    public VolumeDataPath volumeDataPath(ObjectProvider<LocalDataPath> local, HttpVolumeDataPath remote) {
        return new RoutingVolumeDataPath(local.getIfAvailable(), remote);
    }
}
