package io.elasticcloud.api.billing;

import static org.assertj.core.api.Assertions.assertThat;

import io.elasticcloud.api.support.ApiClient;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Section 5: every command that adds to what an account holds is checked, {@code 402 billing} in
 * both formats with nothing changed; parallel commands cannot together overspend. Prices of
 * billing-test.properties, for the minimum period of 24 hours: a 1M drive costs 0.234375; a server
 * of cpu 1000 and mem 256 costs 3.0144 (0.1 + 0.0256 an hour).
 */
abstract class BillingChecksContract extends BillingTestBase {
    private static final String ONE_DRIVE = "0.234375";
    private static final String ONE_SERVER = "3.0144";
    private static final String SERVER = "name s\ncpu 1000\nmem 256\n";
    private static final String SERVER_JSON = "{\"name\":\"s\",\"cpu\":1000,\"mem\":256}";

    @Autowired
    private BillingService billing;
    @Autowired
    private TransactionTemplate tx;

    private static void assertBilling(HttpResponse<byte[]> response, String says) {
        assertError(response, 402, "billing");
        assertThat(ApiClient.text(response)).contains(says);
    }

    @Test
    void driveCreateIs402InBothFormatsAndCreatesNothing() {
        assertBilling(api.post("/drives/create", "name d\nsize 1M\n"),
                "balance 0.00000000 EUR does not pay for disk 0.0009765625 GB beyond subscriptions for 24h"
                        + " (0.23437500 EUR needed)");
        assertBilling(postJson("/drives/create", "{\"name\":\"d\",\"size\":1048576}"), "0.23437500 EUR needed");
        assertThat(ApiClient.text(api.get("/drives/list"))).isEmpty();

        credit(ONE_DRIVE);
        assertThat(created(api.post("/drives/create", "name d\nsize 1M\n"))).containsEntry("size", "1048576");
        assertBilling(postJson("/drives/create", "{\"name\":\"e\",\"size\":\"1M\"}"), "disk 0.001953125 GB");
        assertThat(ApiClient.text(api.get("/drives/list")).lines()).hasSize(1);
    }

    @Test
    void driveGrowIs402InBothFormatsAndTheSizeStays() {
        credit(ONE_DRIVE);
        String drive = created(api.post("/drives/create", "name d\nsize 1M\n")).get("drive");
        assertBilling(api.post("/drives/" + drive + "/set", "name bigger\nsize 2M\n"), "0.46875000 EUR needed");
        assertBilling(postJson("/drives/" + drive + "/set", "{\"size\":2097152}"), "0.46875000 EUR needed");
        assertThat(info("drives", drive)).containsEntry("size", "1048576").containsEntry("name", "d");
        // what adds nothing passes: a new name, the same size
        assertThat(created(api.post("/drives/" + drive + "/set", "name renamed\nsize 1M\n")))
                .containsEntry("name", "renamed");

        credit(ONE_DRIVE);
        assertThat(created(api.post("/drives/" + drive + "/set", "size 2M\n"))).containsEntry("size", "2097152");
    }

    @Test
    void serverCreateIs402InBothFormatsAndCreatesNothing() {
        assertBilling(api.post("/servers/create/stopped", SERVER), "does not pay for cpu 1000 MHz, mem 256 MB");
        assertBilling(postJson("/servers/create", SERVER_JSON), "3.01440000 EUR needed");
        assertBilling(postJson("/servers/create/stopped", SERVER_JSON), "3.01440000 EUR needed");
        assertThat(ApiClient.text(api.get("/servers/list"))).isEmpty();
        assertThat(hostA.list()).isEmpty();
        assertThat(hostB.list()).isEmpty();

        credit(ONE_SERVER);
        assertThat(created(api.post("/servers/create", SERVER))).containsEntry("status", "active");
    }

    @Test
    void serverStartIs402InBothFormatsWhenTheAccountCannotPayForBoth() {
        credit(ONE_SERVER);
        // each passes alone: a server is checked as if it ran, with what runs already
        String first = created(api.post("/servers/create/stopped", SERVER)).get("server");
        String second = created(api.post("/servers/create/stopped", SERVER)).get("server");
        assertThat(api.post("/servers/" + first + "/start", "").statusCode()).isEqualTo(204);

        assertBilling(api.post("/servers/" + second + "/start", ""), "does not pay for cpu 2000 MHz, mem 512 MB");
        assertBilling(api.post("/servers/" + second + "/start", "", "Accept", JSON), "6.02880000 EUR needed");
        assertThat(info("servers", second)).containsEntry("status", "stopped");
        assertThat(hostOf(second)).isNull();

        assertThat(api.post("/servers/" + first + "/stop", "").statusCode()).isEqualTo(204);
        assertThat(api.post("/servers/" + second + "/start", "").statusCode()).isEqualTo(204);
    }

    @Test
    void raisingCpuOfAnActiveServerIs402InBothFormatsAndNothingChanges() {
        credit(ONE_SERVER);
        String server = created(api.post("/servers/create", SERVER)).get("server");
        assertBilling(api.post("/servers/" + server + "/set", "cpu 1500\n"), "does not pay for cpu 1500 MHz");
        assertBilling(postJson("/servers/" + server + "/set", "{\"cpu\":1500,\"name\":\"t\"}"), "cpu 1500 MHz");
        assertThat(info("servers", server)).containsEntry("cpu", "1000").containsEntry("name", "s")
                .containsEntry("status", "active");
        assertThat(hostOf(server).inspect(server).orElseThrow().cpuMhz()).isEqualTo(1000);
        // lowering adds nothing
        assertThat(created(api.post("/servers/" + server + "/set", "cpu 500\n"))).containsEntry("cpu", "500");
    }

