package io.elasticcloud.api.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.elasticcloud.api.resource.AddressAllocator;
import io.elasticcloud.api.support.ApiClient;
import io.elasticcloud.api.support.StatementCounter;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * What a create costs the database (a server's, with the destroy that ends it, is the loop a cloud's
 * churn runs): a new row is inserted, not merged (no read of it first, no version update after),
 * and the rows of one table go in one batch, not a statement per row (a server's keys are a row
 * each). Run on each database by a subclass.
 */
abstract class CreateStatementsContract extends ServerTestBase {
    private static final String SERVER = "name churn\ncpu 100\nmem 16\nnic:0:dhcp auto\nsmp 1\n";

    @Autowired
    private StatementCounter counter;
    @Autowired
    private AddressAllocator allocator;

    @Test
    void aServersCreateInsertsItsRowAndWritesItsKeysInOneStatement() {
        List<String> create = statements("/servers/create", SERVER);

        assertThat(create.stream().filter(sql -> sql.startsWith("insert into server_config")))
                .as("inserts of the keys among the create's statements: %s", create).hasSize(1);
        assertInsertedNotMerged(create, "server");
    }

    /** A create with start ranks the hosts from the row it inserted: the row is read once, to place it under the lock. */
    @Test
    void aCreateWithStartReadsItsServersRowOnce() {
        List<String> create = statements("/servers/create", SERVER);

        assertThat(create.stream().filter(sql -> sql.startsWith("select") && sql.contains(" from server ")
                && sql.endsWith(".id=?"))).as("reads of the server's row among the create's statements: %s", create)
                .hasSize(1);
    }

    /** A create with start checks what its owner's servers run with once: at the start, not at the create too. */
    @Test
    void aCreateWithStartSumsWhatItsOwnersServersRunOnce() {
        List<String> create = statements("/servers/create", SERVER);

        assertThat(create.stream().filter(sql -> sql.contains("sum(") && sql.contains(".owner_id=?")))
                .as("sums of what the owner's servers run with among the create's statements: %s", create).hasSize(1);
    }

    /** A destroy of a running server writes nothing to the row it deleted (it marked it commanded, for nothing). */
    @Test
    void aDestroyWritesNothingToTheRowItDeleted() {
        String server = create("/servers/create", SERVER).get("server");
        List<String> destroy = statements("/servers/" + server + "/destroy", "");

        assertThat(destroy).as("a destroy's statements").noneMatch(sql -> sql.startsWith("update server set"));
    }

    /**
     * The temporary address a start takes is found by its key, not by reading every address held
     * in the pool: a start cost more the more servers ran.
     */
    @Test
    void aStartTakesItsAddressWithoutReadingTheAddressesHeldInThePool() {
        List<UUID> others = new ArrayList<>();
        try {
            for (int i = 0; i < HELD; i++) {
                UUID server = UUID.randomUUID();
                allocator.allocateTemporary(UUID.fromString(user), server);
                others.add(server);
            }
            List<String> create = statements("/servers/create", SERVER);

            assertThat(create).as("a create with start and %d addresses held", HELD).noneMatch(sql ->
                    sql.startsWith("select") && sql.contains(" from ip_address ") && sql.contains(".pool=?"));
        } finally {
            others.forEach(allocator::release);
        }
    }

    /** Addresses held by other servers in the test pool (a /24) while the start takes one: four in ten. */
    private static final int HELD = 100;

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
