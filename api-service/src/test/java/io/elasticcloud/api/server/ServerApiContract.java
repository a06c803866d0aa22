package io.elasticcloud.api.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.elasticcloud.api.support.ApiClient;
import io.elasticcloud.protocol.agent.GuestInfo;
import java.net.http.HttpResponse;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Section 3 of the API, call by call, in both formats, with every error; run on each database by a subclass. */
abstract class ServerApiContract extends ServerTestBase {

    @Test
    void createsAndStartsWithEveryKeyAndShowsItsInfo() {
        String disk = drive("disk");
        String cd = drive("cd");
        Map<String, String> info = create("/servers/create", "name web 1\ncpu 3000\nsmp auto\nmem 512\npersistent true\n"
                + "ide:0:0 " + cd.toUpperCase() + "\nide:0:0:media cdrom\nblock:0 " + disk + "\nboot ide:0:0 block:0\n"
                + "nic:0:model virtio\nnic:0:dhcp auto\nnic:0:mac 52:54:00:AA:BB:CC\nvnc auto\nvnc:password secret\n"
                + "vnc:tls off\ntags a b\nuser:os debian 12\n");
        String server = info.get("server");
        assertThat(info).containsEntry("name", "web 1").containsEntry("cpu", "3000").containsEntry("smp", "auto")
                .containsEntry("mem", "512").containsEntry("persistent", "true").containsEntry("ide:0:0", cd)
                .containsEntry("ide:0:0:media", "cdrom").containsEntry("block:0", disk)
                .containsEntry("block:0:media", "disk").containsEntry("boot", "ide:0:0 block:0")
                .containsEntry("nic:0:model", "virtio").containsEntry("nic:0:dhcp", "auto")
                .containsEntry("nic:0:mac", "52:54:00:aa:bb:cc").containsEntry("vnc", "auto")
                .containsEntry("vnc:password", "secret").containsEntry("vnc:tls", "off").containsEntry("tags", "a b")
                .containsEntry("user:os", "debian 12").containsEntry("status", "active").containsEntry("user", user)
                // smp auto: ceil(3000 / 2000 MHz) = 2 vCPUs, one socket
                .containsEntry("smp:cores", "2").containsEntry("smp:sockets", "1")
                .containsEntry("block:0:read:bytes", "0").containsEntry("ide:0:0:write:requests", "0")
                .containsEntry("nic:0:rx:bytes", "0").containsEntry("nic:0:tx", "0")
                .containsKey("started");
        // nic:0:dhcp auto took a temporary address of the pool, which vnc auto reuses
        assertThat(info.get("nic:0:dhcp:ip")).startsWith("169.254.20.");
        assertThat(info).containsEntry("vnc:ip", info.get("nic:0:dhcp:ip"));
        GuestInfo guest = hostOf(server).inspect(server).orElseThrow();
        assertThat(guest.vcpus()).isEqualTo(2);
        assertThat(guest.cpuMhz()).isEqualTo(3000);

        assertThat(info(server)).isEqualTo(info);
        assertThat(properties(api.post("/api/servers/" + server + "/info", ""))).isEqualTo(info);
        HttpResponse<byte[]> list = api.get("/servers/list");
        assertThat(list.headers().firstValue("X-Elastic-Output")).hasValue("list");
        assertThat(ApiClient.text(list)).isEqualTo(server + " 3000 512\n");
        assertThat(ApiClient.text(api.post("/servers/info", ""))).isEqualTo(ApiClient.text(api.get("/servers/" + server + "/info")));
        // the drives show who claims them
        assertThat(properties(api.get("/drives/" + disk + "/info")))
                .containsEntry("claimed", user + ":guest:" + server + ":block:0");
    }

