package io.elasticcloud.storage.host;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.elasticcloud.storage.host.HostCommands.Result;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The fake the LVM backend's tests script: its matching, its turns and its record of calls. */
class FakeHostCommandsTest {
    static final Duration TIMEOUT = Duration.ofSeconds(5);
    static final byte[] NONE = new byte[0];
    final FakeHostCommands host = new FakeHostCommands();

    Result run(String... argv) throws IOException {
        return host.run(List.of(argv), NONE, TIMEOUT);
    }

    @Test
    void theLongestMatchingPrefixAnswersAndTheLatestOfEquals() throws IOException {
        host.when("lvm").thenExit(3, "general");
        host.when("lvm", "lvs").thenOutput("first");
        host.when("lvm", "lvs").thenOutput("particular");
        assertThat(run("lvm", "lvs", "box").stdoutText()).isEqualTo("particular");
        assertThat(run("lvm", "vgs").stderrText()).isEqualTo("general");
        assertThat(run("lvm", "vgs").exit()).isEqualTo(3);
    }

    @Test
    void answersComeInTurnAndTheLastOneStays() throws IOException {
        host.when("lvm", "vgs").thenOutput("before").thenOutput("after");
        assertThat(List.of(run("lvm", "vgs").stdoutText(), run("lvm", "vgs").stdoutText(), run("lvm", "vgs").stdoutText()))
                .containsExactly("before", "after", "after");
    }

    @Test
    void failuresAndTimeoutsAreThrownLikeTheRealOnes() {
        host.when("lvm", "lvremove").thenThrow(new IOException("box gone"));
        host.when("cryptsetup").thenTimeOut();
        assertThatThrownBy(() -> run("lvm", "lvremove", "box/v")).isInstanceOf(IOException.class).hasMessage("box gone");
        assertThatThrownBy(() -> run("cryptsetup", "open")).isInstanceOf(IOException.class)
                .hasMessage("cryptsetup did not finish within 5000 ms and was killed");
    }

    @Test
    void anAnswerCanDependOnTheCall() throws IOException {
        host.when("cat").thenAnswer(call -> new Result(0, call.stdin(), NONE));
        assertThat(host.run(List.of("cat"), "echo".getBytes(StandardCharsets.UTF_8), TIMEOUT).stdoutText())
                .isEqualTo("echo");
    }

    @Test
    void callsAreRecordedWithACopyOfTheirStdin() throws IOException {
        host.when("lvm").thenSucceed();
        host.when("cryptsetup").thenSucceed();
        byte[] key = "passphrase".getBytes(StandardCharsets.UTF_8);
        run("lvm", "lvcreate", "-n", "v", "box");
        host.run(List.of("cryptsetup", "open", "--key-file=-", "/dev/box/v", "v-crypt"), key, TIMEOUT);
        Arrays.fill(key, (byte) 0); // the caller wipes its key
        assertThat(host.commands()).containsExactly(List.of("lvm", "lvcreate", "-n", "v", "box"),
                List.of("cryptsetup", "open", "--key-file=-", "/dev/box/v", "v-crypt"));
        assertThat(host.lastCall("cryptsetup").stdinText()).isEqualTo("passphrase");
        assertThat(host.lastCall("cryptsetup").toString()).doesNotContain("passphrase").contains("10 bytes of stdin");
        assertThat(host.calls("lvm")).hasSize(1);
        assertThat(host.calls().get(0).timeout()).isEqualTo(TIMEOUT);
        host.clearCalls();
        assertThat(host.calls()).isEmpty();
    }

    @Test
    void anUnscriptedCommandFailsTheTestNamingItAndTheScripts() {
        host.when("lvm", "lvs").thenOutput("{}");
        assertThatThrownBy(() -> run("dmsetup", "ls")).isInstanceOf(AssertionError.class)
                .hasMessageContaining("dmsetup ls").hasMessageContaining("lvm lvs");
        assertThat(host.commands()).containsExactly(List.of("dmsetup", "ls"));
    }
}
