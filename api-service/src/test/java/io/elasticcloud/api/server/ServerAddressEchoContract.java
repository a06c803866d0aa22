package io.elasticcloud.api.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.elasticcloud.api.support.ApiClient;
import java.net.http.HttpResponse;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * What clients send back of a server's temporary address, and where they read it (docs/api.md,
 * "Servers"): jclouds echoes the address its last info showed as {@code nic:0:dhcp}, and at
 * api-version 1.0 reads the address from {@code nic:0:dhcp} itself. Run on each database by a
 * subclass.
 */
abstract class ServerAddressEchoContract extends ServerTestBase {

    @Test
    void anEchoOfTheServersOwnFormerAddressMeansAuto() {
        // jclouds 2.0: vnc auto, the address read from nic:0:dhcp:ip
        Map<String, String> info = create("/servers/create", "name j\ncpu 500\nmem 128\npersistent true\n"
                + "nic:0:model e1000\nnic:0:dhcp auto\nvnc auto\npassword Il0veVNC\n");
        String server = info.get("server");
        String first = info.get("nic:0:dhcp:ip");
        assertThat(info).containsEntry("nic:0:dhcp", "auto").containsEntry("vnc:ip", first);
        // while it holds the address, and after stop and another start (maybe another address)
        assertThat(set(server, "nic:0:dhcp " + first + "\nvnc auto\n")).containsEntry("nic:0:dhcp", "auto");
        api.post("/servers/" + server + "/stop", "");
        api.post("/servers/" + server + "/start", "");
        api.post("/servers/" + server + "/stop", "");
        Map<String, String> after = set(server, "name renamed\nnic:0:dhcp " + first + "\nvnc auto\npassword Il0veVNC\n");
        assertThat(after).containsEntry("name", "renamed").containsEntry("nic:0:dhcp", "auto").containsEntry("vnc", "auto");
        assertThat(set(server, "vnc " + first + "\n")).containsEntry("vnc", "auto");
        assertThat(api.post("/servers/" + server + "/start", "").statusCode()).isEqualTo(204);
        assertThat(info(server).get("nic:0:dhcp:ip")).startsWith("169.254.20.");
    }

    @Test
    void anotherCustomersCurrentOrFormerAddressIsStillRefused() {
        HttpResponse<byte[]> created = other.post("/servers/create", "name theirs\ncpu 500\nmem 128\npersistent true\n"
                + "nic:0:dhcp auto\n");
        assertThat(created.statusCode()).as(ApiClient.text(created)).isEqualTo(200);
        String theirs = properties(created).get("server");
        String address = properties(created).get("nic:0:dhcp:ip");
        String mine = create("/servers/create", "name mine\ncpu 500\nmem 128\npersistent true\nnic:0:dhcp auto\n")
                .get("server");
        api.post("/servers/" + mine + "/stop", "");

        // held now by their server
        refused(api.post("/servers/" + mine + "/set", "nic:0:dhcp " + address + "\n"), address);
        refused(api.post("/servers/" + mine + "/set", "vnc " + address + "\n"), address);
        refused(api.post("/servers/create/stopped", "name x\ncpu 500\nmem 128\nnic:0:dhcp " + address + "\n"), address);
        // given back: still theirs to echo, never ours
        assertThat(other.post("/servers/" + theirs + "/stop", "").statusCode()).isEqualTo(204);
        refused(api.post("/servers/" + mine + "/set", "nic:0:dhcp " + address + "\n"), address);
        assertThat(properties(other.post("/servers/" + theirs + "/set", "nic:0:dhcp " + address + "\n")))
                .containsEntry("nic:0:dhcp", "auto");
        assertThat(info(mine)).containsEntry("nic:0:dhcp", "auto");
    }

    @Test
    void aServerSetUpWithVncIpShowsItsAddressAsNicDhcp() {
        // jclouds 1.0: vnc:ip (no vnc), the address read from nic:0:dhcp
        Map<String, String> info = create("/servers/create", "name old\ncpu 500\nmem 128\npersistent true\n"
                + "nic:0:model e1000\nnic:0:dhcp auto\nvnc:ip auto\npassword Il0veVNC\n");
        String server = info.get("server");
        String address = info.get("nic:0:dhcp:ip");
        assertThat(address).startsWith("169.254.20.");
        assertThat(info).containsEntry("nic:0:dhcp", address).containsEntry("vnc:ip", address).containsEntry("vnc", "auto");
        assertThat(info(server)).containsEntry("nic:0:dhcp", address);
        // the whole block echoed while it runs changes nothing
        assertThat(set(server, "nic:0:dhcp " + address + "\nvnc:ip " + address + "\n")).containsEntry("nic:0:dhcp", address);

        api.post("/servers/" + server + "/stop", "");
        assertThat(info(server)).containsEntry("nic:0:dhcp", "auto").doesNotContainKey("nic:0:dhcp:ip");
        assertThat(set(server, "name again\nnic:0:dhcp " + address + "\nvnc:ip " + address + "\n"))
                .containsEntry("nic:0:dhcp", "auto");
        // a client of the newer dialect (vnc, no vnc:ip) reads nic:0:dhcp:ip: nic:0:dhcp is the setting again
        set(server, "vnc auto\n");
        api.post("/servers/" + server + "/start", "");
        Map<String, String> newer = info(server);
        assertThat(newer).containsEntry("nic:0:dhcp", "auto").containsKey("nic:0:dhcp:ip");
        // a whole info block (vnc and vnc:ip both) does not tell, and changes nothing
        assertThat(set(server, ApiClient.text(api.get("/servers/" + server + "/info")))).containsEntry("nic:0:dhcp", "auto");
    }

    private Map<String, String> set(String server, String body) {
        HttpResponse<byte[]> set = api.post("/servers/" + server + "/set", body);
        assertThat(set.statusCode()).as(ApiClient.text(set)).isEqualTo(200);
        return properties(set);
    }

    private static void refused(HttpResponse<byte[]> reply, String address) {
        assertError(reply, 400, "usage");
        assertThat(ApiClient.text(reply)).contains(address + " is not one of your static IP resources");
    }
}
