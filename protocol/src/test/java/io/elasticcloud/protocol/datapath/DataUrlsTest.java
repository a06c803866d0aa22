package io.elasticcloud.protocol.datapath;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.elasticcloud.protocol.ElasticException;
import io.elasticcloud.protocol.ErrorType;
import io.elasticcloud.protocol.Events.StorageNodeHeartbeat;
import io.elasticcloud.protocol.bus.InProcessTransport;
import io.elasticcloud.protocol.storage.NodeStatus;
import io.elasticcloud.protocol.storage.StorageCommands.DescribeNode;
import java.net.URI;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** A node's data URL from its heartbeat, or by asking the node; none for a node that serves none. */
class DataUrlsTest {

    @Test
    void heartbeatsThenDescribeNodeForANodeNotHeardYetAndSystemForNone() throws Exception {
        try (InProcessTransport bus = new InProcessTransport(); DataUrls urls = new DataUrls(bus)) {
            bus.publish(new StorageNodeHeartbeat(new NodeStatus("a", "hw", 1, 0, "http://10.0.0.1:8091"), Instant.now()));
            long deadline = System.nanoTime() + 5_000_000_000L;
            URI a = null;
            while (a == null && System.nanoTime() < deadline) {
                try {
                    a = urls.apply("a");
                } catch (ElasticException notYet) {
                    Thread.sleep(20);
                }
            }
            assertThat(a).isEqualTo(URI.create("http://10.0.0.1:8091"));

            AtomicInteger asked = new AtomicInteger();
            try (AutoCloseable b = bus.serve("b", c -> {
                asked.incrementAndGet();
                return c instanceof DescribeNode ? new NodeStatus("b", "hw", 1, 0, "http://10.0.0.2:9000/") : null;
            }); AutoCloseable single = bus.serve("single-host", c -> new NodeStatus("single-host", "hw", 1, 0))) {
                assertThat(urls.apply("b")).isEqualTo(URI.create("http://10.0.0.2:9000/"));
                assertThat(urls.apply("b")).isEqualTo(URI.create("http://10.0.0.2:9000/"));
                assertThat(asked).as("asked once, then remembered").hasValue(1);
                assertThatThrownBy(() -> urls.apply("single-host")).isInstanceOf(ElasticException.class)
                        .satisfies(e -> assertThat(((ElasticException) e).type()).isEqualTo(ErrorType.SYSTEM));
            }
            assertThatThrownBy(() -> urls.apply("nobody")).isInstanceOf(ElasticException.class)
                    .satisfies(e -> assertThat(((ElasticException) e).type()).isEqualTo(ErrorType.SYSTEM));
        }
    }
}
