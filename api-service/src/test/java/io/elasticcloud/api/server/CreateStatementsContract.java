package io.elasticcloud.api.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.elasticcloud.api.support.ApiClient;
import io.elasticcloud.api.support.StatementCounter;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * What a create costs the database (a server's is in the loop a cloud's churn runs): a new row is
 * inserted, not merged (no read of it first, no version update after), and the rows of one table
 * go in one batch, not a statement per row (a server's keys are a row each). Run on each database
 * by a subclass.
 */
abstract class CreateStatementsContract extends ServerTestBase {
    private static final String SERVER = "name churn\ncpu 100\nmem 16\nnic:0:dhcp auto\nsmp 1\n";

    @Autowired
    private StatementCounter counter;

    @Test
    void aServersCreateInsertsItsRowAndWritesItsKeysInOneStatement() {
        List<String> create = statements("/servers/create", SERVER);

        assertThat(create.stream().filter(sql -> sql.startsWith("insert into server_config")))
                .as("inserts of the keys among the create's statements: %s", create).hasSize(1);
        assertInsertedNotMerged(create, "server");
    }

    @Test
    void aDrivesCreateInsertsItsRow() {
        assertInsertedNotMerged(statements("/drives/create", "name churn\nsize 1M\n"), "drive");
    }

    @Test
    void aVlansCreateInsertsItsRow() {
        assertInsertedNotMerged(statements("/resources/vlan/create", "name churn\n"), "vlan");
    }

    /** The statements before {@code table}'s insert read no row of it by its id, and none after bumps its version. */
    private static void assertInsertedNotMerged(List<String> sql, String table) {
        int insert = sql.indexOf(sql.stream().filter(s -> s.startsWith("insert into " + table + " (")).findFirst()
                .orElseThrow(() -> new AssertionError("no insert into " + table + " in " + sql)));
        assertThat(sql.subList(0, insert)).as("read before the insert").noneMatch(s -> s.startsWith("select")
                && s.contains(" from " + table + " ") && s.endsWith(".id=?"));
        assertThat(sql).as("version updates").noneMatch(s -> s.startsWith("update " + table + " set version"));
    }

    private List<String> statements(String path, String body) {
        String token = UUID.randomUUID().toString();
        HttpResponse<byte[]> reply = api.post(path, body, StatementCounter.HEADER, token);
        assertThat(reply.statusCode()).as(path + ": " + ApiClient.text(reply)).isBetween(200, 204);
        return counter.statements(token).stream().map(sql -> sql.toLowerCase(Locale.ROOT)).toList();
    }
}
