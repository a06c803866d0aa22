package io.elasticcloud.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.model.ExposedPort;
import com.github.dockerjava.api.model.PortBinding;
import com.github.dockerjava.api.model.Ports;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.containers.PostgreSQLContainer;
import org.testcontainers.containers.RabbitMQContainer;
import org.testcontainers.lifecycle.Startables;
import org.testcontainers.utility.DockerImageName;

/**
 * The API process on a PostgreSQL and a RabbitMQ of its own, each in a container (images made by
 * {@code deploy/container-images.sh}, or the official ones on a machine with a registry:
 * {@code ELASTIC_TEST_POSTGRES_IMAGE=postgres:15}, {@code ELASTIC_TEST_RABBITMQ_IMAGE=rabbitmq:3}),
 * so that either can be cut off without touching this machine's own services. The process runs all
 * three parts (api, storage, agent on libvirt's {@code test:///default}) on the RabbitMQ bus, as
 * {@code deploy/run-host.sh api,storage,agent} does; one process, one start for every fault here.
 *
 * <p>Each container is paused ({@code docker pause}: it neither answers nor refuses, as behind a
 * network partition), or stopped and started again, under a customer's load: {@link DatabaseCut}
 * and {@link BrokerCut} say what must hold. Both ports are fixed, as a real database's and
 * broker's are: a container started again would otherwise be published on another one.
 */
class ContainerFaultTest {
    /** Low, so that a call waiting on a broker that does not answer fails soon; the default is 30 s. */
    static final Duration BUS_TIMEOUT = Duration.ofSeconds(5);

    private static PostgreSQLContainer<?> postgres;
    private static RabbitMQContainer rabbit;
    private static RunningSystem system;

    @BeforeAll
    static void start() {
        postgres = fixedPort(new PostgreSQLContainer<>(image("ELASTIC_TEST_POSTGRES_IMAGE", "local/postgres:15", "postgres")),
                PostgreSQLContainer.POSTGRESQL_PORT);
        rabbit = fixedPort(new RabbitMQContainer(image("ELASTIC_TEST_RABBITMQ_IMAGE", "local/rabbitmq:3", "rabbitmq")),
                5672);
        Startables.deepStart(postgres, rabbit).join();
        system = RunningSystem.startHost("containerfault", "api,storage,agent", Map.of(
                        "SPRING_DATASOURCE_URL", postgres.getJdbcUrl(),
                        "SPRING_DATASOURCE_USERNAME", postgres.getUsername(),
                        "SPRING_DATASOURCE_PASSWORD", postgres.getPassword(),
                        "SPRING_RABBITMQ_HOST", "127.0.0.1",
                        "SPRING_RABBITMQ_PORT", Integer.toString(rabbit.getAmqpPort()),
                        "SPRING_RABBITMQ_USERNAME", rabbit.getAdminUsername(),
                        "SPRING_RABBITMQ_PASSWORD", rabbit.getAdminPassword(),
                        "SPRING_RABBITMQ_VIRTUAL_HOST", "/",
                        "ELASTIC_DATAPATH_SECRET", RunningSystemSupport.randomSecret()),
                "--elastic.agent.libvirt-uri=test:///default",
                "--elastic.bus-timeout=" + BUS_TIMEOUT.toSeconds() + "s",
                "--elastic.storage.data-path.address=127.0.0.1", "--elastic.storage.data-path.port=0");
    }

    @AfterAll
    static void stop() {
        try {
            if (system != null) {
                system.close();
            }
        } finally {
            // no Ryuk here (it would have to be pulled): the containers go with the test
            if (postgres != null) {
                postgres.stop();
            }
            if (rabbit != null) {
                rabbit.stop();
            }
        }
    }

    /** {@code NAME} from the environment (a registry's image), else this machine's own {@code local}. */
    private static DockerImageName image(String variable, String local, String official) {
        String given = System.getenv(variable);
        return DockerImageName.parse(given == null || given.isBlank() ? local : given).asCompatibleSubstituteFor(official);
    }

    /**
     * The container's {@code port}, its only one published, on a loopback port that stays the same
     * across its restarts (Testcontainers waits for every exposed port to be published).
     */
    private static <C extends GenericContainer<?>> C fixedPort(C container, int port) {
        int published = RunningSystemSupport.freeLoopbackPort();
        container.setExposedPorts(List.of(port));
        container.withCreateContainerCmdModifier(create -> create.getHostConfig().withPortBindings(new PortBinding(
                Ports.Binding.bindIpAndPort("127.0.0.1", published), ExposedPort.tcp(port))));
        return container;
    }

    private static DockerClient docker() {
        return DockerClientFactory.instance().client();
    }

    @Test
    void aPausedDatabaseFailsCallsFastAndTheyWorkAgainOnceItIsBack() throws Exception {
        new DatabaseCut(system, "paused").run(() -> docker().pauseContainerCmd(postgres.getContainerId()).exec(),
                () -> docker().unpauseContainerCmd(postgres.getContainerId()).exec());
    }

    @Test
    void aKilledDatabaseFailsCallsFastAndTheyWorkAgainOnceItIsStartedAgain() throws Exception {
        new DatabaseCut(system, "killed").run(() -> docker().killContainerCmd(postgres.getContainerId()).exec(),
                () -> docker().startContainerCmd(postgres.getContainerId()).exec());
    }

    @Test
    void aRestartedBrokerFailsCallsCleanlyAndEveryPartReconnectsByItself() throws Exception {
        new BrokerCut(system, "restarted").run(() -> docker().stopContainerCmd(rabbit.getContainerId()).exec(),
                Duration.ZERO, () -> {
                    int started = brokerStarts();
                    docker().startContainerCmd(rabbit.getContainerId()).exec();
                    // RabbitMQ's own boot (15-35 s here) is not the system's to answer for
                    Wait.until("RabbitMQ started again", Duration.ofSeconds(120), () -> brokerStarts() > started);
                });
    }

    /** How many times the broker has said it is ready, in its container's whole log. */
    private static int brokerStarts() {
        return rabbit.getLogs().split("Server startup complete", -1).length - 1;
    }

    @Test
    void aBrokerPausedLongerThanTheBusTimeoutFailsCallsCleanlyAndEveryPartReconnectsByItself() throws Exception {
        new BrokerCut(system, "paused").run(() -> docker().pauseContainerCmd(rabbit.getContainerId()).exec(),
                BrokerCut.PAUSE, () -> docker().unpauseContainerCmd(rabbit.getContainerId()).exec());
    }

    /** A call's reply and how long it took. */
    record Timed(PlainHttp.Reply reply, long millis) {
        static Timed of(java.util.function.Supplier<PlainHttp.Reply> call) {
            long start = System.nanoTime();
            PlainHttp.Reply r = call.get();
            return new Timed(r, TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start));
        }

        /** Asserts a clean failure ({@code 500 system}) within {@code limit}; answers how long it took. */
        long failedWithin(Duration limit, String during) {
            assertThat(reply.status()).as(reply.describe()).isGreaterThanOrEqualTo(500);
            assertThat(reply.header("X-Elastic-Error")).as(reply.describe()).contains("system");
            assertThat(Duration.ofMillis(millis)).as("answered while %s: %s", during, reply.describe())
                    .isLessThanOrEqualTo(limit);
            return millis;
        }
    }

    /** Whether a failed reply is the clean one, {@code 500 system}. */
    static boolean isSystem(PlainHttp.Reply r) {
        return r.status() >= 500 && r.header("X-Elastic-Error").orElse("").equals("system");
    }
}
