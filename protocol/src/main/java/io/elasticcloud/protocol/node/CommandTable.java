package io.elasticcloud.protocol.node;

import io.elasticcloud.protocol.Command;
import io.elasticcloud.protocol.ElasticException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A node's dispatch table: one handler for each command of its sealed command family, proven
 * complete when the table is built. The release level is Java 17, where a {@code switch} over a
 * sealed interface's records is a preview feature, so completeness is checked against the
 * family's permitted subclasses instead: a table that lacks a handler does not build, so a node
 * that would answer one of its own commands with "does not accept" never starts, and its tests
 * fail. A command of another family (a storage command sent to an agent's name) is still answered
 * {@code usage}: "... does not accept ...".
 *
 * @param <E> the checked exception the handlers may throw ({@link RuntimeException} for none)
 */
public final class CommandTable<E extends Exception> {

    /** Carries out one command; what it returns is the reply. */
    @FunctionalInterface
    public interface Handler<T, E extends Exception> {
        Object handle(T command) throws E;
    }

    private final String accepter;
    private final Map<Class<?>, Handler<Command<?>, E>> handlers;

    private CommandTable(String accepter, Map<Class<?>, Handler<Command<?>, E>> handlers) {
        this.accepter = accepter;
        this.handlers = handlers;
    }

    /**
     * A table for the commands of {@code family}, a sealed interface.
     *
     * @param accepter who answers, as "does not accept" names it (e.g. {@code "node agent host-a"})
     */
    public static <E extends Exception> Builder<E> of(Class<?> family, String accepter) {
        return new Builder<>(family, accepter);
    }

    /** Runs the command's handler; {@code usage} for a command that is not of this table's family. */
    public Object handle(Command<?> command) throws E {
        Handler<Command<?>, E> handler = handlers.get(command.getClass());
        if (handler == null) {
            throw ElasticException.usage("%s does not accept %s", accepter, command.getClass().getSimpleName());
        }
        return handler.handle(command);
    }

    /** The command types this table has a handler for. */
    public Set<Class<?>> commands() {
        return Collections.unmodifiableSet(handlers.keySet());
    }

    /**
     * Every concrete command of a sealed family: its permitted subclasses, and theirs for a sealed
     * one among them. A permitted subclass that is neither final nor sealed could have commands no
     * table can name, so it is refused.
     */
    public static Set<Class<?>> commandsOf(Class<?> family) {
        if (!family.isSealed()) {
            throw new IllegalArgumentException(family.getName() + " is not sealed: its commands cannot be listed");
        }
        Set<Class<?>> commands = new LinkedHashSet<>();
        for (Class<?> permitted : family.getPermittedSubclasses()) {
            if (permitted.isSealed()) {
                commands.addAll(commandsOf(permitted));
            } else if (java.lang.reflect.Modifier.isFinal(permitted.getModifiers())) {
                commands.add(permitted);
            } else {
                throw new IllegalArgumentException(permitted.getName() + " is open: its commands cannot be listed");
            }
        }
        return commands;
    }

    /** Collects one handler per command, then checks that every command of the family has one. */
    public static final class Builder<E extends Exception> {
        private final Class<?> family;
        private final String accepter;
        private final Set<Class<?>> commands;
        private final Map<Class<?>, Handler<Command<?>, E>> handlers = new LinkedHashMap<>();

        private Builder(Class<?> family, String accepter) {
            this.family = family;
            this.accepter = accepter;
            this.commands = commandsOf(family);
        }

        /** Handles {@code type}, one of the family's commands, with {@code handler}. */
        public <T extends Command<?>> Builder<E> on(Class<T> type, Handler<? super T, ? extends E> handler) {
            if (!commands.contains(type)) {
                throw new IllegalArgumentException(type.getName() + " is not a command of " + family.getName());
            }
            if (handlers.putIfAbsent(type, command -> handler.handle(type.cast(command))) != null) {
                throw new IllegalStateException(accepter + " has two handlers for " + type.getSimpleName());
            }
            return this;
        }

        /** The table, once every command of the family has its handler. */
        public CommandTable<E> build() {
            List<String> missing = new ArrayList<>();
            for (Class<?> command : commands) {
                if (!handlers.containsKey(command)) {
                    missing.add(command.getSimpleName());
                }
            }
            if (!missing.isEmpty()) {
                throw new IllegalStateException(accepter + " has no handler for " + String.join(", ", missing)
                        + " of " + family.getSimpleName());
            }
            return new CommandTable<>(accepter, Map.copyOf(handlers));
        }
    }
}