    @Test
    void raisingCpuOrMemOfAStoppedServerIs402InBothFormatsAndNothingChanges() {
        credit(ONE_SERVER);
        String server = created(api.post("/servers/create/stopped", SERVER)).get("server");
        assertBilling(api.post("/servers/" + server + "/set", "mem 512\n"), "does not pay for cpu 1000 MHz, mem 512 MB");
        assertBilling(postJson("/servers/" + server + "/set", "{\"mem\":512}"), "mem 512 MB");
        assertBilling(api.post("/servers/" + server + "/set", "cpu 2000\n"), "cpu 2000 MHz, mem 256 MB");
        assertBilling(postJson("/servers/" + server + "/set", "{\"cpu\":2000}"), "cpu 2000 MHz");
        assertThat(info("servers", server)).containsEntry("cpu", "1000").containsEntry("mem", "256");
        assertThat(created(api.post("/servers/" + server + "/set", "name quiet\nmem 128\n")))
                .containsEntry("name", "quiet").containsEntry("mem", "128");
    }

    @Test
    void subscriptionsCoverWhatTheBalanceCannot() {
        HttpResponse<byte[]> subscribed = billing(user, "{\"action\":\"subscribe\",\"cpu\":1000,\"mem\":256,\"disk\":1,"
                + "\"end\":\"" + clock.instant().plusSeconds(86400) + "\"}");
        assertThat(subscribed.statusCode()).as(ApiClient.text(subscribed)).isEqualTo(200);
        created(api.post("/drives/create", "name d\nsize 1M\n"));
        String server = created(api.post("/servers/create", SERVER)).get("server");
        // beyond the subscription, the balance (0) pays for nothing: only the excess is named
        assertBilling(api.post("/servers/" + server + "/set", "cpu 1100\n"),
                "does not pay for cpu 100 MHz beyond subscriptions for 24h (0.24000000 EUR needed)");
        // a subscription that has ended covers nothing
        clock.advance(java.time.Duration.ofDays(2));
        assertBilling(api.post("/drives/create", "name e\nsize 1M\n"), "cpu 1000 MHz, mem 256 MB, disk 0.001953125 GB beyond");
    }

    @Test
    void twentyParallelCreatesOnAnAccountThatPaysForFiveYieldFive() throws Exception {
        credit("1.171875");
        ExecutorService pool = Executors.newFixedThreadPool(20);
        try {
            CountDownLatch go = new CountDownLatch(1);
            List<Future<Integer>> creates = new ArrayList<>();
            for (int i = 0; i < 20; i++) {
                String body = "name parallel " + i + "\nsize 1M\n";
                creates.add(pool.submit(() -> {
                    go.await(10, TimeUnit.SECONDS);
                    return api.post("/drives/create", body).statusCode();
                }));
            }
            go.countDown();
            List<Integer> statuses = new ArrayList<>();
            for (Future<Integer> create : creates) {
                statuses.add(create.get(60, TimeUnit.SECONDS));
            }
            assertThat(statuses).filteredOn(s -> s == 200).hasSize(5);
            assertThat(statuses).filteredOn(s -> s == 402).hasSize(15);
        } finally {
            pool.shutdownNow();
        }
        assertThat(ApiClient.text(api.get("/drives/list")).lines()).hasSize(5);
    }

    /**
     * The check locks the account's row in the database until its transaction ends, so a second
     * check of the same account (from this or any other API instance) waits for it.
     */
    @Test
    void aCheckHoldsTheAccountUntilItsTransactionEnds() throws Exception {
        credit("1");
        UUID account = UUID.fromString(user);
        CountDownLatch checked = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            Future<?> first = pool.submit(() -> tx.executeWithoutResult(status -> {
                billing.check(account, Usage.disk(1 << 20));
                checked.countDown();
                try {
                    release.await(10, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }));
            assertThat(checked.await(10, TimeUnit.SECONDS)).isTrue();
            Future<?> second = pool.submit(() -> tx.executeWithoutResult(
                    status -> billing.check(account, Usage.disk(1 << 20))));
            Thread.sleep(300);
            assertThat(second.isDone()).as("the second check waits for the first transaction").isFalse();
            release.countDown();
            first.get(10, TimeUnit.SECONDS);
            second.get(10, TimeUnit.SECONDS);
        } finally {
            release.countDown();
            pool.shutdownNow();
        }
    }

    @Test
    void commandsThatAddNothingAreNotChecked() {
        credit(ONE_SERVER);
        String server = created(api.post("/servers/create", SERVER + "persistent true\n")).get("server");
        // the balance now pays for nothing more, yet stopping, renaming and destroying work
        assertThat(created(api.post("/servers/" + server + "/set", "name other\n"))).containsEntry("name", "other");
        assertThat(api.post("/servers/" + server + "/stop", "").statusCode()).isEqualTo(204);
        assertThat(info("servers", server)).containsEntry("status", "stopped");
        assertThat(api.post("/servers/" + server + "/destroy", "").statusCode()).isEqualTo(204);
    }
}
