package io.elasticcloud.api.console;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The browser console's settings ({@code elastic.console.*}); docs/configuration.md explains each.
 *
 * @param tokenTtl          how long a console token may wait to be spent
 * @param tokensPerCustomer unspent tokens one customer may hold at once
 * @param perCustomer       consoles one customer may have open at once on one API instance
 * @param total             consoles open at once on one API instance, all customers together
 * @param handshakeTimeout  how long reaching and answering the guest's VNC, and the viewer's own
 *                          RFB handshake, may each take
 * @param idleTimeout       a console with no traffic either way for this long is closed
 * @param maxMessage        the largest WebSocket message a viewer may send, in bytes
 * @param watchInterval     how often open consoles check that their server still runs
 * @param vncTlsCa          the CA certificate (PEM) that signed the hosts' VNC certificates
 *                          ({@code deploy/vnc-tls-certs.sh}'s {@code ca-cert.pem}), read as each
 *                          such console opens; without it a {@code vnc:tls on} server's console
 *                          cannot open
 * @param origins           page origins allowed besides the API's own address (the one the
 *                          request names in {@code Host}), e.g. {@code https://cloud.example.com}
 */
@ConfigurationProperties("elastic.console")
public record ConsoleProperties(
        @DefaultValue("60s") Duration tokenTtl,
        @DefaultValue("16") int tokensPerCustomer,
        @DefaultValue("4") int perCustomer,
        @DefaultValue("256") int total,
        @DefaultValue("10s") Duration handshakeTimeout,
        @DefaultValue("15m") Duration idleTimeout,
        @DefaultValue("65536") int maxMessage,
        @DefaultValue("2s") Duration watchInterval,
        Path vncTlsCa,
        @DefaultValue List<String> origins) {

    public ConsoleProperties {
        if (tokensPerCustomer < 1 || perCustomer < 1 || total < 1 || maxMessage < 1024
                || !positive(tokenTtl) || !positive(handshakeTimeout) || !positive(idleTimeout)
                || !positive(watchInterval)) {
            throw new IllegalArgumentException("elastic.console.* limits must be positive (max-message at least 1024)");
        }
        origins = List.copyOf(origins);
    }

    private static boolean positive(Duration d) {
        return !d.isNegative() && !d.isZero();
    }
}
