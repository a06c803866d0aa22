package io.elasticcloud.api.frontdoor;

import org.apache.catalina.Container;
import org.apache.catalina.Valve;
import org.apache.catalina.core.StandardHost;
import org.apache.catalina.valves.ErrorReportValve;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.tomcat.servlet.TomcatServletWebServerFactory;
import org.springframework.boot.web.server.WebServerFactoryCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;

/**
 * The servlet container's part of the front door: {@link UnreadBodyValve} on the engine (no worker
 * waits for a body nobody will read), and {@link ApiErrorReportValve} in place of Tomcat's HTML
 * error page. Runs after Spring Boot's own customizer, which adds the stock ErrorReportValve. Its
 * connector is {@link AddressLimitedProtocol}: at most {@code elastic.http.max-connections-per-address}
 * open connections per source address.
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(FrontDoorProperties.class)
class TomcatFrontDoor {

    @Bean
    WebServerFactoryCustomizer<TomcatServletWebServerFactory> frontDoorValves() {
        return new Valves();
    }

    @Bean
    WebServerFactoryCustomizer<TomcatServletWebServerFactory> frontDoorConnections(FrontDoorProperties properties) {
        int perAddress = properties.maxConnectionsPerAddress();
        return factory -> {
            factory.setProtocol(AddressLimitedProtocol.class.getName());
            factory.addConnectorCustomizers(connector -> {
                if (connector.getProtocolHandler() instanceof AddressLimitedProtocol protocol) {
                    protocol.setMaxConnectionsPerAddress(perAddress);
                } else {
                    throw new IllegalStateException("the HTTP connector is not " + AddressLimitedProtocol.class.getName()
                            + " but " + connector.getProtocolHandler().getClass().getName());
                }
            });
        };
    }

    private static final class Valves implements WebServerFactoryCustomizer<TomcatServletWebServerFactory>, Ordered {
        @Override
        public void customize(TomcatServletWebServerFactory factory) {
            factory.addEngineValves(new UnreadBodyValve());
            factory.addContextCustomizers(context -> {
                Container parent = context.getParent();
                for (Valve valve : parent.getPipeline().getValves()) {
                    if (valve instanceof ErrorReportValve && !(valve instanceof ApiErrorReportValve)) {
                        parent.getPipeline().removeValve(valve);
                    }
                }
                if (parent instanceof StandardHost host) {
                    host.setErrorReportValveClass(ApiErrorReportValve.class.getName());
                }
                parent.getPipeline().addValve(new ApiErrorReportValve());
            });
        }

        @Override
        public int getOrder() {
            return Ordered.LOWEST_PRECEDENCE;
        }
    }
}
