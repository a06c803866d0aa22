package io.elasticcloud.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.github.dockerjava.api.DockerClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.containers.PostgreSQLContainer;
import org.testcontainers.containers.RabbitMQContainer;
import org.testcontainers.lifecycle.Startables;
import org.testcontainers.utility.DockerImageName;

/**
 * The API process on a PostgreSQL and a RabbitMQ of its own, each in a container (images made by
 * {@code deploy/container-images.sh}, or the official ones on a machine with a registry:
 * {@code ELASTIC_TEST_POSTGRES_IMAGE=postgres:15}, {@code ELASTIC_TEST_RABBITMQ_IMAGE=rabbitmq:3}),
 * so that the database can be cut off without touching this machine's own services. The process
 * runs all three parts (api, storage, agent on libvirt's {@code test:///default}) on the RabbitMQ
 * bus, as {@code deploy/run-host.sh api,storage,agent} does.
 *
 * <p>The database paused ({@code docker pause}: it neither answers nor refuses, as behind a
 * network partition): calls answer within {@link #FAIL_FAST} with {@code system} instead of
 * hanging; unpaused, they work again within {@link #RECOVERY}, and what was acknowledged before
 * is still there.
 */
class PostgresFaultTest {
    private static final Duration FAIL_FAST = Duration.ofSeconds(10);
    private static final Duration RECOVERY = Duration.ofSeconds(15);
    private static final int CALLS_WHILE_PAUSED = 6;

    private static PostgreSQLContainer<?> postgres;
    private static RabbitMQContainer rabbit;
    private static RunningSystem system;
    private static String customer;

    @BeforeAll
    static void start() {
        postgres = new PostgreSQLContainer<>(image("ELASTIC_TEST_POSTGRES_IMAGE", "local/postgres:15", "postgres"));
        rabbit = new RabbitMQContainer(image("ELASTIC_TEST_RABBITMQ_IMAGE", "local/rabbitmq:3", "rabbitmq"));
        Startables.deepStart(postgres, rabbit).join();
        system = RunningSystem.startHost("pgfault", "api,storage,agent", Map.of(
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
                "--elastic.storage.data-path.address=127.0.0.1", "--elastic.storage.data-path.port=0");
        customer = PlainHttp.basic(system.createCustomer());
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

    @Test
    void aPausedDatabaseFailsCallsFastAndTheyWorkAgainOnceItIsBack() throws Exception {
        PlainHttp http = system.http();
        PlainHttp.Reply created = http.post("/drives/create", customer, "name before-the-pause\nsize 1M\n");
        assertThat(created.status()).as(created.describe()).isEqualTo(200);
        String drive = PlainHttp.parseObject(created.text()).get("drive");

        DockerClient docker = DockerClientFactory.instance().client();
        docker.pauseContainerCmd(postgres.getContainerId()).exec();
        List<Long> tookMillis = new ArrayList<>();
        try {
            ExecutorService pool = Executors.newFixedThreadPool(CALLS_WHILE_PAUSED);
            try {
                List<Future<Timed>> calls = new ArrayList<>();
                for (int i = 0; i < CALLS_WHILE_PAUSED; i++) {
                    String body = "name during-the-pause-" + i + "\nsize 1M\n";
                    calls.add(pool.submit(i % 2 == 0
                            ? () -> Timed.of(() -> http.get("/drives/" + drive + "/info", customer))
                            : () -> Timed.of(() -> http.post("/drives/create", customer, body))));
                }
                for (Future<Timed> call : calls) {
                    Timed t = call.get(FAIL_FAST.toSeconds() + 60, TimeUnit.SECONDS);
                    tookMillis.add(t.millis);
                    assertThat(t.reply.status()).as(t.reply.describe()).isGreaterThanOrEqualTo(500);
                    assertThat(t.reply.header("X-Elastic-Error")).as(t.reply.describe()).contains("system");
                    assertThat(Duration.ofMillis(t.millis)).as("answered while the database is paused")
                            .isLessThanOrEqualTo(FAIL_FAST);
                }
                // later calls too, one at a time, once Hikari has given up on its connections
                Timed later = Timed.of(() -> http.get("/drives/list", customer));
                tookMillis.add(later.millis);
                assertThat(later.reply.header("X-Elastic-Error")).as(later.reply.describe()).contains("system");
                assertThat(Duration.ofMillis(later.millis)).isLessThanOrEqualTo(FAIL_FAST);
            } finally {
                pool.shutdownNow();
            }
        } finally {
            docker.unpauseContainerCmd(postgres.getContainerId()).exec();
        }
        System.out.println("PostgresFaultTest: answers while paused took (ms) " + tookMillis);

        long back = System.nanoTime();
        Wait.until("calls work again after the database is back", RECOVERY,
                () -> http.get("/drives/" + drive + "/info", customer).status() == 200);
        System.out.println("PostgresFaultTest: working again " + Duration.ofNanos(System.nanoTime() - back).toMillis()
                + " ms after the unpause");

        PlainHttp.Reply info = http.get("/drives/" + drive + "/info", customer);
        assertThat(PlainHttp.parseObject(info.text())).as(info.describe()).containsEntry("name", "before-the-pause");
        PlainHttp.Reply after = http.post("/drives/create", customer, "name after-the-pause\nsize 1M\n");
        assertThat(after.status()).as(after.describe()).isEqualTo(200);
    }

    private record Timed(PlainHttp.Reply reply, long millis) {
        static Timed of(java.util.function.Supplier<PlainHttp.Reply> call) {
            long start = System.nanoTime();
            PlainHttp.Reply r = call.get();
            return new Timed(r, TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start));
        }
    }
}
