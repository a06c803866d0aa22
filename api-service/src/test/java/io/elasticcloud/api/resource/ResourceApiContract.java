package io.elasticcloud.api.resource;

import static org.assertj.core.api.Assertions.assertThat;

import io.elasticcloud.api.support.ApiClient;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.test.context.TestPropertySource;

/**
 * Section 4 of the API, call by call, in both formats, with every error, on a pool of 12
 * addresses (169.254.30.0/28 less the gateway .1 and the reserved .14); run on each database by a
 * subclass.
 */
@TestPropertySource(properties = {
        "elastic.network.pools[0].name=small",
        "elastic.network.pools[0].cidr=169.254.30.0/28",
        "elastic.network.pools[0].reserved=169.254.30.14",
        "elastic.network.pools[0].vnc-listen-base=127.30.0.0"})
abstract class ResourceApiContract extends ResourceTestBase {
    static final int POOL_SIZE = 12;

    @Test
    void createsShowsListsSetsAndDestroysAnIpInText() {
        Map<String, String> info = createResource(api, "ip", "name front\ntags a b\nuser:role web\n");
        String ip = info.get("resource");
        assertThat(ip).matches("169\\.254\\.30\\.([2-9]|1[0-3])");
        assertThat(List.copyOf(info.keySet())).containsExactly("name", "type", "resource", "user", "netmask",
                "gateway", "nameserver", "tags", "user:role");
        assertThat(info).containsEntry("name", "front").containsEntry("type", "ip").containsEntry("user", user)
                .containsEntry("netmask", "255.255.255.240").containsEntry("gateway", "169.254.30.1")
                .containsEntry("nameserver", "169.254.30.1").containsEntry("tags", "a b")
                .containsEntry("user:role", "web");
        assertThat(properties(api.get("/resources/ip/" + ip + "/info"))).isEqualTo(info);
        assertThat(properties(api.post("/api/resources/ip/" + ip + "/info", ""))).isEqualTo(info);

        String vlan = vlan();
        HttpResponse<byte[]> list = api.get("/resources/list");
        assertThat(list.headers().firstValue("X-Elastic-Output")).hasValue("list");
        assertThat(ApiClient.text(list)).isEqualTo("ip " + ip + "\nvlan " + vlan + "\n");
        assertThat(ApiClient.text(api.get("/resources/ip/list"))).isEqualTo("ip " + ip + "\n");
        assertThat(ApiClient.text(api.post("/resources/vlan/list", ""))).isEqualTo("vlan " + vlan + "\n");
        HttpResponse<byte[]> all = api.get("/resources/info");
        assertThat(all.headers().firstValue("X-Elastic-Output")).hasValue("properties");
        assertThat(ApiClient.text(all)).startsWith(ApiClient.text(api.get("/resources/ip/" + ip + "/info")) + "\n")
                .endsWith(ApiClient.text(api.get("/resources/vlan/" + vlan + "/info")));
        assertThat(ApiClient.text(api.get("/resources/ip/info")))
                .isEqualTo(ApiClient.text(api.get("/resources/ip/" + ip + "/info")));

        // set: name, tags and user keys; echoed read-only keys change nothing
        Map<String, String> set = properties(api.post("/resources/ip/" + ip + "/set", "type ip\nresource " + ip
                + "\nuser " + user + "\nnetmask 255.0.0.0\ngateway 1.2.3.4\nnameserver 1.2.3.4\n"
                + "name back\ntags\nuser:role\nuser:n 1\n"));
        assertThat(set).containsEntry("name", "back").containsEntry("resource", ip).containsEntry("user:n", "1")
                .doesNotContainKeys("tags", "user:role");

        assertThat(api.post("/resources/ip/" + ip + "/destroy", "").statusCode()).isEqualTo(204);
        assertError(api.get("/resources/ip/" + ip + "/info"), 404, "missing");
        assertError(api.post("/resources/ip/" + ip + "/destroy", ""), 404, "missing");
        assertThat(ApiClient.text(api.get("/resources/list"))).isEqualTo("vlan " + vlan + "\n");
    }

