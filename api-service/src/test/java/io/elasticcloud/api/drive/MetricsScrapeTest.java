package io.elasticcloud.api.drive;

import static org.assertj.core.api.Assertions.assertThat;

import io.elasticcloud.api.support.ApiClient;
import io.elasticcloud.api.support.ApiTestBase;
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
}
