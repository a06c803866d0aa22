package io.elasticcloud.api.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.elasticcloud.api.security.ApiMasterKey;
import java.time.Instant;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** A server's sealed VNC password: bound to its server, never replaced by what could not be opened. */
class SealedVncPasswordTest {
    private final SealedVncPassword sealed = new SealedVncPassword(ApiMasterKey.random());

    @Test
    void aSealedPasswordCopiedIntoAnotherServersRowOpensNowhere() {
        UUID a = UUID.randomUUID();
        UUID b = UUID.randomUUID();
        String column = sealed.seal(a, "pw");
        assertThat(sealed.open(a, column)).isEqualTo("pw");
        assertThatThrownBy(() -> sealed.open(b, column)).isInstanceOf(IllegalStateException.class);
        Server copy = server(b, "other");
        copy.opened("other");
        setSealed(copy, column); // the row of b, with a's sealed value pasted in
        sealed.opened(copy);
        assertThat(copy.config()).as("a's password does not open as b's").doesNotContainKey("vnc:password");
    }

    @Test
    void aPasswordThatCannotBeOpenedIsKeptSealedThroughAChangeOfSomethingElse() {
        UUID id = UUID.randomUUID();
        String foreign = new SealedVncPassword(ApiMasterKey.random()).seal(id, "pw"); // another key's
        Server server = server(id, null);
        setSealed(server, foreign);
        sealed.opened(server);
        sealed.opened(server); // loaded again: warned once (see the log), still none
        assertThat(server.config()).doesNotContainKey("vnc:password");

        server.configure(ServerConfig.of(server).withKey("name", "renamed"), sealed);
        assertThat(server.sealedVncPassword()).as("not overwritten by none").isEqualTo(foreign);

        server.configure(ServerConfig.of(server).withKey("vnc:password", "new"), sealed);
        assertThat(sealed.open(id, server.sealedVncPassword())).as("set again by its owner").isEqualTo("new");
    }

    private Server server(UUID id, String password) {
        ServerConfig config = ServerConfig.empty().withKey("name", "n").withKey("cpu", "500")
                .withKey("mem", "128").withKey("persistent", "false");
        return new Server(id, UUID.randomUUID(), password == null ? config : config.withKey("vnc:password", password),
                Instant.now(), sealed);
    }

    private static void setSealed(Server server, String value) {
        try {
            var f = Server.class.getDeclaredField("sealedVncPassword");
            f.setAccessible(true);
            f.set(server, value);
        } catch (ReflectiveOperationException e) {
            throw new AssertionError(e);
        }
    }
}
