package io.elasticcloud.protocol.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.elasticcloud.protocol.Command;
import io.elasticcloud.protocol.Done;
import io.elasticcloud.protocol.ElasticException;
import io.elasticcloud.protocol.ErrorType;
import io.elasticcloud.protocol.agent.AgentCommands.AgentCommand;
import io.elasticcloud.protocol.agent.AgentCommands.ListGuests;
import io.elasticcloud.protocol.agent.AgentCommands.StartGuest;
import io.elasticcloud.protocol.storage.StorageCommands.ListVolumes;
import io.elasticcloud.protocol.storage.StorageCommands.StorageCommand;
import java.io.IOException;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** A dispatch table builds only with a handler for every command of its sealed family. */
class CommandTableTest {

    sealed interface Probe<R> extends Command<R> permits Ping, Echo, Lookup {
    }

    record Ping(String commandId) implements Probe<Done> {
    }

    record Echo(String commandId, String words) implements Probe<String> {
    }

    sealed interface Lookup extends Probe<String> permits ByName, ById {
    }

    record ByName(String commandId, String name) implements Lookup {
    }

    record ById(String commandId, long id) implements Lookup {
    }

    interface Open extends Command<Done> {
    }

    private static CommandTable.Builder<IOException> allButById() {
        return CommandTable.<IOException>of(Probe.class, "probe p1")
                .on(Ping.class, c -> Done.INSTANCE)
                .on(Echo.class, c -> c.words())
                .on(ByName.class, c -> "name " + c.name());
    }

    @Test
    void everyCommandReachesItsOwnHandler() throws IOException {
        CommandTable<IOException> table = allButById().on(ById.class, c -> "id " + c.id()).build();

        assertThat(table.handle(new Ping("1"))).isEqualTo(Done.INSTANCE);
        assertThat(table.handle(new Echo("2", "hello"))).isEqualTo("hello");
        assertThat(table.handle(new ByName("3", "n"))).isEqualTo("name n");
        assertThat(table.handle(new ById("4", 7))).isEqualTo("id 7");
        assertThat(table.commands()).containsExactlyInAnyOrder(Ping.class, Echo.class, ByName.class, ById.class);
    }

    @Test
    void aCommandWithoutHandlerKeepsTheTableFromBuilding() {
        assertThatThrownBy(() -> allButById().build())
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("probe p1 has no handler for ById of Probe");
    }

    @Test
    void aCommandOfAnotherFamilyIsNotAccepted() {
        CommandTable<IOException> table = allButById().on(ById.class, c -> "id").build();

        assertThatThrownBy(() -> table.handle(new ListVolumes("5")))
                .isInstanceOfSatisfying(ElasticException.class, e -> {
                    assertThat(e.type()).isEqualTo(ErrorType.USAGE);
                    assertThat(e.getMessage()).isEqualTo("probe p1 does not accept ListVolumes");
                });
    }

    @Test
    void aHandlersFailureIsTheCommandsFailure() {
        CommandTable<IOException> table = allButById().on(ById.class, c -> {
            throw new IOException("disk gone");
        }).build();

        assertThatThrownBy(() -> table.handle(new ById("6", 1))).isInstanceOf(IOException.class).hasMessage("disk gone");
    }

    @Test
    void aSecondHandlerOrAForeignCommandIsAMistakeOfTheTable() {
        assertThatThrownBy(() -> allButById().on(Ping.class, c -> Done.INSTANCE))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("two handlers for Ping");
        assertThatThrownBy(() -> allButById().on(ListGuests.class, c -> Done.INSTANCE))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("is not a command of");
        assertThatThrownBy(() -> CommandTable.of(Open.class, "open"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("is not sealed");
    }

    @Test
    void theFamiliesOnTheBusAreListedCommandByCommand() {
        assertThat(CommandTable.commandsOf(Probe.class))
                .containsExactlyInAnyOrder(Ping.class, Echo.class, ByName.class, ById.class);
        assertThat(CommandTable.commandsOf(AgentCommand.class))
                .containsExactlyInAnyOrderElementsOf(Arrays.asList(AgentCommand.class.getPermittedSubclasses()))
                .contains(StartGuest.class);
        assertThat(CommandTable.commandsOf(StorageCommand.class))
                .containsExactlyInAnyOrderElementsOf(Arrays.asList(StorageCommand.class.getPermittedSubclasses()));
    }
}