    @Test
    void speaksJsonBothWaysForVlans() {
        HttpResponse<byte[]> created = api.post("/resources/vlan/create",
                "{\"name\": \"back end\", \"tags\": [\"x\", \"y\"], \"user:k\": \"v\"}",
                "Content-Type", "application/json", "Accept", "application/json");
        assertThat(created.statusCode()).as(ApiClient.text(created)).isEqualTo(200);
        String body = ApiClient.text(created);
        assertThat(body).startsWith("{\"name\":\"back end\",\"type\":\"vlan\",\"resource\":\"")
                .contains("\"user\":\"" + user + "\"").contains("\"tags\":\"x y\"").endsWith("\"user:k\":\"v\"}")
                .doesNotContain("netmask");
        String vlan = body.replaceAll(".*\"resource\":\"([0-9a-f-]{36})\".*", "$1");
        assertThat(ApiClient.text(api.get("/resources/list", "Accept", "application/json")))
                .isEqualTo("[{\"type\":\"vlan\",\"resource\":\"" + vlan + "\"}]");
        assertThat(ApiClient.text(api.get("/resources/vlan/info", "Accept", "application/json")))
                .isEqualTo("[" + body + "]");
        // a UUID in upper case names the same VLAN
        HttpResponse<byte[]> set = api.post("/resources/vlan/" + vlan.toUpperCase() + "/set", "{\"name\": \"renamed\"}",
                "Content-Type", "application/json", "Accept", "application/json");
        assertThat(ApiClient.text(set)).startsWith("{\"name\":\"renamed\"");
        assertThat(ApiClient.text(api.get("/resources/ip/list", "Accept", "application/json"))).isEqualTo("[]");
    }

    @Test
    void refusesBadRequestsWithTheRightError() {
        String ip = ip();
        String vlan = vlan();
        assertError(api.post("/resources/ip/create", "nmae x\n"), 400, "usage");
        assertThat(ApiClient.text(api.post("/resources/vlan/create", "colour red\n"))).contains("colour");
        assertError(api.post("/resources/vlan/create", "user:bad\u0001 x\n"), 400, "usage");
        assertError(api.post("/resources/ip/" + ip + "/set", "name \n"), 400, "usage");
        assertError(api.post("/resources/vlan/create", "{not json", "Content-Type", "application/json"), 400, "usage");
        assertError(api.post("/resources/disk/create", ""), 404, "missing");
        assertError(api.get("/resources/disk/list"), 404, "missing");
        assertError(api.get("/resources/ip/169.254.30.010/info"), 404, "missing");
        assertError(api.get("/resources/ip/not-an-ip/info"), 404, "missing");
        assertError(api.get("/resources/vlan/not-a-uuid/info"), 404, "missing");
        assertError(api.get("/resources/vlan/" + UUID.randomUUID() + "/info"), 404, "missing");
        // another user's resources do not exist for them
        for (String path : new String[] {"/resources/ip/" + ip, "/resources/vlan/" + vlan}) {
            for (String action : new String[] {"info", "set", "destroy"}) {
                assertError(other.post(path + "/" + action, ""), 404, "missing");
            }
            // nor as the VLAN's type under the other name
            for (String action : new String[] {"set", "destroy"}) {
                assertError(api.get(path + "/" + action), 405, "method");
            }
        }
        assertError(api.get("/resources/vlan/" + ip + "/info"), 404, "missing");
        assertError(api.get("/resources/ip/create"), 405, "method");
        assertError(api.get("/api/resources/vlan/create"), 405, "method");
        assertThat(ApiClient.text(other.get("/resources/list"))).isEmpty();
        assertError(anonymous.get("/resources/list"), 401, "auth");
        assertThat(ApiClient.text(api.get("/resources/list")).lines()).hasSize(2);
    }

