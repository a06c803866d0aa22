package io.elasticcloud.api.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.when;

import io.elasticcloud.api.resource.ResourceType;
import io.elasticcloud.api.security.ApiMasterKey;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** A resource's destroy refused as busy names the server using it by UUID to its owner only. */
class ServerResourceUseTest {
    private final ServerRepository servers = mock(ServerRepository.class);

    @Test
    void anotherCustomersServerIsNotNamedByItsUuid() {
        UUID owner = UUID.randomUUID();
        UUID id = UUID.randomUUID();
        Server server = new Server(id, owner, ServerConfig.empty().withKey("name", "n").withKey("cpu", "500")
                .withKey("mem", "128").withKey("persistent", "false"), Instant.now(),
                new SealedVncPassword(ApiMasterKey.random()));
        when(servers.findUsingAddress("169.254.9.9")).thenReturn(List.of(server));
        ServerResourceUse use = new ServerResourceUse(servers);
        assertThat(use.serverUsing(UUID.randomUUID(), ResourceType.IP, "169.254.9.9"))
                .contains("a server of another customer");
        assertThat(use.serverUsing(owner, ResourceType.IP, "169.254.9.9")).contains("server " + id);
    }
}
