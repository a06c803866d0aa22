package io.elasticcloud.storage.host;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.elasticcloud.storage.host.HostCommands.Result;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** The guest agent's messages as pure functions: what goes out byte for byte, what comes back decoded. */
class AgentProtocolTest {
    static final JsonMapper JSON = JsonMapper.builder().build();

    static String text(byte[] bytes) {
        return new String(bytes, StandardCharsets.UTF_8);
    }

    @Test
    void syncStartsWithTheSentinelAndCarriesTheId() {
        byte[] sync = AgentProtocol.sync(9007199254740991L);
        assertThat(sync[0]).isEqualTo((byte) 0xFF);
        JsonNode request = JSON.readTree(Arrays.copyOfRange(sync, 1, sync.length));
        assertThat(request.path("execute").asString()).isEqualTo("guest-sync-delimited");
        assertThat(request.path("arguments").path("id").asLong()).isEqualTo(9007199254740991L);
        assertThat(sync[sync.length - 1]).isEqualTo((byte) '\n');
    }

    @Test
    void execCarriesArgvUnquotedAndStdinAsBase64() {
        byte[] exec = AgentProtocol.exec(List.of("cryptsetup", "open", "--key-file=-", "/dev/box/v 1"),
                "secret\n".getBytes(StandardCharsets.UTF_8));
        assertThat(text(exec)).isEqualTo("{\"execute\":\"guest-exec\",\"arguments\":{\"path\":\"cryptsetup\","
                + "\"arg\":[\"open\",\"--key-file=-\",\"/dev/box/v 1\"],\"capture-output\":true,"
                + "\"input-data\":\"c2VjcmV0Cg==\"}}\n");
    }

    @Test
    void execWithoutStdinStillSendsEmptyInputSoTheChildReadsEndOfFile() {
        JsonNode request = JSON.readTree(AgentProtocol.exec(List.of("lvm", "vgs"), new byte[0]));
        assertThat(request.path("arguments").path("input-data").isString()).isTrue();
        assertThat(request.path("arguments").path("input-data").asString()).isEmpty();
        assertThat(request.path("arguments").path("arg").values()).extracting(JsonNode::asString).containsExactly("vgs");
    }

    @Test
    void execStatusNamesThePid() {
        assertThat(JSON.readTree(AgentProtocol.execStatus(4242)).path("arguments").path("pid").asLong()).isEqualTo(4242);
    }

    static Stream<Arguments> statuses() {
        return Stream.of(
                Arguments.of("exit 0 with output", "{\"exitcode\": 0, \"out-data\": \"aGVsbG8=\", \"out-truncated\": false,"
                        + " \"exited\": true}", new Result(0, "hello".getBytes(), new byte[0])),
                Arguments.of("lvm's missing VG: rc 5 and stderr only", "{\"exitcode\": 5, \"err-data\": "
                        + "\"ICBWb2x1bWUgZ3JvdXAgImJveCIgbm90IGZvdW5kCg==\", \"err-truncated\": false, \"exited\": true}",
                        new Result(5, new byte[0], "  Volume group \"box\" not found\n".getBytes())),
                Arguments.of("SIGKILL: no exit code, 128 + 9", "{\"signal\": 9, \"exited\": true}",
                        new Result(137, new byte[0], new byte[0])),
                Arguments.of("both streams", "{\"exitcode\": 2, \"out-data\": \"b3V0\", \"err-data\": \"ZXJy\", \"exited\": true}",
                        new Result(2, "out".getBytes(), "err".getBytes())));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("statuses")
    void aFinishedStatusBecomesAResult(String name, String status, Result expected) throws IOException {
        assertThat(AgentProtocol.result(JSON.readTree(status), "lvm")).isEqualTo(expected);
    }

    @Test
    void truncatedOutputIsAnErrorNotAShortReport() {
        assertThatThrownBy(() -> AgentProtocol.result(JSON.readTree(
                "{\"exitcode\": 0, \"out-data\": \"e30=\", \"out-truncated\": true, \"exited\": true}"), "lvm"))
                .isInstanceOf(IOException.class).hasMessageContaining("lvm").hasMessageContaining("cut");
    }

    @Test
    void anErrorReplyBecomesAnExceptionWithTheAgentsWords() throws IOException {
        JsonNode reply = AgentProtocol.parse(("{\"error\": {\"class\": \"GenericError\", \"desc\": \"Invalid parameter 'pid'\"}}")
                .getBytes(StandardCharsets.UTF_8));
        assertThatThrownBy(() -> AgentProtocol.returned(reply, "the status of lvm"))
                .isInstanceOf(IOException.class).hasMessage("the guest agent refused the status of lvm: Invalid parameter 'pid'");
    }

    @Test
    void bytesThatAreNotAJsonObjectAreAProtocolError() {
        for (String line : List.of("{\"return\": {\"exi", "\u00fe", "42", "")) {
            assertThatThrownBy(() -> AgentProtocol.parse(line.getBytes(StandardCharsets.UTF_8)))
                    .as(line).isInstanceOf(IOException.class).hasMessageContaining("guest agent");
        }
    }
}