    @Test
    void createStoppedHoldsNothingUntilStarted() {
        Map<String, String> info = create("/servers/create/stopped", "name idle\ncpu 1000\nmem 256\nnic:0:dhcp auto\n");
        String server = info.get("server");
        assertThat(info).containsEntry("status", "stopped").containsEntry("smp", "auto").containsEntry("persistent", "false")
                .containsEntry("nic:0:model", "e1000").doesNotContainKeys("started", "smp:cores");
        assertThat(info.get("nic:0:mac")).matches("52:54:00(:[0-9a-f]{2}){3}");
        assertThat(hostOf(server)).isNull();
        assertThat(api.post("/servers/" + server + "/start", "").statusCode()).isEqualTo(204);
        assertThat(info(server)).containsEntry("status", "active").containsEntry("smp:cores", "1")
                .containsEntry("nic:0:mac", info.get("nic:0:mac"));
        assertThat(hostOf(server)).isNotNull();
        assertError(api.post("/servers/" + server + "/start", ""), 409, "busy");
    }

    @Test
    void speaksJsonBothWays() {
        HttpResponse<byte[]> created = api.post("/servers/create/stopped",
                "{\"name\": \"json\", \"cpu\": 1000, \"mem\": 256, \"smp\": 2, \"tags\": [\"x\", \"y\"],"
                        + " \"ide:0:0\": \"" + drive("d") + "\", \"boot\": [\"ide:0:0\"], \"user:k\": \"v\"}",
                "Content-Type", "application/json", "Accept", "application/json");
        assertThat(created.statusCode()).as(ApiClient.text(created)).isEqualTo(200);
        assertThat(ApiClient.text(created)).startsWith("{\"name\":\"json\"").contains("\"cpu\":1000").contains("\"mem\":256")
                .contains("\"smp\":2").contains("\"tags\":\"x y\"").contains("\"boot\":\"ide:0:0\"")
                .contains("\"status\":\"stopped\"").contains("\"user:k\":\"v\"");
        assertThat(ApiClient.text(api.get("/servers/list", "Accept", "application/json")))
                .matches("\\[\\{\"server\":\"[0-9a-f-]{36}\",\"cpu\":1000,\"mem\":256}]");
        assertThat(ApiClient.text(api.get("/servers/info", "Accept", "application/json"))).startsWith("[{\"name\":\"json\"");
    }

    @Test
    void refusesBadKeysNamingThem() {
        String[][] cases = {
                {"name x\ncpu 1000\nmen 512\n", "men"}, {"cpu 1000\nmem 512\n", "name"}, {"name x\nmem 512\n", "cpu"},
                {"name x\ncpu 1000\n", "mem"}, {"name x\ncpu lots\nmem 512\n", "cpu"}, {"name x\ncpu 1000\nmem 1\n", "mem"},
                {"name x\ncpu 1000\nmem 512\nsmp 0\n", "smp"}, {"name x\ncpu 1000\nmem 512\npersistent yes\n", "persistent"},
                {"name x\ncpu 1000\nmem 512\nide:2:0 " + drive("a") + "\n", "ide:2:0"},
                {"name x\ncpu 1000\nmem 512\nide:0:0 nope\n", "ide:0:0"},
                {"name x\ncpu 1000\nmem 512\nide:0:0 " + java.util.UUID.randomUUID() + "\n", "ide:0:0"},
                {"name x\ncpu 1000\nmem 512\nblock:0 " + drive("b") + "\nblock:0:media cdrom\n", "block:0"},
                {"name x\ncpu 1000\nmem 512\nboot ide:0:1\n", "boot"},
                {"name x\ncpu 1000\nmem 512\nnic:0:model ne2k\n", "nic:0:model"},
                {"name x\ncpu 1000\nmem 512\nnic:0:mac 01:00:00:00:00:01\n", "nic:0:mac"},
                {"name x\ncpu 1000\nmem 512\nnic:0:dhcp 192.0.2.7\n", "nic:0:dhcp"},
                {"name x\ncpu 1000\nmem 512\nnic:1:vlan " + java.util.UUID.randomUUID() + "\n", "nic:1:vlan"},
                {"name x\ncpu 1000\nmem 512\nvnc:password 123456789\n", "vnc:password"},
                {"name x\ncpu 1000\nmem 512\nvnc:tls maybe\n", "vnc:tls"},
                {"name x\ncpu 1000\nmem 512\navoid:servers " + java.util.UUID.randomUUID() + "\n", "avoid:servers"},
                {"name x\ncpu 1000\nmem 512\nuser:bad key\u0001\n", "user:bad"},
        };
        for (String[] c : cases) {
            HttpResponse<byte[]> reply = api.post("/servers/create", c[0]);
            assertError(reply, 400, "usage");
            assertThat(ApiClient.text(reply)).as(c[0]).contains(c[1]);
        }
        assertError(api.post("/servers/create", "{not json", "Content-Type", "application/json"), 400, "usage");
        assertThat(ApiClient.text(api.get("/servers/list"))).isEmpty();
    }

