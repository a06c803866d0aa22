package io.elasticcloud.api.drive;

import static org.assertj.core.api.Assertions.assertThat;

import io.elasticcloud.api.support.ApiClient;
import io.elasticcloud.api.support.ApiTestBase;
import io.elasticcloud.api.support.StatementCounter;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * The drive totals ({@link DriveTotals}) that placement and quotas read instead of adding up every
 * drive: exact after parallel creates, grows and destroys of two customers, and a create's
 * statements are the same whatever the number of drives. Run against each database by a subclass.
 */
abstract class DriveTotalsContract extends ApiTestBase {
    /** A sum or count over the drive table: what a create must not run (it grows with the drives). */
    private static final Pattern AGGREGATE_OVER_DRIVES =
            Pattern.compile("(?i)\\b(sum|count)\\s*\\(.*\\bfrom\\s+drive\\b");

    @Autowired
    JdbcTemplate jdbc;
    @Autowired
    StatementCounter counter;

    @Test
    void parallelCreatesGrowsAndDestroysKeepTheTotalsExact() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Future<?>> workers = new ArrayList<>();
            for (int t = 0; t < 8; t++) {
                ApiClient client = t % 2 == 0 ? api : other;
                String cipher = t % 4 < 2 ? "" : "encryption:cipher none\n";
                workers.add(pool.submit(() -> {
                    for (int i = 0; i < 6; i++) {
                        String drive = create(client, "name t\nsize 4096\n" + cipher);
                        assertThat(client.post("/drives/" + drive + "/set", "size " + (8192 + i * 512) + "\n")
                                .statusCode()).isEqualTo(200);
                        if (i % 2 == 0) {
                            assertThat(client.post("/drives/" + drive + "/destroy", "").statusCode()).isEqualTo(204);
                        }
                    }
                    return null;
                }));
            }
            for (Future<?> worker : workers) {
                worker.get(2, TimeUnit.MINUTES);
            }
        } finally {
            pool.shutdownNow();
        }
        assertThat(count(user)).isEqualTo(12);
        assertThat(count(otherUser)).isEqualTo(12);
        assertThat(nodeTotals()).isEqualTo(nodeAggregates());
        assertThat(accountTotals()).isEqualTo(accountAggregates());
    }

    @Test
    void aCreateRunsTheSameStatementsAtThreeAndAtThirtyDrives() {
        for (int i = 1; i < 3; i++) {
            create(api, "name d\nsize 4096\n");
        }
        List<String> atThree = countedCreate();
        for (int i = 4; i < 30; i++) {
            create(api, "name d\nsize 4096\n");
        }
        List<String> atThirty = countedCreate();
        assertThat(atThirty).isEqualTo(atThree);
        assertThat(atThree).noneMatch(sql -> AGGREGATE_OVER_DRIVES.matcher(sql).find());
    }

    private List<String> countedCreate() {
        String token = UUID.randomUUID().toString();
        HttpResponse<byte[]> created = api.post("/drives/create", "name d\nsize 4096\n", StatementCounter.HEADER, token);
        assertThat(created.statusCode()).as(ApiClient.text(created)).isEqualTo(200);
        return counter.statements(token);
    }

    private static String create(ApiClient client, String body) {
        HttpResponse<byte[]> created = client.post("/drives/create", body);
        assertThat(created.statusCode()).as(ApiClient.text(created)).isEqualTo(200);
        return properties(created).get("drive");
    }

    private long count(String owner) {
        return jdbc.queryForObject("SELECT COUNT(*) FROM drive WHERE owner_id = ?", Long.class, UUID.fromString(owner));
    }

    private Map<String, List<Long>> nodeTotals() {
        return rows("SELECT node, bytes, encrypted FROM storage_node_promise");
    }

    private Map<String, List<Long>> nodeAggregates() {
        return rows("SELECT storage_node, SUM(size_bytes), SUM(CASE WHEN cipher <> 'NONE' THEN 1 ELSE 0 END)"
                + " FROM drive GROUP BY storage_node");
    }

    private Map<String, List<Long>> accountTotals() {
        return rows("SELECT owner_id, bytes, drives FROM account_drives");
    }

    private Map<String, List<Long>> accountAggregates() {
        return rows("SELECT owner_id, SUM(size_bytes), COUNT(*) FROM drive WHERE standard = FALSE GROUP BY owner_id");
    }

    /** Key to its two numbers; a key whose numbers are both 0 holds nothing, as one without a row. */
    private Map<String, List<Long>> rows(String sql) {
        Map<String, List<Long>> rows = new HashMap<>();
        jdbc.query(sql, rs -> {
            List<Long> numbers = List.of(rs.getLong(2), rs.getLong(3));
            if (!numbers.equals(List.of(0L, 0L))) {
                rows.put(rs.getString(1), numbers);
            }
        });
        return rows;
    }
}
