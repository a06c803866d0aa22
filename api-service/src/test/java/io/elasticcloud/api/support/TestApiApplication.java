package io.elasticcloud.api.support;

import io.elasticcloud.protocol.Transport;
import io.elasticcloud.protocol.bus.InProcessTransport;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.context.annotation.Bean;

/**
 * The API service alone, as its fast tests run it: the real web, security and persistence layers,
 * the in-process bus, and {@link FakeStorage} with two nodes on different hardware.
 */
@SpringBootApplication(scanBasePackages = "io.elasticcloud.api")
public class TestApiApplication {
    public static final long NODE_CAPACITY = 64L * 1024 * 1024;

    @Bean(destroyMethod = "close")
    Transport transport() {
        return new InProcessTransport();
    }

    @Bean
    FakeStorage fakeStorage(Transport transport) {
        return new FakeStorage(transport).node("fake-a", "hw-a", NODE_CAPACITY).node("fake-b", "hw-b", NODE_CAPACITY);
    }
}