    @Test
    void acceptsJcloudsAliasesAndIgnoresEchoedReadOnlyKeys() {
        Map<String, String> info = create("/servers/create", "name j\ncpu 1000\nmem 256\npassword s3cret\nvnc:ip auto\n");
        String server = info.get("server");
        assertThat(info).containsEntry("vnc", "auto").containsEntry("vnc:password", "s3cret");
        // a whole info block echoed back to an active server changes nothing and is not busy
        String echoed = ApiClient.text(api.get("/servers/" + server + "/info"));
        HttpResponse<byte[]> set = api.post("/servers/" + server + "/set", echoed);
        assertThat(set.statusCode()).as(ApiClient.text(set)).isEqualTo(200);
        assertThat(properties(set)).containsEntry("status", "active").containsEntry("vnc:password", "s3cret");
    }

    @Test
    void otherUsersServersAreMissingAndCommandsNeedPost() {
        String server = create("/servers/create/stopped", "name mine\ncpu 1000\nmem 256\n").get("server");
        for (String action : new String[] {"info", "start", "stop", "shutdown", "reset", "destroy", "set"}) {
            assertError(other.post("/servers/" + server + "/" + action, ""), 404, "missing");
        }
        assertThat(ApiClient.text(other.get("/servers/list"))).isEmpty();
        assertError(api.get("/servers/" + server + "/info/extra"), 404, "missing");
        assertError(api.post("/servers/not-a-uuid/info", ""), 404, "missing");
        for (String action : new String[] {"start", "stop", "shutdown", "reset", "destroy", "set"}) {
            assertError(api.get("/servers/" + server + "/" + action), 405, "method");
        }
        assertError(api.get("/servers/create"), 405, "method");
        assertError(api.get("/api/servers/create/stopped"), 405, "method");
        assertError(anonymous.get("/servers/list"), 401, "auth");
        // another user's drive cannot be attached
        String theirs = properties(other.post("/drives/create", "name t\nsize 1M\n")).get("drive");
        HttpResponse<byte[]> refused = api.post("/servers/create", "name x\ncpu 1000\nmem 256\nide:0:0 " + theirs + "\n");
        assertError(refused, 400, "usage");
        assertThat(ApiClient.text(refused)).contains("ide:0:0");
    }

