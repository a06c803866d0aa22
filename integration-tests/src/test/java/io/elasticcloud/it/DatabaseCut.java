package io.elasticcloud.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.elasticcloud.it.ContainerFaultTest.Timed;
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

/**
 * The database cut off while a customer keeps creating drives ({@link ContainerFaultTest}): calls
 * answer within {@link #FAIL_FAST} with {@code system} instead of hanging; once it is back they work
 * again within {@link #RECOVERY}, and every drive acknowledged before, during or after is there.
 */
final class DatabaseCut {
    private static final Duration FAIL_FAST = Duration.ofSeconds(10);
    private static final Duration RECOVERY = Duration.ofSeconds(15);
    private static final Duration READY = Duration.ofSeconds(60);
    private static final int CALLS_WHILE_CUT = 6;

    private final PlainHttp http;
    private final String how;
    private final String customer;

    DatabaseCut(RunningSystem system, String how) {
        this.http = system.http();
        this.how = how;
        this.customer = PlainHttp.basic(system.createCustomer());
    }

    /** {@code cut} the database, send reads and creates while it is gone, {@code mend} it, wait until calls work again. */
    void run(Runnable cut, Runnable mend) throws Exception {
        // whatever came before (another fault), this one starts on a working system
        Wait.until("drives can be created before the database is " + how, READY,
                () -> http.post("/drives/create", customer, "name ready-" + how + "\nsize 1M\n").status() == 200);
        PlainHttp.Reply created = http.post("/drives/create", customer, "name before-" + how + "\nsize 1M\n");
        assertThat(created.status()).as(created.describe()).isEqualTo(200);
        String drive = PlainHttp.parseObject(created.text()).get("drive");

        Load load = new Load();
        Thread writer = new Thread(load, "load-" + how);
        writer.start();
        RunningSystem.sleep(Duration.ofSeconds(1));
        List<Long> tookMillis = new ArrayList<>();
        String during = "the database is " + how;
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
                    tookMillis.add(call.get(FAIL_FAST.toSeconds() + 60, TimeUnit.SECONDS).failedWithin(FAIL_FAST, during));
                }
                // and later, one at a time, once the pool has given up on its connections
                tookMillis.add(Timed.of(() -> http.get("/drives/list", customer)).failedWithin(FAIL_FAST, during));
            } finally {
                pool.shutdownNow();
            }
        } finally {
            mend.run();
        }
        System.out.println("DatabaseCut: " + how + ": answers took (ms) " + tookMillis);

        long back = System.nanoTime();
        Wait.until("calls work again after the database is back (" + how + ")", RECOVERY,
                () -> http.get("/drives/" + drive + "/info", customer).status() == 200);
        System.out.println("DatabaseCut: " + how + ": working again "
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
        System.out.println("DatabaseCut: " + how + ": writer: " + load.acknowledged.size() + " acknowledged, "
                + load.refused + " refused with system");
    }

    /** A customer creating drives one after another until stopped; what each answer was. */
    private final class Load implements Runnable {
        final AtomicBoolean stop = new AtomicBoolean();
        final List<Map.Entry<String, String>> acknowledged = Collections.synchronizedList(new ArrayList<>());
        final List<String> failures = Collections.synchronizedList(new ArrayList<>());
        volatile int refused;

        @Override
        public void run() {
            for (int i = 0; !stop.get(); i++) {
                String name = "load-" + how + "-" + i;
                PlainHttp.Reply r = http.post("/drives/create", customer, "name " + name + "\nsize 1M\n");
                if (r.status() == 200) {
                    acknowledged.add(Map.entry(PlainHttp.parseObject(r.text()).get("drive"), name));
                } else if (ContainerFaultTest.isSystem(r)) {
                    refused++;
                    RunningSystem.sleep(Duration.ofMillis(200));
                } else {
                    failures.add(r.describe());
                }
            }
        }
    }
}
