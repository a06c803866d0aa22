package io.elasticcloud.api.billing;

import static org.assertj.core.api.Assertions.assertThat;

import io.elasticcloud.api.support.ApiClient;
import io.elasticcloud.api.support.TestApiApplication;
import java.io.IOException;
import java.io.InputStream;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.core.env.Environment;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Metering with billing's clock in the test's hands: exact charges interval by interval (a
 * subscription ending inside one covers exactly its part), nothing charged twice when metering
 * runs again, after a restart (a second application on the same database) or on two instances
 * at once. Prices of billing-test.properties, per hour: 0.0001 per MHz and per MB, 0.01953125 for
 * a 2M drive.
 */
abstract class MeteringContract extends BillingTestBase {
    private static final Instant T0 = Instant.parse("2030-01-01T00:00:00Z");
    private static final JsonMapper JSON_MAPPER = JsonMapper.builder().build();

    @Autowired
    private Metering metering;
    @Autowired
    private Environment environment;

    @Test
    void chargesExactlyWhatIsHeldBeyondSubscriptionsOncePerInterval() throws Exception {
        clock.set(T0);
        metering.meterDue();
        assertThat(metering.meteredUntil()).isEqualTo(T0);
        credit("100");
        HttpResponse<byte[]> subscribed = billing(user, "{\"action\":\"subscribe\",\"cpu\":500,"
                + "\"start\":\"" + T0 + "\",\"end\":\"" + T0.plus(Duration.ofMinutes(90)) + "\"}");
        assertThat(subscribed.statusCode()).as(ApiClient.text(subscribed)).isEqualTo(200);
        created(api.post("/drives/create", "name data\nsize 2M\n"));
        String server = created(api.post("/servers/create", "name web\ncpu 1000\nmem 256\n")).get("server");

        // nothing is charged for an interval that has not ended
        clock.set(T0.plus(Duration.ofMinutes(59)));
        assertThat(metering.meterDue()).isZero();

        // [T0, +1h): cpu 500 beyond the subscription 0.05, mem 256 0.0256, drive 0.01953125
        clock.set(T0.plus(Duration.ofHours(1)));
        assertThat(metering.meterDue()).isEqualTo(1);
        // two intervals at once: [+1h, +2h) the subscription ends at +1h30 (0.025 + 0.05 for cpu),
        // [+2h, +3h) cpu 1000 uncovered
        clock.set(T0.plus(Duration.ofHours(3)));
        assertThat(metering.meterDue()).isEqualTo(2);
        assertThat(metering.meterDue()).isZero();
        assertThat(usage()).containsExactly(
                T0 + " -0.09513125 99.90486875",
                T0.plus(Duration.ofHours(1)) + " -0.12013125 99.78473750",
                T0.plus(Duration.ofHours(2)) + " -0.14513125 99.63960625");
        assertThat(ApiClient.text(api.get("/billing/info"))).contains("balance 99.63960625\n");

        // the other customer holds nothing and pays nothing
        assertThat(ApiClient.text(other.get("/billing/info"))).contains("balance 0.00000000\n").doesNotContain("usage");

        // a restart: another application on the same database charges nothing already charged...
        assertThat(api.post("/servers/" + server + "/destroy", "").statusCode()).isEqualTo(204);
        try (ConfigurableApplicationContext restarted = secondInstance()) {
            MutableClock restartedClock = restarted.getBean(BillingConfiguration.CLOCK, MutableClock.class);
            Metering restartedMetering = restarted.getBean(Metering.class);
            restartedClock.set(T0.plus(Duration.ofHours(3)));
            assertThat(restartedMetering.meterDue()).isZero();
            assertThat(usage()).hasSize(3);

            // ...and two instances metering at once charge the next interval once: only the drive now
            restartedClock.set(T0.plus(Duration.ofHours(4)));
            clock.set(T0.plus(Duration.ofHours(4)));
            ExecutorService pool = Executors.newFixedThreadPool(2);
            try {
                List<Future<Integer>> runs = new ArrayList<>();
                for (Callable<Integer> run : List.<Callable<Integer>>of(metering::meterDue, restartedMetering::meterDue)) {
                    runs.add(pool.submit(run));
                }
                int charged = 0;
                for (Future<Integer> run : runs) {
                    charged += run.get(60, TimeUnit.SECONDS);
                }
                assertThat(charged).isEqualTo(1);
            } finally {
                pool.shutdownNow();
            }
        }
        assertThat(usage()).hasSize(4).last()
                .isEqualTo(T0.plus(Duration.ofHours(3)) + " -0.01953125 99.62007500");
        assertThat(metering.meteredUntil()).isEqualTo(T0.plus(Duration.ofHours(4)));
    }

    /** The customer's usage entries, as "FROM AMOUNT BALANCE", read from the JSON of /billing/ledger/info. */
    private List<String> usage() throws IOException {
        HttpResponse<byte[]> ledger = api.get("/billing/ledger/info", "Accept", JSON);
        assertThat(ledger.statusCode()).isEqualTo(200);
        List<String> entries = new ArrayList<>();
        for (JsonNode entry : JSON_MAPPER.readTree(ledger.body())) {
            if (entry.get("kind").asString().equals("usage")) {
                assertThat(Instant.parse(entry.get("to").asString()))
                        .isEqualTo(Instant.parse(entry.get("from").asString()).plus(Duration.ofHours(1)));
                entries.add(entry.get("from").asString() + " " + entry.get("amount").asString() + " "
                        + entry.get("balance").asString());
            }
        }
        return entries;
    }

    /** The API service started again on this test's database, with the same billing settings. */
    private ConfigurableApplicationContext secondInstance() throws IOException {
        List<String> args = new ArrayList<>();
        Properties billing = new Properties();
        try (InputStream in = getClass().getResourceAsStream("/billing-test.properties")) {
            billing.load(in);
        }
        billing.forEach((key, value) -> args.add("--" + key + "=" + value));
        for (String key : List.of("spring.datasource.url", "spring.datasource.username", "spring.datasource.password")) {
            args.add("--" + key + "=" + environment.getProperty(key));
        }
        args.add("--server.port=0");
        args.add("--elastic.reconcile.initial-delay=1h");
        return new SpringApplicationBuilder(TestApiApplication.class, BillingTestClock.class)
                .run(args.toArray(String[]::new));
    }
}
