package io.elasticcloud.protocol.datapath;

import io.elasticcloud.protocol.Transport;
import io.elasticcloud.protocol.storage.LocalDataPath;
import io.elasticcloud.protocol.storage.VolumeDataPath;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
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
     * @param secret          the secret every API and storage process of one cloud shares; a
     *                        storage node refuses requests without it. Required with {@code
     *                        elastic.bus.transport=rabbitmq} on storage processes
     * @param acceptedSecrets secrets a storage node accepts besides {@code secret}, while a new
     *                        one is rolled out (callers send {@code secret} only)
     * @param connectTimeout  how long a connection to a storage node may take
     * @param readTimeout     how long a storage node may stay silent during a call
     * @param tls             the files of its mutual TLS ({@link DataPathTls}); without them the
     *                        data path is plaintext, which a storage process allows on loopback only
     */
    @ConfigurationProperties("elastic.data-path")
    public record DataPathProperties(String secret, List<String> acceptedSecrets,
                                     @DefaultValue("5s") Duration connectTimeout,
                                     @DefaultValue("60s") Duration readTimeout, @DefaultValue Tls tls) {

        public DataPathProperties {
            acceptedSecrets = acceptedSecrets == null ? List.of()
                    : acceptedSecrets.stream().filter(s -> s != null && !s.isBlank()).map(String::strip).toList();
        }

        /** Every secret a storage node accepts: {@code secret} first, then the others. */
        public List<String> secrets() {
            List<String> all = new ArrayList<>();
            if (secret != null && !secret.isBlank()) {
                all.add(secret.strip());
            }
            all.addAll(acceptedSecrets);
            return List.copyOf(all);
        }
    }

    /**
     * {@code elastic.data-path.tls.*}: what {@code deploy/internal-ca.sh host} writes; all three or
     * none.
     *
     * @param keystore     PKCS12 with this host's key and certificate ({@code keystore.p12})
     * @param passwordFile the keystore's password ({@code password})
     * @param caFile       PEM, the internal CA's certificate(s) ({@code ca.pem})
     */
    public record Tls(Path keystore, Path passwordFile, Path caFile) {
    }

    @Bean(destroyMethod = "close")
    public DataUrls dataUrls(Transport transport) {
        return new DataUrls(transport);
    }

    @Bean
    public HttpVolumeDataPath remoteVolumeDataPath(DataPathProperties properties, DataUrls urls) throws IOException {
        return new HttpVolumeDataPath(urls, properties.secret(), DataPathTls.of(properties.tls()),
                properties.connectTimeout(), properties.readTimeout());
    }

    @Bean
    @Primary
    public VolumeDataPath volumeDataPath(ObjectProvider<LocalDataPath> local, HttpVolumeDataPath remote) {
        return new RoutingVolumeDataPath(local.getIfAvailable(), remote);
    }
}
