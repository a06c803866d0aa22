package io.elasticcloud.protocol.bus;

import java.time.Duration;
import java.time.temporal.ChronoUnit;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.boot.convert.DurationUnit;

/**
 * Where the RabbitMQ broker is, under Spring Boot's own {@code spring.rabbitmq} keys, so that an
 * operator sets it once for everything in the process that speaks AMQP. The defaults are the
 * broker's own guest on this host, which RabbitMQ lets in from loopback only; deploy/run-host.sh
 * gives the cloud's own user and virtual host instead (docs/operations.md, "RabbitMQ user").
 *
 * <p>{@code requestedHeartbeat} (whole seconds, Spring Boot's unit): a broker that stops answering
 * without closing the connection (a network partition, a frozen host) is given up after two missed
 * heartbeats, and the connection and its consumers are made again once it answers. 10 s notices a
 * partition within about 20 s; the client's own default, 60 s, would take two minutes, during
 * which health says {@code UP} and nothing reconnects. RabbitMQ advises 5 to 20 s; 0 turns them off.
 */
@ConfigurationProperties("spring.rabbitmq")
public record RabbitConnectionProperties(@DefaultValue("127.0.0.1") String host,
                                         @DefaultValue("5672") int port,
                                         @DefaultValue("guest") String username,
                                         @DefaultValue("guest") String password,
                                         @DefaultValue("/") String virtualHost,
                                         @DefaultValue("10s") @DurationUnit(ChronoUnit.SECONDS) Duration requestedHeartbeat,
                                         @DefaultValue Ssl ssl) {

    /**
     * TLS to the broker ({@code spring.rabbitmq.ssl.*}, Spring Boot's names). Without a trust store
     * the JVM's own CAs judge the broker's certificate; a key store is only for brokers that ask
     * for a client certificate. Stores are Spring resource locations, e.g. {@code file:/etc/...}.
     */
    public record Ssl(@DefaultValue("false") boolean enabled,
                      String trustStore,
                      String trustStorePassword,
                      @DefaultValue("JKS") String trustStoreType,
                      String keyStore,
                      String keyStorePassword,
                      @DefaultValue("PKCS12") String keyStoreType,
                      @DefaultValue("true") boolean verifyHostname) {

        public static final Ssl OFF = new Ssl(false, null, null, "JKS", null, null, "PKCS12", true);

        /** Never the passwords. */
        @Override
        public String toString() {
            return enabled ? "TLS" + (verifyHostname ? "" : " without host name verification") : "plain";
        }
    }

    /** Never the password: this record ends up in logs and failure reports. */
    @Override
    public String toString() {
        return "RabbitConnectionProperties[" + username + "@" + host + ":" + port + ", vhost " + virtualHost + ", " + ssl + "]";
    }
}
