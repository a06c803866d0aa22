package io.elasticcloud.cli.command;

import static org.assertj.core.api.Assertions.assertThat;

import io.elasticcloud.cli.FakeApi;
import io.elasticcloud.cli.Run;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every API call of the tool against a loopback recorder: the exact request line, the body and its
 * type, what is printed; and how the API's errors become the tool's exit status and message.
 */
class CommandWireTest {
    private static final String D = "aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee";
    private static final String S = "12345678-1234-1234-1234-123456789abc";
    private static FakeApi api;

    @BeforeAll
    static void start() {
        api = new FakeApi();
        // every call answers 200 with its own request line, so what is printed can be checked too
        api.override(r -> new String[] {"200", null, "called " + r.method() + " " + r.path() + "\n"});
    }

    @AfterAll
    static void stop() {
        api.close();
    }

    static Stream<Arguments> calls() {
        return Stream.of(
                // arguments | method path | body sent ("" = none)
                Arguments.of("drives list", "GET /drives/list", ""),
                Arguments.of("drives list standard", "GET /drives/list/standard", ""),
                Arguments.of("drives info", "GET /drives/info", ""),
                Arguments.of("drives info " + D, "GET /drives/" + D + "/info", ""),
                Arguments.of("drives info standard", "GET /drives/info/standard", ""),
                Arguments.of("drives create name data size 10G", "POST /drives/create", "name data\nsize 10G\n"),
                Arguments.of("drives set " + D + " size 20G tags a", "POST /drives/" + D + "/set", "size 20G\ntags a\n"),
                Arguments.of("drives destroy " + D, "POST /drives/" + D + "/destroy", ""),
                Arguments.of("drives image " + D + " " + S, "POST /drives/" + D + "/image/" + S, ""),
                Arguments.of("drives image " + D + " " + S + " gunzip", "POST /drives/" + D + "/image/" + S + "/gunzip", ""),
                Arguments.of("drives read " + D + " 4M 512", "GET /drives/" + D + "/read/4M/512", ""),
                Arguments.of("servers list", "GET /servers/list", ""),
                Arguments.of("servers info", "GET /servers/info", ""),
                Arguments.of("servers info " + S, "GET /servers/" + S + "/info", ""),
                Arguments.of("servers create name web cpu 2000 mem 1024", "POST /servers/create",
                        "name web\ncpu 2000\nmem 1024\n"),
                Arguments.of("servers create --stopped name web cpu 2000 mem 1024", "POST /servers/create/stopped",
                        "name web\ncpu 2000\nmem 1024\n"),
                Arguments.of("servers start " + S, "POST /servers/" + S + "/start", ""),
                Arguments.of("servers stop " + S, "POST /servers/" + S + "/stop", ""),
                Arguments.of("servers shutdown " + S, "POST /servers/" + S + "/shutdown", ""),
                Arguments.of("servers reset " + S, "POST /servers/" + S + "/reset", ""),
                Arguments.of("servers destroy " + S, "POST /servers/" + S + "/destroy", ""),
                Arguments.of("servers set " + S + " cpu 4000", "POST /servers/" + S + "/set", "cpu 4000\n"),
                Arguments.of("resources list", "GET /resources/list", ""),
                Arguments.of("resources list ip", "GET /resources/ip/list", ""),
                Arguments.of("resources info", "GET /resources/info", ""),
                Arguments.of("resources info vlan", "GET /resources/vlan/info", ""),
                Arguments.of("resources info ip 192.0.2.7", "GET /resources/ip/192.0.2.7/info", ""),
                Arguments.of("resources create vlan name private", "POST /resources/vlan/create", "name private\n"),
                Arguments.of("resources set vlan " + S + " tags x", "POST /resources/vlan/" + S + "/set", "tags x\n"),
                Arguments.of("resources destroy ip 192.0.2.7", "POST /resources/ip/192.0.2.7/destroy", ""));
    }

    @ParameterizedTest(name = "elastic {0}")
    @MethodSource("calls")
    void eachCallSendsItsRequest(String args, String requestLine, String body) {
        int before = api.requests().size();
        Run run = Run.of(api.env(), null, args.split(" "));
        assertThat(run.status()).as(run.stderr()).isZero();
        FakeApi.Request r = api.requests().get(before);
        assertThat(r.method() + " " + r.path()).isEqualTo(requestLine);
        assertThat(r.text()).isEqualTo(body);
        if (!body.isEmpty()) {
            assertThat(r.header("Content-Type")).isEqualTo("text/plain");
        }
        assertThat(r.header("Accept")).isEqualTo(args.startsWith("drives read") ? "application/octet-stream" : "text/plain");
        assertThat(run.out()).isEqualTo("called " + requestLine + "\n");
    }

    @Test
    void jsonAsksForJson() {
        int before = api.requests().size();
        Run run = Run.of(api.env(), null, "-j", "drives", "info", D);
        assertThat(run.status()).isZero();
        assertThat(api.requests().get(before).header("Accept")).isEqualTo("application/json");
    }

    @Test
    void keysFromStandardInputWhenNoneAreGiven() {
        int before = api.requests().size();
        Run run = Run.of(api.env(), "name from stdin\r\n\r\nsize 1G\r\n".getBytes(StandardCharsets.UTF_8),
                "drives", "create");
        assertThat(run.status()).as(run.stderr()).isZero();
        assertThat(api.requests().get(before).text()).isEqualTo("name from stdin\nsize 1G\n");
    }

