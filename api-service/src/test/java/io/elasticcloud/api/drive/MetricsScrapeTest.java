package io.elasticcloud.api.drive;

import static org.assertj.core.api.Assertions.assertThat;

import io.elasticcloud.api.support.ApiClient;
import io.elasticcloud.api.support.ApiTestBase;
import io.elasticcloud.api.support.TestApiApplication;
import java.net.http.HttpResponse;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** A Prometheus scrape after a few calls shows the API's own metrics with real values. */
class MetricsScrapeTest extends ApiTestBase {

    @Test
    void showsCommandsErrorsDrivesAndStorage() {
        api.post("/drives/create", "name m\nsize 1M\n");
        api.post("/drives/create", "name m\nsize 1M\nbogus 1\n");
        api.get("/drives/list");
        String scrape = ApiClient.text(admin.get("/actuator/prometheus"));
        assertThat(scrape)
                .containsPattern("elastic_api_requests_seconds_count\\{command=\"/drives/create\",error=\"none\"[^}]*} [1-9]")
                .containsPattern("elastic_api_requests_seconds_count\\{command=\"/drives/create\",error=\"usage\"[^}]*} [1-9]")
                .containsPattern("elastic_api_requests_seconds_count\\{command=\"/drives/list\",error=\"none\"[^}]*} [1-9]")
                .containsPattern("elastic_drives(_count)? [1-9]")
                .containsPattern("elastic_drives_size_bytes [1-9]")
                .containsPattern("elastic_bus_requests_seconds_count\\{command=\"CreateVolume\",outcome=\"ok\"[^}]*} [1-9]")
                .containsPattern("elastic_storage_capacity_bytes\\{hardware=\"hw-a\",node=\"fake-a\"[^}]*} [1-9]");
        assertError(api.get("/actuator/prometheus"), 401, "auth");
    }

    @Test
    void showsServersHostCapacityImagingAndStorageUse() {
        String source = created(api.post("/drives/create", "name source\nsize 4096\n"), "drive");
        String target = created(api.post("/drives/create", "name target\nsize 4096\n"), "drive");
        String server = created(api.post("/servers/create", "name metered\ncpu 1000\nmem 256\n"), "server");
        assertError(api.get("/servers/00000000-0000-0000-0000-000000000009/info"), 404, "missing");
        storage.hold();
        try {
            assertThat(api.post("/drives/" + target + "/image/" + source, "").statusCode()).isEqualTo(204);
            Map<String, Double> scrape = samples(ApiClient.text(admin.get("/actuator/prometheus")));

            assertThat(scrape.get("elastic_api_requests_seconds_count{command=\"/servers/create\",error=\"none\"}"))
                    .isGreaterThanOrEqualTo(1);
            assertThat(scrape.get("elastic_api_requests_seconds_sum{command=\"/servers/create\",error=\"none\"}"))
                    .isPositive();
            assertThat(scrape.get("elastic_api_requests_seconds_count{command=\"/servers/{server}/info\",error=\"missing\"}"))
                    .isGreaterThanOrEqualTo(1);
            assertThat(scrape.get("elastic_servers{status=\"active\"}")).isGreaterThanOrEqualTo(1);
            assertThat(scrape).containsKeys("elastic_servers{status=\"stopped\"}", "elastic_servers{status=\"dead\"}");
            assertThat(scrape.get("elastic_imaging_jobs{state=\"queued\"}")
                    + scrape.get("elastic_imaging_jobs{state=\"running\"}")).isGreaterThanOrEqualTo(1);
            assertThat(scrape.get("elastic_bus_requests_seconds_count{command=\"StartGuest\",outcome=\"ok\"}"))
                    .isGreaterThanOrEqualTo(1);

            long cores = (long) TestApiApplication.HOST_CORES * TestApiApplication.HOST_MHZ;
            double usedCpu = 0;
            for (String host : new String[] {"host-a", "host-b"}) {
                String node = "{node=\"" + host + "\"}";
                assertThat(scrape.get("elastic_hosts_cpu_capacity_megahertz" + node)).isEqualTo(cores);
                assertThat(scrape.get("elastic_hosts_cpu_used_megahertz" + node)
                        + scrape.get("elastic_hosts_cpu_free_megahertz" + node)).isEqualTo(cores);
                assertThat(scrape.get("elastic_hosts_memory_capacity_megabytes" + node))
                        .isEqualTo(TestApiApplication.HOST_MEMORY_MB);
                assertThat(scrape.get("elastic_hosts_memory_used_megabytes" + node)
                        + scrape.get("elastic_hosts_memory_free_megabytes" + node))
                        .isEqualTo(TestApiApplication.HOST_MEMORY_MB);
                assertThat(scrape.get("elastic_hosts_reachable" + node)).isEqualTo(1);
                assertThat(scrape.get("elastic_hosts_maintenance" + node)).isEqualTo(0);
                assertThat(scrape).containsKey("elastic_hosts_guests" + node);
                usedCpu += scrape.get("elastic_hosts_cpu_used_megahertz" + node);
            }
            assertThat(usedCpu).isGreaterThanOrEqualTo(1000);

            String fakeA = "{hardware=\"hw-a\",node=\"fake-a\"}";
            assertThat(scrape.get("elastic_storage_used_bytes" + fakeA) + scrape.get("elastic_storage_free_bytes" + fakeA))
                    .isEqualTo(scrape.get("elastic_storage_capacity_bytes" + fakeA));
            assertThat(scrape.get("elastic_drives_size_bytes")).isGreaterThanOrEqualTo(8192);
        } finally {
            storage.release();
            api.post("/servers/" + server + "/destroy", "");
        }
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (properties(api.get("/drives/" + target + "/info")).containsKey("imaging")) {
            assertThat(System.nanoTime()).as("imaging ends within 10 s").isLessThan(deadline);
            sleep();
        }
    }

    private static void sleep() {
        try {
            Thread.sleep(20);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    private static String created(HttpResponse<byte[]> reply, String key) {
        assertThat(reply.statusCode()).as(ApiClient.text(reply)).isEqualTo(200);
        return properties(reply).get(key);
    }

    /** Each sample line of a scrape, {@code name{labels}} to its value. */
    private static Map<String, Double> samples(String scrape) {
        Map<String, Double> samples = new LinkedHashMap<>();
        for (String line : scrape.split("\n")) {
            int space = line.lastIndexOf(' ');
            if (!line.startsWith("#") && space > 0) {
                samples.put(line.substring(0, space), Double.parseDouble(line.substring(space + 1)));
            }
        }
        return samples;
    }
}
