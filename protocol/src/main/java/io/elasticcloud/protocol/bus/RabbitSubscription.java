package io.elasticcloud.protocol.bus;

import io.elasticcloud.protocol.Events.Event;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.amqp.AmqpException;
import org.springframework.amqp.core.MessageListener;
import org.springframework.amqp.rabbit.core.RabbitAdmin;
import org.springframework.amqp.rabbit.listener.SimpleMessageListenerContainer;

/** One subscriber of the RabbitMQ transport: its own queue, its own consumer, in publish order. */
final class RabbitSubscription {
    private static final Logger log = LoggerFactory.getLogger(RabbitSubscription.class);

    private final String queue;
    private final SimpleMessageListenerContainer container;
    private final RabbitAdmin admin;
    private final Consumer<RabbitSubscription> onClose;
    private final AtomicBoolean closed = new AtomicBoolean();
    private volatile Thread deliveringThread;

    RabbitSubscription(String queue, SimpleMessageListenerContainer container, RabbitAdmin admin, MessageCodec codec,
                       Consumer<Event> listener, Consumer<RabbitSubscription> onClose) {
        this.queue = queue;
        this.container = container;
        this.admin = admin;
        this.onClose = onClose;
        container.setMessageListener((MessageListener) message -> {
            if (closed.get()) {
                return;
            }
            deliveringThread = Thread.currentThread();
            var encoded = RabbitTopology.encoded(message);
            try {
                listener.accept((Event) codec.decode(encoded.type(), encoded.body()));
            } catch (RuntimeException e) {
                // Handled here, not by the container: a requeued event would come back forever.
                log.error("An event listener failed on {}", encoded.type(), e);
            }
        });
    }

    void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        onClose.accept(this);
        if (Thread.currentThread() == deliveringThread) {
            // Stopping a container from its own consumer thread waits for itself; let it go on.
            new DaemonThreads("elastic-events-close").newThread(this::tearDown).start();
        } else {
            tearDown();
        }
    }

    private void tearDown() {
        container.stop();
        try {
            admin.deleteQueue(queue);
        } catch (AmqpException e) {
            log.debug("Could not delete event queue {}; it is auto-delete anyway", queue, e);
        }
    }
}
