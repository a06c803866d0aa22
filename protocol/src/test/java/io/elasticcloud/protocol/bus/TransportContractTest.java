package io.elasticcloud.protocol.bus;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.awaitility.Awaitility.await;

import io.elasticcloud.protocol.Command;
import io.elasticcloud.protocol.Done;
import io.elasticcloud.protocol.ElasticException;
import io.elasticcloud.protocol.ErrorType;
import io.elasticcloud.protocol.Events;
import io.elasticcloud.protocol.Events.Event;
import io.elasticcloud.protocol.Events.AgentHeartbeat;
import io.elasticcloud.protocol.Events.ImagingFinished;
import io.elasticcloud.protocol.Events.ImagingProgress;
import io.elasticcloud.protocol.Incident;
import io.elasticcloud.protocol.Transport;
import io.elasticcloud.protocol.Transport.CommandHandler;
import io.elasticcloud.protocol.storage.Cipher;
import io.elasticcloud.protocol.storage.StorageCommands;
import io.elasticcloud.protocol.storage.StorageCommands.DescribeVolume;
import io.elasticcloud.protocol.storage.StorageCommands.DestroyVolume;
import io.elasticcloud.protocol.storage.VolumeInfo;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * What every {@link Transport} promises, run against each of them. A subclass opens a bus: a
 * transport to send and subscribe from, and one to serve and publish on (the same one in process;
 * two connections to the broker over RabbitMQ).
 */
abstract class TransportContractTest {
    protected static final Duration TIMEOUT = Duration.ofSeconds(10);
    /** The longest any single wait in these tests may last. */
    protected static final long WAIT_SECONDS = 15;

    protected record Bus(Transport client, Transport server) {
    }

    protected final String runId = UUID.randomUUID().toString().substring(0, 8);
    protected final Set<String> servedNodes = ConcurrentHashMap.newKeySet();
    private final List<AutoCloseable> registrations = new CopyOnWriteArrayList<>();
    private final List<CountDownLatch> latches = new CopyOnWriteArrayList<>();
    protected Transport client;
    protected Transport server;

    protected abstract Bus openBus();

    /** Closes the bus and removes whatever it left on a broker, for the nodes that were served. */
    protected abstract void closeBus(Bus bus, Set<String> servedNodes);

    @BeforeEach
    void openTheBus() {
        Bus bus = openBus();
        client = bus.client();
        server = bus.server();
    }

    @AfterEach
    void closeTheBus() throws Exception {
        latches.forEach(CountDownLatch::countDown);
        for (AutoCloseable registration : registrations) {
            registration.close();
        }
        closeBus(new Bus(client, server), servedNodes);
    }

    protected String node(String purpose) {
        return "test-" + purpose + "-" + runId;
    }

    protected AutoCloseable serve(String node, CommandHandler handler) {
        servedNodes.add(node);
        AutoCloseable registration = server.serve(node, handler);
        registrations.add(registration);
        return registration;
    }

    protected CountDownLatch latch() {
        CountDownLatch latch = new CountDownLatch(1);
        latches.add(latch);
        return latch;
    }

    protected static <R> R answerOf(CompletableFuture<R> reply) throws Exception {
        return reply.get(WAIT_SECONDS, TimeUnit.SECONDS);
    }

    protected static ElasticException failureOf(CompletableFuture<?> reply) {
        Throwable thrown = catchThrowable(() -> reply.get(WAIT_SECONDS, TimeUnit.SECONDS));
        assertThat(thrown).isInstanceOf(ExecutionException.class);
        assertThat(thrown.getCause()).isInstanceOf(ElasticException.class);
        return (ElasticException) thrown.getCause();
    }

