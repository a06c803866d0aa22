package io.elasticcloud.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.model.ExposedPort;
import com.github.dockerjava.api.model.PortBinding;
import com.github.dockerjava.api.model.Ports;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
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
 * network partition) or killed and started again, while a customer keeps creating drives: calls
 * answer within {@link #FAIL_FAST} with {@code system} instead of hanging; once it is back they
 * work again within {@link #RECOVERY}, and every drive acknowledged before, during or after is
 * there. The database's port is fixed, as a real database's is: a container started again would
 * otherwise be published on another one.
 */
class PostgresFaultTest {
    private static final Duration FAIL_FAST = Duration.ofSeconds(10);
    private static final Duration RECOVERY = Duration.ofSeconds(15);
    private static final int CALLS_WHILE_CUT = 6;

    private static PostgreSQLContainer<?> postgres;
    private static RabbitMQContainer rabbit;
    private static RunningSystem system;
    private static String customer;

    @BeforeAll
    static void start() {
        int port = RunningSystemSupport.freeLoopbackPort();
        postgres = new PostgreSQLContainer<>(image("ELASTIC_TEST_POSTGRES_IMAGE", "local/postgres:15", "postgres"))
                .withCreateContainerCmdModifier(create -> create.getHostConfig().withPortBindings(new PortBinding(
                        Ports.Binding.bindIpAndPort("127.0.0.1", port), ExposedPort.tcp(PostgreSQLContainer.POSTGRESQL_PORT))));
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
        DockerClient docker = DockerClientFactory.instance().client();
        cutOff("paused", () -> docker.pauseContainerCmd(postgres.getContainerId()).exec(),
                () -> docker.unpauseContainerCmd(postgres.getContainerId()).exec());
    }

    @Test
    void aKilledDatabaseFailsCallsFastAndTheyWorkAgainOnceItIsStartedAgain() throws Exception {
        DockerClient docker = DockerClientFactory.instance().client();
        cutOff("killed", () -> docker.killContainerCmd(postgres.getContainerId()).exec(),
                () -> docker.startContainerCmd(postgres.getContainerId()).exec());
    }

    /**
     * With a customer creating drives one after another throughout: {@code cut} the database, send
     * reads and creates while it is gone, {@code mend} it, and wait until calls work again.
     */
    private static void cutOff(String how, Runnable cut, Runnable mend) throws Exception {
        PlainHttp http = system.http();
        PlainHttp.Reply created = http.post("/drives/create", customer, "name before-" + how + "\nsize 1M\n");
        assertThat(created.status()).as(created.describe()).isEqualTo(200);
        String drive = PlainHttp.parseObject(created.text()).get("drive");

        Load load = new Load(http, how);
        Thread writer = new Thread(load, "load-" + how);
        writer.start();
        RunningSystem.sleep(Duration.ofSeconds(1));
        List<Long> tookMillis = new ArrayList<>();
        cut.run();
        try {
            ExecutorService pool = Executors.newFixedThreadPool(CALLS_WHILE_CUT);
            try {
                List<Future<Timed>> calls = new ArrayList<>();
                for (int i = 0; i < CALLS_WHILE_CUT; i++) {
                    String body = "name during-" + how + "-" + i + "\nsize 1M\n";
                    calls.add(pool.submit(i % 2 == 0
                            ? () -> Timed.of(() -> http.get("/drives/" + drive + "/info", customer))
                            : () -> Timed.of(() -> http.post("/drives/create", customer, body))));
                }
                for (Future<Timed> call : calls) {
                    tookMillis.add(assertFailedFast(call.get(FAIL_FAST.toSeconds() + 60, TimeUnit.SECONDS)));
                }
                // and later, one at a time, once the pool has given up on its connections
                tookMillis.add(assertFailedFast(Timed.of(() -> http.get("/drives/list", customer))));
            } finally {
                pool.shutdownNow();
            }
        } finally {
            mend.run();
        }
        System.out.println("PostgresFaultTest: " + how + ": answers took (ms) " + tookMillis);

        long back = System.nanoTime();
        Wait.until("calls work again after the database is back (" + how + ")", RECOVERY,
                () -> http.get("/drives/" + drive + "/info", customer).status() == 200);
        System.out.println("PostgresFaultTest: " + how + ": working again "
                + Duration.ofNanos(System.nanoTime() - back).toMillis() + " ms after");
        RunningSystem.sleep(Duration.ofSeconds(1));
        load.stop.set(true);
        writer.join(Duration.ofSeconds(60).toMillis());
        assertThat(writer.isAlive()).as("the writer's last call answered").isFalse();

        PlainHttp.Reply info = http.get("/drives/" + drive + "/info", customer);
        assertThat(PlainHttp.parseObject(info.text())).as(info.describe()).containsEntry("name", "before-" + how);
        assertThat(load.failures).as("the writer's calls that failed otherwise than with system").isEmpty();
        assertThat(load.acknowledged).as("drives acknowledged while the database came and went").isNotEmpty();
        for (Map.Entry<String, String> acknowledged : load.acknowledged) {
            PlainHttp.Reply r = http.get("/drives/" + acknowledged.getKey() + "/info", customer);
            assertThat(r.status()).as("acknowledged drive %s: %s", acknowledged.getValue(), r.describe()).isEqualTo(200);
            assertThat(PlainHttp.parseObject(r.text())).containsEntry("name", acknowledged.getValue());
        }
        System.out.println("PostgresFaultTest: " + how + ": writer: " + load.acknowledged.size() + " acknowledged, "
                + load.refused + " refused with system");
    }

    private static long assertFailedFast(Timed t) {
        assertThat(t.reply.status()).as(t.reply.describe()).isGreaterThanOrEqualTo(500);
        assertThat(t.reply.header("X-Elastic-Error")).as(t.reply.describe()).contains("system");
        assertThat(Duration.ofMillis(t.millis)).as("answered while the database is gone: %s", t.reply.describe())
                .isLessThanOrEqualTo(FAIL_FAST);
        return t.millis;
    }

    /** A customer creating drives one after another until stopped; what each answer was. */
    private static final class Load implements Runnable {
        final AtomicBoolean stop = new AtomicBoolean();
        final List<Map.Entry<String, String>> acknowledged = Collections.synchronizedList(new ArrayList<>());
        final List<String> failures = Collections.synchronizedList(new ArrayList<>());
        volatile int refused;
        private final PlainHttp http;
        private final String how;

        Load(PlainHttp http, String how) {
            this.http = http;
            this.how = how;
        }

        @Override
        public void run() {
            for (int i = 0; !stop.get(); i++) {
                String name = "load-" + how + "-" + i;
                PlainHttp.Reply r = http.post("/drives/create", customer, "name " + name + "\nsize 1M\n");
                if (r.status() == 200) {
                    acknowledged.add(Map.entry(PlainHttp.parseObject(r.text()).get("drive"), name));
                } else if (r.status() >= 500 && r.header("X-Elastic-Error").orElse("").equals("system")) {
                    refused++;
                    RunningSystem.sleep(Duration.ofMillis(200));
                } else {
                    failures.add(r.describe());
                }
            }
        }
    }

    private record Timed(PlainHttp.Reply reply, long millis) {
        static Timed of(java.util.function.Supplier<PlainHttp.Reply> call) {
            long start = System.nanoTime();
            PlainHttp.Reply r = call.get();
            return new Timed(r, TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start));
        }
    }
}
