package io.elasticcloud.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** The tell-tales {@link FailureBodies} finds in a 5xx body, and the bodies of ours it passes. */
class FailureBodiesTest {

    @ParameterizedTest(name = "{1}: {0}")
    @CsvSource(delimiter = '|', quoteCharacter = '~', textBlock = """
            server 5f1c did not start: -blockdev {"driver":"file","filename":"/srv/d/v-1.luks"}  | a host path
            Could not open '/home/ci/target/it-data/volumes/pool-0/v-1': Permission denied      | a host path
            cannot read /var                                                                     | a host path
            data dir tmp/x under /tmp                                                            | a host path
            qemu-system-x86_64: -blockdev driver=file                                           | a command-line option
            failed: --object secret,id=sec0                                                      | a command-line option
            libvirt at qemu:///system does not answer                                            | a tool's name
            'ip link add elvx5 type vxlan' failed (2)                                            | a tool's name
            internal error: process exited while connecting                                      | the hypervisor's words
            java.lang.IllegalStateException: locked                                              | the JVM's words
            NullPointerException                                                                 | the JVM's words
            the system failed at io.elasticcloud.api.X.y(X.java:3)                               | the JVM's words
            {"error":"boom"}                                                                     | JSON or XML
            <disk type='file'>                                                                   | JSON or XML
            node agent-0 failed to carry out StartServer                                         | an internal name
            storage I/O failed on storage node pool-0                                            | an internal name
            """)
    void findsOurInsides(String body, String what) {
        assertThat(FailureBodies.insides(body)).hasValueSatisfying(found -> assertThat(found).startsWith(what));
        assertThatThrownBy(() -> FailureBodies.check(500, body, "POST /servers/x/start"))
                .isInstanceOf(AssertionError.class).hasMessageContaining(what);
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "the host could not start the server (incident 7f3a9c12)",
            "the system could not write to the drive (incident 00ff00ff)",
            "the system failed to carry out this command (incident 12345678)",
            "no storage node has room for 1073741824 bytes",
            "the drive's storage is full; try again later",
            "cpu 2000 does not fit server 5f1c7a3e-0b1d-4d6e-9a41-2c3b4d5e6f70's host (1000 core MHz free)",
            "1048576 bytes at offset 0 pass the end of drive d-1; nothing was written"})
    void passesOurWords(String body) {
        assertThat(FailureBodies.insides(body)).isEmpty();
        FailureBodies.check(500, body, "POST /servers/x/start");
    }

    @ParameterizedTest
    @ValueSource(ints = {200, 204, 400, 404, 409})
    void looksOnlyAt5xx(int status) {
        FailureBodies.check(status, "no readable file /srv/images/debian.img", "POST /drives/x/image");
    }

    @Test
    void readsTheBodiesASystemServedFromItsLog() {
        String log = """
                2026-12-02T05:01:02.003Z DEBUG 123 --- [nio-8080-exec-1] i.e.api.web.ServedFailures : 5xx body served: 500 failed: the host could not start the server (incident 7f3a9c12)
                2026-12-02T05:01:02.004Z  WARN 123 --- [nio-8080-exec-1] i.e.a.web.ApiExceptionHandler : incident 7f3a9c12: POST /servers/x/start answered failed: qemu: could not open /var/lib/x
                """;
        assertThat(FailureBodies.served(log)).isEqualTo(1);
        FailureBodies.checkServed(log, "s");
        String told = log + "2026-12-02T05:01:03Z DEBUG 123 --- [exec-2] i.e.api.web.ServedFailures : 5xx body served: "
                + "500 system: could not open /var/lib/elastic/volumes/x.raw\n";
        assertThat(FailureBodies.served(told)).isEqualTo(2);
        assertThatThrownBy(() -> FailureBodies.checkServed(told, "s")).isInstanceOf(AssertionError.class)
                .hasMessageContaining("a host path").hasMessageContaining("system s");
    }
}