    protected static void awaitQuietly(CountDownLatch latch) {
        try {
            latch.await(WAIT_SECONDS, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    static Stream<Class<?>> storageCommandTypes() {
        return Arrays.stream(StorageCommands.StorageCommand.class.getPermittedSubclasses());
    }

    @ParameterizedTest
    @MethodSource("storageCommandTypes")
    @SuppressWarnings("unchecked")
    void carriesEveryStorageCommandAndItsReply(Class<?> type) throws Exception {
        Command<Object> command = (Command<Object>) SampleMessages.of(type);
        Object reply = SampleMessages.of(new MessageCodec().replyType(type));
        List<Command<?>> received = new CopyOnWriteArrayList<>();
        serve(node("store"), c -> {
            received.add(c);
            return reply;
        });

        Object answer = answerOf(client.request(node("store"), command, TIMEOUT));

        assertThat(received).containsExactly(command);
        assertThat(received.get(0)).as("the command crossed the codec").isNotSameAs(command);
        assertThat(answer).isEqualTo(reply).isNotSameAs(reply);
    }

    @Test
    void isConnectedUntilClosed() {
        assertThat(client.connected()).isTrue();
        assertThat(server.connected()).isTrue();
        client.close();
        assertThat(client.connected()).isFalse();
    }

    @Test
    void answersDoneAsDone() throws Exception {
        serve(node("store"), c -> Done.INSTANCE);

        Done answer = answerOf(client.request(node("store"), new DestroyVolume("c-1", "v-1"), TIMEOUT));

        assertThat(answer).isEqualTo(Done.INSTANCE);
    }

    @ParameterizedTest
    @EnumSource(ErrorType.class)
    void carriesTheHandlersErrorTypeAndMessage(ErrorType type) {
        String message = "drive v-1 cannot be resized: " + type.header();
        serve(node("store"), c -> {
            throw new ElasticException(type, message, new IllegalStateException("internal cause"));
        });

        ElasticException error = failureOf(client.request(node("store"), new DescribeVolume("c-1", "v-1"), TIMEOUT));

        assertThat(error.type()).isEqualTo(type);
        if (Incident.hides(type)) {
            // a 500's own words stay in the serving side's log, under the incident the reply names
            assertThat(error.getMessage()).doesNotContain("cannot be resized").contains("DescribeVolume");
            assertThat(Incident.in(error.getMessage())).isPresent();
        } else {
            assertThat(error.getMessage()).isEqualTo(message);
        }
    }

    @Test
    void keepsTheIncidentAHandlerNamed() {
        Incident incident = Incident.next();
        serve(node("store"), c -> {
            throw ElasticException.failed("%s", incident.mark("qemu said: Could not open '/var/lib/x'"));
        });

        ElasticException error = failureOf(client.request(node("store"), new DescribeVolume("c-1", "v-1"), TIMEOUT));

        assertThat(error.type()).isEqualTo(ErrorType.FAILED);
        assertThat(error.getMessage()).doesNotContain("qemu", "/var/lib");
        assertThat(Incident.in(error.getMessage())).hasValue(incident);
    }

    @Test
    void turnsOtherExceptionsIntoSystemWithoutTheirText() {
        serve(node("store"), c -> {
            throw new IllegalStateException("cryptsetup failed on /var/lib/elastic/keys/v-1.key");
        });

        ElasticException error = failureOf(client.request(node("store"), new DescribeVolume("c-7", "v-1"), TIMEOUT));

        assertThat(error.type()).isEqualTo(ErrorType.SYSTEM);
        assertThat(error.getMessage())
                .contains(node("store"), "DescribeVolume", "c-7")
                .doesNotContain("cryptsetup", "/var/lib", "IllegalStateException");
        assertThat(Incident.in(error.getMessage())).isPresent();
    }

    @Test
    void turnsAReplyOfTheWrongTypeIntoSystem() {
        serve(node("wrong"), c -> Done.INSTANCE);
        serve(node("null"), c -> null);

        ElasticException wrong = failureOf(client.request(node("wrong"), new DescribeVolume("c-1", "v-1"), TIMEOUT));
        ElasticException none = failureOf(client.request(node("null"), new DescribeVolume("c-2", "v-1"), TIMEOUT));

        assertThat(wrong.type()).isEqualTo(ErrorType.SYSTEM);
        assertThat(none.type()).isEqualTo(ErrorType.SYSTEM);
    }

    @Test
    void timesOutWithSystem() {
        CountDownLatch never = latch();
        serve(node("slow"), c -> {
            awaitQuietly(never);
            return SampleMessages.of(VolumeInfo.class);
        });

        long start = System.nanoTime();
        ElasticException error = failureOf(
                client.request(node("slow"), new DescribeVolume("c-1", "v-1"), Duration.ofMillis(300)));
        Duration took = Duration.ofNanos(System.nanoTime() - start);

        assertThat(error.type()).isEqualTo(ErrorType.SYSTEM);
        assertThat(error.getMessage()).contains(node("slow"), "DescribeVolume", "300 ms");
        assertThat(took).isBetween(Duration.ofMillis(250), Duration.ofSeconds(3));
    }

    @Test
    void failsFastForANodeNobodyServes() {
        long start = System.nanoTime();
        ElasticException error = failureOf(
                client.request(node("nobody"), new DescribeVolume("c-1", "v-1"), Duration.ofSeconds(30)));
        Duration took = Duration.ofNanos(System.nanoTime() - start);

        assertThat(error.type()).isEqualTo(ErrorType.SYSTEM);
        assertThat(error.getMessage()).isEqualTo("node " + node("nobody") + " is not reachable");
        assertThat(took).isLessThan(Duration.ofSeconds(3));
    }

    @Test
    void stopsServingOnceTheRegistrationIsClosed() throws Exception {
        AtomicInteger calls = new AtomicInteger();
        AutoCloseable registration = serve(node("store"), c -> {
            calls.incrementAndGet();
            return SampleMessages.of(VolumeInfo.class);
        });
        answerOf(client.request(node("store"), new DescribeVolume("c-1", "v-1"), TIMEOUT));

        registration.close();
        ElasticException error = failureOf(
                client.request(node("store"), new DescribeVolume("c-2", "v-1"), Duration.ofSeconds(1)));

        assertThat(error.type()).isEqualTo(ErrorType.SYSTEM);
        assertThat(calls).hasValue(1);
    }

    @Test
    void refusesToServeANodeTwiceButServesItAgainAfterClose() throws Exception {
        AutoCloseable first = serve(node("store"), c -> SampleMessages.of(VolumeInfo.class));

        assertThatThrownBy(() -> serve(node("store"), c -> SampleMessages.of(VolumeInfo.class)))
                .isInstanceOf(IllegalStateException.class);
        first.close();
        serve(node("store"), c -> new VolumeInfo("v-2", 1, Cipher.NONE, 0));

        VolumeInfo answer = answerOf(client.request(node("store"), new DescribeVolume("c-1", "v-2"), TIMEOUT));
        assertThat(answer.volume()).isEqualTo("v-2");
    }

    @Test
    void answersTwoHundredConcurrentRequestsEachWithItsOwnReply() throws Exception {
        serve(node("busy"), c -> {
            DescribeVolume describe = (DescribeVolume) c;
            return new VolumeInfo(describe.volume(), Long.parseLong(describe.commandId()), Cipher.NONE, 0);
        });

        List<CompletableFuture<VolumeInfo>> replies = IntStream.range(0, 200).parallel()
                .mapToObj(i -> client.request(node("busy"), new DescribeVolume(Integer.toString(i), "v-" + i), TIMEOUT))
                .toList();
        CompletableFuture.allOf(replies.toArray(CompletableFuture[]::new)).get(WAIT_SECONDS * 2, TimeUnit.SECONDS);

        for (int i = 0; i < 200; i++) {
            assertThat(replies.get(i).get()).isEqualTo(new VolumeInfo("v-" + i, i, Cipher.NONE, 0));
        }
    }

    /**
     * The redelivery contract: an exception is an answer, not a lost delivery. The caller gets
     * {@code system} at once, the command is not run again behind its back, and retrying with the
     * same command id is the caller's choice (safe, as handlers are idempotent).
     */
    @Test
    void answersAFailedHandlerWithSystemAndLeavesTheRetryToTheCaller() throws Exception {
        List<String> seen = new CopyOnWriteArrayList<>();
        serve(node("flaky"), c -> {
            seen.add(c.commandId());
            if (seen.size() == 1) {
                throw new IllegalStateException("transient I/O error");
            }
            return SampleMessages.of(VolumeInfo.class);
        });
        DescribeVolume command = new DescribeVolume("c-retry-1", "v-1");

        ElasticException first = failureOf(client.request(node("flaky"), command, TIMEOUT));
        Thread.sleep(500);
        List<String> seenBeforeRetry = List.copyOf(seen);
        VolumeInfo retried = answerOf(client.request(node("flaky"), command, TIMEOUT));

        assertThat(first.type()).isEqualTo(ErrorType.SYSTEM);
        assertThat(seenBeforeRetry).as("not redelivered after an error reply").containsExactly("c-retry-1");
        assertThat(retried).isEqualTo(SampleMessages.of(VolumeInfo.class));
        assertThat(seen).containsExactly("c-retry-1", "c-retry-1");
    }

    @Test
    void failsPendingAndLaterRequestsWhenClosed() throws Exception {
        CountDownLatch release = latch();
        CountDownLatch started = latch();
        serve(node("store"), c -> {
            started.countDown();
            awaitQuietly(release);
            return SampleMessages.of(VolumeInfo.class);
        });
        CompletableFuture<VolumeInfo> pending = client.request(node("store"), new DescribeVolume("c-1", "v-1"), TIMEOUT);
        assertThat(started.await(WAIT_SECONDS, TimeUnit.SECONDS)).isTrue();

        CompletableFuture<Void> closing = CompletableFuture.runAsync(client::close);
        ElasticException error = failureOf(pending);
        release.countDown();
        closing.get(WAIT_SECONDS, TimeUnit.SECONDS);

        assertThat(error.type()).isEqualTo(ErrorType.SYSTEM);
        assertThat(failureOf(client.request(node("store"), new DescribeVolume("c-2", "v-1"), TIMEOUT)).type())
                .isEqualTo(ErrorType.SYSTEM);
    }

    /** Every kind of event the bus carries. */
    static final Set<Class<? extends Event>> EVERY_KIND = Arrays.stream(Events.Event.class.getPermittedSubclasses())
            .map(type -> type.asSubclass(Event.class)).collect(Collectors.toUnmodifiableSet());

    static List<Event> sampleEvents() {
        return Arrays.stream(Events.Event.class.getPermittedSubclasses())
                .map(type -> (Event) SampleMessages.of(type))
                .toList();
    }

    @Test
    void fansEveryEventOutToEverySubscriberUntilItUnsubscribes() throws Exception {
        List<Event> first = new CopyOnWriteArrayList<>();
        List<Event> second = new CopyOnWriteArrayList<>();
        AutoCloseable firstSubscription = client.subscribe(EVERY_KIND, first::add);
        client.subscribe(EVERY_KIND, second::add);
        registrations.add(firstSubscription);

        sampleEvents().forEach(server::publish);
        await().atMost(Duration.ofSeconds(WAIT_SECONDS))
                .until(() -> first.size() == sampleEvents().size() && second.size() == sampleEvents().size());
        firstSubscription.close();
        ImagingProgress after = new ImagingProgress("store-a", "job-after", "v-1", 99);
        server.publish(after);
        await().atMost(Duration.ofSeconds(WAIT_SECONDS)).until(() -> second.contains(after));
        Thread.sleep(300);

        assertThat(first).containsExactlyElementsOf(sampleEvents());
        assertThat(second).containsExactlyElementsOf(
                Stream.concat(sampleEvents().stream(), Stream.of(after)).toList());
    }

    @Test
    void deliversToEachSubscriberOnlyTheKindsItAskedFor() throws Exception {
        List<Event> imaging = new CopyOnWriteArrayList<>();
        List<Event> hosts = new CopyOnWriteArrayList<>();
        registrations.add(client.subscribe(Set.of(ImagingProgress.class, ImagingFinished.class), imaging::add));
        registrations.add(client.subscribe(Set.of(AgentHeartbeat.class), hosts::add));

        sampleEvents().forEach(server::publish);
        ImagingProgress last = new ImagingProgress("store-a", "job-last", "v-1", 100);
        server.publish(last);
        await().atMost(Duration.ofSeconds(WAIT_SECONDS)).until(() -> imaging.contains(last) && !hosts.isEmpty());
        Thread.sleep(300);

        assertThat(imaging).containsExactlyElementsOf(Stream.concat(sampleEvents().stream()
                .filter(e -> e instanceof ImagingProgress || e instanceof ImagingFinished), Stream.of(last)).toList());
        assertThat(hosts).containsExactly(SampleMessages.of(AgentHeartbeat.class));
    }

    @Test
    void refusesASubscriptionToNoKindOfEvent() {
        assertThatThrownBy(() -> client.subscribe(Set.of(), event -> { }))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void deliversEventsToEachSubscriberInPublishOrderPastAFailingListener() {
        List<Integer> percents = new CopyOnWriteArrayList<>();
        registrations.add(client.subscribe(Set.of(ImagingProgress.class), event -> {
            int percent = ((ImagingProgress) event).percent();
            percents.add(percent);
            if (percent == 0) {
                throw new IllegalStateException("listener bug");
            }
        }));

        IntStream.rangeClosed(0, 100).forEach(p -> server.publish(new ImagingProgress("store-a", "job-1", "v-1", p)));

        await().atMost(Duration.ofSeconds(WAIT_SECONDS)).until(() -> percents.size() == 101);
        assertThat(percents).containsExactlyElementsOf(IntStream.rangeClosed(0, 100).boxed().toList());
    }

    @Test
    void acceptsPublishingWithNoSubscriberAndDeliversOnlyWhatFollowsASubscription() {
        ImagingProgress before = new ImagingProgress("store-a", "job-1", "v-1", 10);
        ImagingProgress after = new ImagingProgress("store-a", "job-1", "v-1", 20);
        server.publish(before);

        List<Event> received = new CopyOnWriteArrayList<>();
        registrations.add(client.subscribe(Set.of(ImagingProgress.class), received::add));
        server.publish(after);

        await().atMost(Duration.ofSeconds(WAIT_SECONDS)).until(() -> received.contains(after));
        assertThat(received).containsExactly(after);
    }
}
