package io.elasticcloud.storage;

import io.elasticcloud.protocol.Transport;
import io.elasticcloud.protocol.bus.BusProperties;
import io.elasticcloud.protocol.datapath.DataPathConfiguration.DataPathProperties;
import io.elasticcloud.protocol.datapath.DataPathTls;
import io.elasticcloud.protocol.datapath.HttpVolumeDataPath;
import io.elasticcloud.protocol.settings.DataDirectory;
import io.elasticcloud.storage.node.DataPathServer;
import io.elasticcloud.storage.node.LocalVolumeDataPath;
import java.io.IOException;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Condition;
import org.springframework.context.annotation.ConditionContext;
import org.springframework.context.annotation.Conditional;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.type.AnnotatedTypeMetadata;

/**
 * The storage service's wiring: its pools serve on the {@link Transport} bean (provided by the
 * protocol module's bus configuration); the data path to them is the {@link LocalVolumeDataPath}
 * bean in this process and, when {@code elastic.data-path.secret} is set, the {@link
 * DataPathServer} for other processes. Loaded only when {@code elastic.storage.enabled} is true
 * (the default), so that a process can run without storage.
 *
 * <p>The settings it shares with the other services are bound where they belong and given to it
 * here: the data directory ({@link DataDirectory}), the bus's transport ({@link BusProperties})
 * and the data path's secret ({@link DataPathProperties}).
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnProperty(name = "elastic.storage.enabled", havingValue = "true", matchIfMissing = true)
@EnableConfigurationProperties({StorageProperties.class, DataDirectory.class, BusProperties.class,
        DataPathProperties.class})
public class StorageConfiguration {
    static final String SECRET = "elastic.data-path.secret";

    @Bean
    public LocalVolumeDataPath localVolumeDataPath() {
        return new LocalVolumeDataPath();
    }

    /**
     * Plaintext only on a loopback address (one machine): anywhere else a storage process without
     * {@code elastic.data-path.tls.*} refuses to start, rather than serve drives' bytes, and take
     * the secret, in the clear on the storage network.
     */
    @Bean(destroyMethod = "close")
    @Conditional(SecretSet.class)
    public DataPathServer dataPathServer(StorageProperties properties, LocalVolumeDataPath local,
                                         DataPathProperties shared) throws IOException {
        StorageProperties.DataPath dp = properties.dataPath();
        DataPathTls tls = DataPathTls.of(shared.tls());
        if (tls == null && (dp.address() == null || dp.address().isBlank() || !DataPathTls.loopback(dp.address()))) {
            throw new IllegalStateException("the data path would serve drives' bytes in plaintext on "
                    + (dp.address() == null || dp.address().isBlank() ? "every interface" : dp.address())
                    + ": give it TLS (elastic.data-path.tls.keystore, .password-file and .ca-file, made by "
                    + "deploy/internal-ca.sh; docs/operations.md, \"Internal TLS\"), or bind it to loopback "
                    + "(elastic.storage.data-path.address=127.0.0.1) when every process runs on this machine");
        }
        if (tls != null && dp.url() != null && !dp.url().isBlank() && !dp.url().strip().startsWith("https://")) {
            throw new IllegalStateException("elastic.storage.data-path.url must be https:// with the data path's TLS: "
                    + dp.url());
        }
        return new DataPathServer(dp.address(), dp.port(), dp.threads(), shared.secrets(), tls, local);
    }

    /**
     * @param remote the data path to other processes' nodes (protocol's data path configuration),
     *               so that imaging may read a source volume on another storage process
     */
    @Bean(destroyMethod = "close")
    public StoragePools storagePools(StorageProperties properties, Transport transport, DataDirectory dataDir,
                                     LocalVolumeDataPath local, ObjectProvider<DataPathServer> server,
                                     ObjectProvider<HttpVolumeDataPath> remote, BusProperties bus) throws IOException {
        DataPathServer data = server.getIfAvailable();
        if (data == null && bus.transport() == BusProperties.Kind.RABBITMQ) {
            throw new IllegalStateException("storage on the RabbitMQ bus serves its bytes to the API service over the "
                    + "internal data path, which needs a secret: set " + SECRET + " (the same on every API and "
                    + "storage process), or elastic.storage.enabled=false");
        }
        String url = data == null ? null : dataUrl(properties, data.port(), data.tls());
        return new StoragePools(properties, dataDir.dataDir(), transport, local, remote.getIfAvailable(), url);
    }

    static String dataUrl(StorageProperties properties, int port, boolean tls) {
        StorageProperties.DataPath dp = properties.dataPath();
        if (dp.url() != null && !dp.url().isBlank()) {
            return dp.url().strip();
        }
        String address = dp.address();
        if (address == null || address.isBlank() || address.equals("0.0.0.0") || address.equals("::")) {
            address = properties.host() != null && !properties.host().isBlank() ? properties.host()
                    : StoragePools.localHostName();
        }
        if (address.contains(":") && !address.startsWith("[")) {
            address = "[" + address + "]";
        }
        return (tls ? "https://" : "http://") + address + ":" + port;
    }

    /** {@code elastic.data-path.secret} is set to something. */
    static final class SecretSet implements Condition {
        @Override
        public boolean matches(ConditionContext context, AnnotatedTypeMetadata metadata) {
            String secret = context.getEnvironment().getProperty(SECRET);
            return secret != null && !secret.isBlank();
        }
    }
}
