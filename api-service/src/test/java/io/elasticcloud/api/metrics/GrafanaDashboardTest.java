package io.elasticcloud.api.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import io.elasticcloud.api.support.ApiClient;
import io.elasticcloud.api.support.ApiTestBase;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The Grafana dashboard shipped in {@code deploy/grafana/} asks only for metrics the service
 * exports: each {@code elastic_*} name in its queries is in a scrape (a renamed metric would
 * otherwise leave an empty panel that nobody notices).
 */
class GrafanaDashboardTest extends ApiTestBase {
    private static final Path DASHBOARD = Path.of("..", "deploy", "grafana", "elastic-cloud.json");

    @Test
    void everyMetricTheDashboardAsksForIsExported() throws IOException {
        // a server placed on a host, a drive on a storage node: every gauge has a sample
        assertThat(api.post("/servers/create", "name graphed\ncpu 1000\nmem 256\n").statusCode()).isEqualTo(200);
        assertThat(api.post("/drives/create", "name graphed\nsize 1M\n").statusCode()).isEqualTo(200);
        String scrape = ApiClient.text(admin.get("/actuator/prometheus"));

        Set<String> asked = new TreeSet<>();
        Matcher m = Pattern.compile("\\belastic_[a-z_]+").matcher(Files.readString(DASHBOARD));
        while (m.find()) {
            asked.add(m.group());
        }
        assertThat(asked).hasSizeGreaterThan(10);
        for (String metric : asked) {
            assertThat(scrape).as("the dashboard's " + metric).containsPattern("(?m)^" + metric + "[{ ]");
        }
    }
}