    @Test
    void anEmptyPoolIsFullAndAnAddressDestroyedCanBeTakenAgain() {
        List<String> taken = new ArrayList<>();
        for (int i = 0; i < POOL_SIZE; i++) {
            taken.add(ip());
        }
        assertThat(new HashSet<>(taken)).hasSize(POOL_SIZE)
                .doesNotContain("169.254.30.1", "169.254.30.14", "169.254.30.0", "169.254.30.15");
        HttpResponse<byte[]> full = other.post("/resources/ip/create", "name one more\n");
        assertError(full, 507, "full");
        // a server start that needs a temporary address is full too, and leaves no server behind
        assertError(api.post("/servers/create", "name s\ncpu 500\nmem 128\nnic:0:dhcp auto\n"), 507, "full");
        assertThat(ApiClient.text(api.get("/servers/list"))).isEmpty();
        // VLANs are not from the pool
        assertThat(vlan()).isNotNull();

        assertThat(api.post("/resources/ip/" + taken.get(3) + "/destroy", "").statusCode()).isEqualTo(204);
        assertThat(createResource(other, "ip", "").get("resource")).isEqualTo(taken.get(3));
        assertThat(pool("small")).contains("\"size\":12").contains("\"static\":12").contains("\"free\":0");
    }

    @Test
    void aResourceAServerNamesCannotBeDestroyedNorNamedByAnotherServer() {
        String ip = ip();
        String vlan = vlan();
        String server = create("/servers/create/stopped", "name s\ncpu 500\nmem 128\nnic:0:dhcp " + ip
                + "\nnic:1:vlan " + vlan + "\n").get("server");
        HttpResponse<byte[]> busy = api.post("/resources/ip/" + ip + "/destroy", "");
        assertError(busy, 409, "busy");
        assertThat(ApiClient.text(busy)).contains(server);
        assertError(api.post("/resources/vlan/" + vlan + "/destroy", ""), 409, "busy");
        // the same IP named by another server, as its address or its console's
        assertError(api.post("/servers/create/stopped", "name t\ncpu 500\nmem 128\nnic:0:dhcp " + ip + "\n"), 409, "busy");
        assertError(api.post("/servers/create/stopped", "name t\ncpu 500\nmem 128\nvnc " + ip + "\nvnc:password pw\n"),
                409, "busy");
        String second = create("/servers/create/stopped", "name t\ncpu 500\nmem 128\n").get("server");
        assertError(api.post("/servers/" + second + "/set", "nic:0:dhcp " + ip + "\n"), 409, "busy");
        // one server may name it twice: its address is its console's
        Map<String, String> both = properties(api.post("/servers/" + server + "/set", "vnc " + ip + "\nvnc:password pw\n"));
        assertThat(both).containsEntry("vnc", ip).containsEntry("nic:0:dhcp", ip);

        assertThat(api.post("/servers/" + server + "/destroy", "").statusCode()).isEqualTo(204);
        assertThat(api.post("/resources/ip/" + ip + "/destroy", "").statusCode()).isEqualTo(204);
        assertThat(api.post("/resources/vlan/" + vlan + "/destroy", "").statusCode()).isEqualTo(204);
    }

    @Test
    void serversNameOnlyTheirOwnersResources() {
        String theirIp = createResource(other, "ip", "").get("resource");
        String theirVlan = createResource(other, "vlan", "").get("resource");
        String[][] cases = {
                {"nic:0:dhcp " + theirIp, "nic:0:dhcp"},
                {"nic:0:dhcp 169.254.30.13", "nic:0:dhcp"},
                {"nic:0:dhcp 169.254.30.300", "nic:0:dhcp"},
                {"vnc " + theirIp + "\nvnc:password pw", "vnc"},
                {"nic:1:vlan " + theirVlan, "nic:1:vlan"},
                {"nic:1:vlan " + UUID.randomUUID(), "nic:1:vlan"},
                {"nic:1:model virtio", "nic:1:vlan"},
        };
        for (String[] c : cases) {
            HttpResponse<byte[]> refused = api.post("/servers/create/stopped", "name x\ncpu 500\nmem 128\n" + c[0] + "\n");
            assertError(refused, 400, "usage");
            assertThat(ApiClient.text(refused)).as(c[0]).contains(c[1]);
        }
        assertThat(ApiClient.text(api.get("/servers/list"))).isEmpty();
    }

