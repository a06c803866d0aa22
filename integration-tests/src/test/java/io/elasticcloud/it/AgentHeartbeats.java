package io.elasticcloud.it;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.DefaultConsumer;
import com.rabbitmq.client.Envelope;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashSet;
import java.util.Set;

/**
 * What one node agent says it runs, heard as the API instances hear it: the agent's heartbeats
 * ({@code Events.AgentHeartbeat}, its running guests by server UUID) on the bus namespace's events
 * exchange, through a queue of the test's own. For an agent on libvirt's {@code test:///default},
 * whose domains live inside the agent's process where no {@code virsh} reaches them.
 */
final class AgentHeartbeats implements AutoCloseable {
    private final Connection connection;
    private final String node;
    private Heard last;

    private record Heard(long arrivedNanos, Set<String> servers) {
    }

    private AgentHeartbeats(Connection connection, String node) {
        this.connection = connection;
        this.node = node;
    }

    /** Listens to the heartbeats of {@code node} on the bus of {@code namespace} from now on. */
    static AgentHeartbeats listen(String namespace, String node) {
        Connection connection;
        try {
            connection = TestInfrastructure.rabbitConnection();
        } catch (Exception e) {
            throw new IllegalStateException("cannot connect to RabbitMQ: " + e, e);
        }
        AgentHeartbeats heartbeats = new AgentHeartbeats(connection, node);
        try {
            Channel channel = connection.createChannel();
            String queue = channel.queueDeclare("", false, true, true, null).getQueue();
            channel.queueBind(queue, namespace + ".events", "#");
            channel.basicConsume(queue, true, new DefaultConsumer(channel) {
                @Override
                public void handleDelivery(String tag, Envelope envelope, AMQP.BasicProperties properties, byte[] body) {
                    Object type = properties.getHeaders() == null ? null : properties.getHeaders().get("elastic-type");
                    if (type != null && type.toString().endsWith("AgentHeartbeat")) {
                        heartbeats.heard(new String(body, StandardCharsets.UTF_8));
                    }
                }
            });
            return heartbeats;
        } catch (Exception e) {
            heartbeats.close();
            throw new IllegalStateException("cannot listen to " + namespace + ".events: " + e, e);
        }
    }

    private void heard(String json) {
        JsonObject heartbeat = JsonParser.parseString(json).getAsJsonObject();
        if (!node.equals(heartbeat.getAsJsonObject("host").get("node").getAsString())) {
            return;
        }
        Set<String> servers = new HashSet<>();
        for (JsonElement server : heartbeat.getAsJsonArray("servers")) {
            servers.add(server.getAsString());
        }
        synchronized (this) {
            last = new Heard(System.nanoTime(), Set.copyOf(servers));
            notifyAll();
        }
    }

    /** The servers the first heartbeat arriving from now on lists; fails after {@code limit}. */
    synchronized Set<String> next(Duration limit) {
        long asked = System.nanoTime();
        long deadline = asked + limit.toNanos();
        while (last == null || last.arrivedNanos() <= asked) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                throw new AssertionError("no heartbeat of " + node + " within " + limit);
            }
            try {
                wait(Math.max(1, left / 1_000_000));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
        }
        return last.servers();
    }

    @Override
    public void close() {
        try {
            connection.close();
        } catch (Exception e) {
            // the exclusive queue goes with the connection either way
        }
    }
}
