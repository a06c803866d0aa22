package io.elasticcloud.api.server;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Configuration of servers ({@code elastic.servers.*}).
 *
 * @param vncListen the address guests' VNC consoles listen on for {@code vnc auto} (shown as
 *                  {@code vnc:ip}) until static IPs and temporary IPs come with the networks work
 */
@ConfigurationProperties("elastic.servers")
public record ServerProperties(@DefaultValue("127.0.0.1") String vncListen) {
}