    @Test
    void setChangesEverythingWhenStoppedAndOnlyLiveKeysWhenActive() {
        String disk = drive("disk");
        String server = create("/servers/create/stopped", "name s\ncpu 1000\nmem 256\nuser:a 1\n").get("server");
        Map<String, String> info = properties(api.post("/servers/" + server + "/set",
                "mem 512\nsmp 2\nscsi:0:3 " + disk + "\nuser:a\nuser:b 2\ntags t\n"));
        assertThat(info).containsEntry("mem", "512").containsEntry("smp", "2").containsEntry("scsi:0:3", disk)
                .containsEntry("user:b", "2").containsEntry("tags", "t").doesNotContainKey("user:a");
        api.post("/servers/" + server + "/start", "");

        HttpResponse<byte[]> busy = api.post("/servers/" + server + "/set", "name t\nmem 1024\n");
        assertError(busy, 409, "busy");
        assertThat(ApiClient.text(busy)).contains("mem");
        assertError(api.post("/servers/" + server + "/set", "scsi:0:3\n"), 409, "busy");
        assertThat(info(server)).containsEntry("name", "s").containsEntry("mem", "512");

        info = properties(api.post("/servers/" + server + "/set",
                "name renamed\ncpu 1500\npersistent true\ntags u v\nuser:c 3\nvnc:password pw\n"));
        assertThat(info).containsEntry("name", "renamed").containsEntry("cpu", "1500").containsEntry("persistent", "true")
                .containsEntry("tags", "u v").containsEntry("user:c", "3").containsEntry("vnc:password", "pw");
        GuestInfo guest = hostOf(server).inspect(server).orElseThrow();
        assertThat(guest.name()).isEqualTo("renamed");
        assertThat(guest.cpuMhz()).isEqualTo(1500);
        // more CPU than its host has is full, and nothing changes
        assertError(api.post("/servers/" + server + "/set", "cpu 9000\n"), 507, "full");
        assertThat(info(server)).containsEntry("cpu", "1500");
    }

    @Test
    void exclusiveDrivesAreClaimedByOneActiveServerAndCannotBeDestroyedOrImaged() {
        String disk = drive("disk");
        String source = drive("source");
        String first = create("/servers/create", "name one\ncpu 500\nmem 128\nide:0:0 " + disk + "\n").get("server");
        String second = create("/servers/create/stopped", "name two\ncpu 500\nmem 128\nide:0:1 " + disk + "\n").get("server");
        assertError(api.post("/servers/" + second + "/start", ""), 409, "busy");
        assertError(api.post("/servers/create", "name three\ncpu 500\nmem 128\nblock:1 " + disk + "\n"), 409, "busy");
        assertError(api.post("/drives/" + disk + "/destroy", ""), 409, "busy");
        assertError(api.post("/drives/" + disk + "/image/" + source, ""), 409, "busy");
        assertThat(ApiClient.text(api.get("/servers/list")).lines()).hasSize(2);

        // shared drives may be used by several servers at once
        api.post("/drives/" + source + "/set", "claim:type shared\n");
        create("/servers/create", "name four\ncpu 500\nmem 128\nide:0:0 " + source + "\n");
        create("/servers/create", "name five\ncpu 500\nmem 128\nide:0:0 " + source + "\n");
        assertThat(properties(api.get("/drives/" + source + "/info")).get("claimed").split(" ")).hasSize(2);

        assertThat(api.post("/servers/" + first + "/stop", "").statusCode()).isEqualTo(204);
        assertThat(properties(api.get("/drives/" + disk + "/info"))).doesNotContainKey("claimed");
        assertThat(api.post("/servers/" + second + "/start", "").statusCode()).isEqualTo(204);
        assertThat(properties(api.get("/drives/" + disk + "/info")))
                .containsEntry("claimed", user + ":guest:" + second + ":ide:0:1");
    }

    @Test
    void aStartTheHostRefusesIsUndone() {
        try {
            hostA.failNextStart("no room for its memory");
            hostB.failNextStart("no room for its memory");
            HttpResponse<byte[]> refused = api.post("/servers/create", "name f\ncpu 500\nmem 128\n");
            assertError(refused, 500, "failed");
            // the host's words stay in the logs; the caller reads ours and the incident's id
            assertThat(ApiClient.text(refused)).startsWith("the host could not create the server (incident ")
                    .doesNotContain("no room for its memory");
            assertThat(ApiClient.text(api.get("/servers/list"))).isEmpty();
            String server = create("/servers/create/stopped", "name g\ncpu 500\nmem 128\npersistent true\n").get("server");
            hostA.failNextStart("no room for its memory");
            hostB.failNextStart("no room for its memory");
            assertError(api.post("/servers/" + server + "/start", ""), 500, "failed");
            assertThat(info(server)).containsEntry("status", "stopped").doesNotContainKey("started");
        } finally {
            hostA.failNextStart(null);
            hostB.failNextStart(null);
        }
    }
}