    @Test
    void aPrivateMacIsUniqueOnItsVlanOnly() {
        String red = vlan();
        String blue = vlan();
        create("/servers/create/stopped", "name a\ncpu 500\nmem 128\nnic:1:vlan " + red + "\nnic:1:mac 52:54:00:01:02:03\n");
        HttpResponse<byte[]> busy = api.post("/servers/create/stopped",
                "name b\ncpu 500\nmem 128\nnic:1:vlan " + red + "\nnic:1:mac 52:54:00:01:02:03\n");
        assertError(busy, 409, "busy");
        assertThat(ApiClient.text(busy)).contains("nic:1:mac");
        Map<String, String> onBlue = create("/servers/create/stopped",
                "name c\ncpu 500\nmem 128\nnic:1:vlan " + blue + "\nnic:1:mac 52:54:00:01:02:03\n");
        assertThat(onBlue).containsEntry("nic:1:vlan", blue).containsEntry("nic:1:mac", "52:54:00:01:02:03")
                .containsEntry("nic:1:model", "e1000");
        // the public network is another network: the same MAC on nic 0 is free there, once
        create("/servers/create/stopped", "name d\ncpu 500\nmem 128\nnic:0:mac 52:54:00:01:02:03\n");
        assertError(api.post("/servers/create/stopped", "name e\ncpu 500\nmem 128\nnic:0:mac 52:54:00:01:02:03\n"),
                409, "busy");
    }

    @Test
    void aStaticIpAndAVlanReachTheGuestAndInfo() {
        String ip = ip();
        String vlan = vlan();
        Map<String, String> info = create("/servers/create", "name s\ncpu 500\nmem 128\nnic:0:model virtio\nnic:0:dhcp "
                + ip + "\nnic:1:vlan " + vlan.toUpperCase() + "\nnic:1:model rtl8139\nvnc auto\nvnc:password pw\n");
        String server = info.get("server");
        assertThat(info).containsEntry("nic:0:dhcp", ip).containsEntry("nic:0:dhcp:ip", ip).containsEntry("vnc:ip", ip)
                .containsEntry("nic:1:vlan", vlan);
        var spec = spec(server);
        var nic0 = spec.nics().get(0);
        var nic1 = spec.nics().get(1);
        assertThat(nic0.index()).isZero();
        assertThat(nic0.dhcpIp()).isEqualTo(ip);
        assertThat(nic0.vlan()).isNull();
        assertThat(nic0.mac()).isEqualTo(info.get("nic:0:mac"));
        assertThat(nic1.index()).isOne();
        assertThat(nic1.dhcpIp()).isNull();
        assertThat(nic1.vlan().id()).isEqualTo(vlan);
        assertThat(nic1.vlan().vni()).isBetween(1, 16777215);
        assertThat(nic1.mac()).isEqualTo(info.get("nic:1:mac"));
        // the pool maps 169.254.30.N onto 127.30.0.N for the console
        assertThat(spec.vnc().listen()).isEqualTo(ip.replace("169.254.30.", "127.30.0."));
        assertThat(spec.vnc().password()).isEqualTo("pw");

        // another VLAN has another VNI
        String second = vlan();
        String other = create("/servers/create", "name t\ncpu 500\nmem 128\nnic:1:vlan " + second + "\n").get("server");
        assertThat(spec(other).nics()).hasSize(1);
        assertThat(spec(other).nics().get(0).vlan().vni()).isNotEqualTo(nic1.vlan().vni());
        assertThat(spec(other).vnc()).isNull();
        // the static IP stays its owner's when the server stops
        api.post("/servers/" + server + "/stop", "");
        assertThat(ApiClient.text(api.get("/resources/ip/list"))).isEqualTo("ip " + ip + "\n");
    }

