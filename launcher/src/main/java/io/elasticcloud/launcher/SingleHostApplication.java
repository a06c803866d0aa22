package io.elasticcloud.launcher;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;

/**
 * Single-host mode: the API service, a node agent and the storage nodes in one process, joined by
 * the in-process bus. Only this module knows all three; none of them imports another.
 */
@SpringBootApplication(scanBasePackages = "io.elasticcloud")
public class SingleHostApplication {
    public static void main(String[] args) {
        SpringApplication.run(SingleHostApplication.class, args);
    }
}