    @Test
    void aJsonObjectOnStandardInputIsSentAsJson() {
        int before = api.requests().size();
        Run run = Run.of(api.env(), "{\"name\":\"j\",\"size\":1048576}\n".getBytes(StandardCharsets.UTF_8),
                "servers", "set", S);
        assertThat(run.status()).isZero();
        FakeApi.Request r = api.requests().get(before);
        assertThat(r.header("Content-Type")).isEqualTo("application/json");
        assertThat(r.text()).isEqualTo("{\"name\":\"j\",\"size\":1048576}");
    }

    @Test
    void writeSendsStandardInputAsOctets() {
        int before = api.requests().size();
        Run run = Run.of(api.env(), new byte[] {1, 2, 3}, "drives", "write", D, "1M");
        assertThat(run.status()).isZero();
        FakeApi.Request r = api.requests().get(before);
        assertThat(r.method() + " " + r.path()).isEqualTo("POST /drives/" + D + "/write/1M");
        assertThat(r.header("Content-Type")).isEqualTo("application/octet-stream");
        assertThat(r.header("Content-Encoding")).isNull();
        assertThat(r.body()).containsExactly(1, 2, 3);
    }

    @Test
    void pathSegmentsAreEncodedSoNoArgumentCanMoveTheCall() {
        int before = api.requests().size();
        Run run = Run.of(api.env(), null, "drives", "info", "../servers/x y");
        assertThat(run.status()).isZero();
        assertThat(api.requests().get(before).path()).isEqualTo("/drives/..%2Fservers%2Fx%20y/info");
    }

    @Test
    void everyCommandHasHelp() {
        for (Command c : Commands.all()) {
            Run run = Run.of(Map.of(), null, c.group(), c.name(), "--help");
            assertThat(run.status()).as(c.group() + " " + c.name()).isZero();
            assertThat(run.out()).startsWith("usage: elastic " + c.group() + " " + c.name());
        }
        assertThat(Run.of(Map.of(), null, "--help").out()).contains("drives upload", "servers shutdown",
                "resources destroy", "EHAUTH", " 18  full");
        assertThat(Run.of(Map.of(), null, "help", "drives", "upload").out())
                .startsWith("usage: elastic drives upload").contains("--resume");
    }

    @Test
    void anApiErrorIsItsTypeAndDescriptionAndItsExitStatus() {
        try (FakeApi errors = new FakeApi()) {
            errors.override(r -> new String[] {"409", "busy", "drive " + D + " is being imaged\nsecond line"});
            Run run = Run.of(errors.env(), null, "drives", "destroy", D);
            assertThat(run.status()).isEqualTo(15);
            assertThat(run.stderr()).isEqualTo("elastic: busy: drive " + D + " is being imaged\n");
            assertThat(run.out()).isEmpty();

            errors.override(r -> new String[] {"502", null, "<html>bad gateway</html>"});
            Run proxy = Run.of(errors.env(), null, "servers", "list");
            assertThat(proxy.status()).isEqualTo(19);
            assertThat(proxy.stderr()).startsWith("elastic: http: HTTP 502 on GET /servers/list");
        }
    }

    @Test
    void wrongCredentialsAreAuthAndTheKeyIsNeverPrinted() {
        Map<String, String> env = new HashMap<>(api.env());
        env.put("EHAUTH", FakeApi.USER + ":wrong-" + FakeApi.KEY);
        Run run = Run.of(env, null, "drives", "list");
        assertThat(run.status()).isEqualTo(11);
        assertThat(run.stderr()).startsWith("elastic: auth: ").doesNotContain(FakeApi.KEY);

        env.put("EHAUTH", FakeApi.KEY); // no UUID: the whole value may be a secret
        Run malformed = Run.of(env, null, "drives", "list");
        assertThat(malformed.status()).isEqualTo(2);
        assertThat(malformed.stderr()).contains("UUID:KEY").doesNotContain(FakeApi.KEY);
    }

    @Test
    void commandLineMistakesExitTwoWithoutCallingTheApi() {
        int before = api.requests().size();
        assertThat(Run.of(api.env(), null, "drives", "frobnicate").status()).isEqualTo(2);
        assertThat(Run.of(api.env(), null, "disks", "list").status()).isEqualTo(2);
        assertThat(Run.of(api.env(), null, "drives", "destroy").status()).isEqualTo(2);
        assertThat(Run.of(api.env(), null, "drives", "create", "name").stderr()).contains("name has no value");
        assertThat(Run.of(api.env(), null, "drives", "list", "--bogus").stderr()).contains("unknown option --bogus");
        assertThat(api.requests()).hasSize(before);
    }

    @Test
    void anUnreachableEndpointIsAConnectionError() {
        Run run = Run.of(Map.of("EHURI", "http://127.0.0.1:1/", "EHAUTH", "u:k"), null, "drives", "list");
        assertThat(run.status()).isEqualTo(3);
        assertThat(run.stderr()).startsWith("elastic: connection: cannot connect to http://127.0.0.1:1/");
    }
}
