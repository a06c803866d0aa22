package io.elasticcloud.api.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.elasticcloud.api.support.ApiClient;
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
 * The server totals ({@link ServerTotals}) that the quota check of a create reads instead of
 * counting the account's servers: exact after parallel creates, destroys and stops of two
 * customers, and a create's statements are the same whatever the number of servers, none counting
 * them. Run against each database by a subclass.
 */
abstract class ServerTotalsContract extends ServerTestBase {
    /** A count over the server table: what a create must not run (it grows with the servers). */
    private static final Pattern COUNT_OVER_SERVERS = Pattern.compile("(?i)\\bcount\\s*\\(.*\\bfrom\\s+server\\b");
    private static final String SMALL = "cpu 100\nmem 16\n";

    @Autowired
    JdbcTemplate jdbc;
    @Autowired
    StatementCounter counter;

    @Test
    void parallelCreatesDestroysAndStopsKeepTheTotalsExact() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(6);
        try {
            List<Future<?>> workers = new ArrayList<>();
            for (int t = 0; t < 6; t++) {
                ApiClient client = t % 2 == 0 ? api : other;
                workers.add(pool.submit(() -> {
                    for (int i = 0; i < 4; i++) {
                        String stopped = create(client, "/servers/create/stopped", "name s\n" + SMALL);
                        String started = create(client, "/servers/create", "name a\npersistent " + (i % 2 == 0) + "\n" + SMALL);
                        if (i % 2 == 0) {
                            assertThat(client.post("/servers/" + stopped + "/destroy", "").statusCode()).isEqualTo(204);
                        }
                        // a stop ends the guest: a server that is not persistent goes with it
                        assertThat(client.post("/servers/" + started + "/stop", "").statusCode()).isEqualTo(204);
                    }
                    return null;
                }));
            }
            for (Future<?> worker : workers) {
                worker.get(3, TimeUnit.MINUTES);
            }
        } finally {
            pool.shutdownNow();
        }
        assertThat(totals()).isEqualTo(aggregates());
        assertThat(totals().get(user)).isPositive();
        assertThat(totals().get(otherUser)).isPositive();
    }

    @Test
    void aCreateRunsTheSameStatementsAtThreeAndAtThirtyServers() {
        for (int i = 1; i < 3; i++) {
            create(api, "/servers/create/stopped", "name s\n" + SMALL);
        }
        List<String> atThree = countedCreate();
        for (int i = 4; i < 30; i++) {
            create(api, "/servers/create/stopped", "name s\n" + SMALL);
        }
        List<String> atThirty = countedCreate();
        assertThat(atThirty).isEqualTo(atThree);
        assertThat(atThree).noneMatch(sql -> COUNT_OVER_SERVERS.matcher(sql).find());
        assertThat(totals()).isEqualTo(aggregates());
    }

    private List<String> countedCreate() {
        String token = UUID.randomUUID().toString();
        HttpResponse<byte[]> created = api.post("/servers/create/stopped", "name s\n" + SMALL, StatementCounter.HEADER, token);
        assertThat(created.statusCode()).as(ApiClient.text(created)).isEqualTo(200);
        return counter.statements(token);
    }

    private static String create(ApiClient client, String path, String body) {
        HttpResponse<byte[]> created = client.post(path, body);
        assertThat(created.statusCode()).as(ApiClient.text(created)).isEqualTo(200);
        return properties(created).get("server");
    }

    /** Of this test's two customers (other tests' servers may come and go meanwhile). */
    private Map<String, Long> totals() {
        return counts("SELECT owner_id, servers FROM account_servers WHERE owner_id IN (?, ?) AND servers <> 0");
    }

    private Map<String, Long> aggregates() {
        return counts("SELECT owner_id, COUNT(*) FROM server WHERE owner_id IN (?, ?) GROUP BY owner_id");
    }

    private Map<String, Long> counts(String sql) {
        Map<String, Long> counts = new HashMap<>();
        jdbc.query(sql, rs -> {
            counts.put(rs.getString(1), rs.getLong(2));
        }, UUID.fromString(user), UUID.fromString(otherUser));
        return counts;
    }
}
