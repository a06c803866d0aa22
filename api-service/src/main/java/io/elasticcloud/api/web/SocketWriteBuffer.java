package io.elasticcloud.api.web;

import org.springframework.boot.tomcat.TomcatConnectorCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Tomcat writes a large response body to the socket in pieces of its per-connection write buffer
 * ({@code socket.appWriteBufSize}, 8 KiB by default): a 4 MiB read of an encrypted drive (decrypted
 * in the JVM, so not sent with sendfile) took 512 write system calls. 64 KiB makes it 64, for 56
 * KiB more per connection.
 */
@Configuration(proxyBeanMethods = false)
class SocketWriteBuffer {
    static final int BYTES = 64 * 1024;

    @Bean
    TomcatConnectorCustomizer largerSocketWrites() {
        return connector -> {
            if (!connector.setProperty("socket.appWriteBufSize", Integer.toString(BYTES))) {
                throw new IllegalStateException("Tomcat has no socket.appWriteBufSize property");
            }
        };
    }
}