    @Test
    void autoAddressesAreTakenAtStartAndGivenBackWhenTheGuestEnds() {
        String server = create("/servers/create", "name s\ncpu 500\nmem 128\npersistent true\nnic:0:dhcp auto\n"
                + "vnc auto\nvnc:password pw\n").get("server");
        Map<String, String> info = info(server);
        String address = info.get("nic:0:dhcp:ip");
        assertThat(address).startsWith("169.254.30.");
        assertThat(info).containsEntry("nic:0:dhcp", "auto").containsEntry("vnc:ip", address);
        assertThat(spec(server).nics().get(0).dhcpIp()).isEqualTo(address);
        assertThat(spec(server).vnc().listen()).isEqualTo(address.replace("169.254.30.", "127.30.0."));
        assertThat(pool("small")).contains("\"temporary\":1").contains("\"server\":\"" + server + "\"");
        // a temporary address is no one's resource
        assertError(api.get("/resources/ip/" + address + "/info"), 404, "missing");
        assertThat(ApiClient.text(api.get("/resources/list"))).isEmpty();

        api.post("/servers/" + server + "/stop", "");
        assertThat(info(server)).containsEntry("status", "stopped").doesNotContainKeys("nic:0:dhcp:ip", "vnc:ip");
        assertThat(pool("small")).contains("\"temporary\":0");

        // vnc auto without an address on nic 0 (which keeps its model and MAC) takes one for the console only
        api.post("/servers/" + server + "/set", "nic:0:dhcp\n");
        api.post("/servers/" + server + "/start", "");
        info = info(server);
        assertThat(info).doesNotContainKey("nic:0:dhcp:ip");
        assertThat(info.get("vnc:ip")).startsWith("169.254.30.");
        assertThat(spec(server).nics().get(0).dhcpIp()).isNull();
        assertThat(pool("small")).contains("\"temporary\":1");

        // a guest that crashes gives it back too, and so does a destroy
        hostOf(server).crash(server);
        eventually("the server is dead", () -> "dead".equals(info(server).get("status")));
        assertThat(pool("small")).contains("\"temporary\":0");
        api.post("/servers/" + server + "/start", "");
        assertThat(pool("small")).contains("\"temporary\":1");
        api.post("/servers/" + server + "/destroy", "");
        assertThat(pool("small")).contains("\"temporary\":0");
        // a transient server's guest that powers off is destroyed, and its address given back
        String transient_ = create("/servers/create", "name t\ncpu 500\nmem 128\nnic:0:dhcp auto\n").get("server");
        assertThat(pool("small")).contains("\"temporary\":1");
        hostOf(transient_).guestPowersOff(transient_);
        eventually("the transient server is gone", () -> api.get("/servers/" + transient_ + "/info").statusCode() == 404);
        assertThat(pool("small")).contains("\"temporary\":0");
    }

    @Test
    void theAdminSeesThePoolsAndCustomersDoNot() {
        String ip = ip();
        HttpResponse<byte[]> pools = admin.get("/actuator/ippools");
        assertThat(pools.statusCode()).isEqualTo(200);
        assertThat(ApiClient.text(pools)).contains("\"name\":\"small\"").contains("\"cidr\":\"169.254.30.0/28\"")
                .contains("\"netmask\":\"255.255.255.240\"").contains("\"gateway\":\"169.254.30.1\"")
                .contains("\"range\":\"169.254.30.1-169.254.30.14\"").contains("\"vncListenBase\":\"127.30.0.0\"")
                .contains("\"size\":12").contains("\"static\":1").contains("\"free\":11");
        assertThat(pool("small")).contains("{\"address\":\"" + ip + "\",\"holder\":\"static\",\"user\":\"" + user + "\"");
        assertThat(admin.get("/actuator/ippools/nope").statusCode()).isEqualTo(404);
        assertError(api.get("/actuator/ippools"), 401, "auth");
    }
}
