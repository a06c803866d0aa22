package io.elasticcloud.api.frontdoor;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The limits of the HTTP front door ({@code elastic.http.*}); docs/configuration.md explains each.
 *
 * @param maxInFlightPerAddress  requests one source address may have in progress at once (IPv6: one /64)
 * @param maxInFlightPerCustomer requests one customer may have in progress at once, from any address
 * @param bodyGrace              how long a request body may take before the minimum rate applies
 * @param bodyMinRate            bytes per second a body must average after the grace
 * @param authFailureBurst       failed authentications one source address may make in a row
 * @param authFailureInterval    after the burst, one more failed authentication per this interval
 * @param addressTable           slots of the table of failure budgets (fixed memory; addresses share
 *                               a slot when they collide)
 * @param adminHashWait          how long an admin login waits for the one slow password hash at a time
 * @param maxConnectionsPerAddress connections one source address may hold open at once (IPv6: one
 *                               /64); more are closed at accept
 */
@ConfigurationProperties("elastic.http")
public record FrontDoorProperties(
        @DefaultValue("64") int maxInFlightPerAddress,
        @DefaultValue("64") int maxInFlightPerCustomer,
        @DefaultValue("20s") Duration bodyGrace,
        @DefaultValue("500") long bodyMinRate,
        @DefaultValue("10") int authFailureBurst,
        @DefaultValue("6s") Duration authFailureInterval,
        @DefaultValue("4096") int addressTable,
        @DefaultValue("2s") Duration adminHashWait,
        @DefaultValue("512") int maxConnectionsPerAddress) {

    public FrontDoorProperties {
        if (maxInFlightPerAddress < 1 || maxInFlightPerCustomer < 1 || authFailureBurst < 1 || addressTable < 1
                || maxConnectionsPerAddress < 1
                || bodyMinRate < 0 || bodyGrace.isNegative() || authFailureInterval.isNegative()
                || adminHashWait.isNegative()) {
            throw new IllegalArgumentException("elastic.http.* limits must be positive");
        }
    }

    /** The defaults above, for code that builds the service's parts by hand (benchmarks, tests). */
    public static FrontDoorProperties defaults() {
        return new FrontDoorProperties(64, 64, Duration.ofSeconds(20), 500, 10, Duration.ofSeconds(6), 4096,
                Duration.ofSeconds(2), 512);
    }
}
