package io.elasticcloud.protocol.bus;

import io.elasticcloud.protocol.Command;
import io.elasticcloud.protocol.Done;
import io.elasticcloud.protocol.Events;
import io.elasticcloud.protocol.agent.AgentCommands;
import io.elasticcloud.protocol.storage.StorageCommands;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.springframework.core.ResolvableType;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.json.JsonMapper;

/**
 * Turns every message the bus carries into JSON bytes plus a type name, and back. Both transports
 * use it, the in-process one included, so that a record which cannot cross the wire fails in
 * single-host tests too.
 *
 * <p>The registry of types is derived, never listed: the records permitted by the sealed command
 * and event hierarchies, the reply record each command names in its {@code Command<R>}, {@link
 * Done} and {@link ErrorReply}. A new command record is therefore carried as soon as it is added
 * to its sealed interface. A type name is the record's name inside its package, with the holder
 * class ({@code StorageCommands.CreateVolume}), so that two families may reuse a short name.
 */
public final class MessageCodec {

    /** The sealed families of commands; a new family is one more entry. */
    private static final List<Class<?>> COMMAND_ROOTS =
            List.of(StorageCommands.StorageCommand.class, AgentCommands.AgentCommand.class);
    private static final List<Class<?>> EVENT_ROOTS = List.of(Events.Event.class);

    /** A message on the wire: the registered type name and the JSON body. */
    public record Encoded(String type, byte[] body) {
    }

    private final JsonMapper mapper;
    private final Map<String, Class<?>> classByName = new LinkedHashMap<>();
    private final Map<Class<?>, String> nameByClass = new LinkedHashMap<>();
    private final Map<Class<?>, Class<?>> replyByCommand = new LinkedHashMap<>();
    private final Set<Class<?>> eventTypes = new LinkedHashSet<>();

    public MessageCodec() {
        this(COMMAND_ROOTS, EVENT_ROOTS);
    }

    MessageCodec(List<Class<?>> commandRoots, List<Class<?>> eventRoots) {
        // Strict on purpose: a field the receiver does not know means the sender is newer, and a
        // command carried out half-understood is worse than one refused. Upgrade receivers first.
        this.mapper = JsonMapper.builder()
                .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
                .build();
        for (Class<?> root : commandRoots) {
            for (Class<?> command : recordsOf(root)) {
                register(command);
                Class<?> reply = replyTypeOf(command);
                replyByCommand.put(command, reply);
                register(reply);
            }
        }
        for (Class<?> root : eventRoots) {
            for (Class<?> event : recordsOf(root)) {
                register(event);
                eventTypes.add(event);
            }
        }
        register(Done.class);
        register(ErrorReply.class);
    }

    /**
     * @throws IllegalArgumentException if the message's class is not registered or Jackson cannot
     *                                  write it
     */
    public Encoded encode(Object message) {
        String type = nameByClass.get(message.getClass());
        if (type == null) {
            throw new IllegalArgumentException(
                    "the bus does not carry " + message.getClass().getName() + ": not a registered message type");
        }
        try {
            return new Encoded(type, mapper.writeValueAsBytes(message));
        } catch (JacksonException e) {
            throw new IllegalArgumentException("cannot encode " + type + ": " + e.getOriginalMessage(), e);
        }
    }

    /** @throws IllegalArgumentException for an unknown type name or a body that is not that type */
    public Object decode(String type, byte[] body) {
        Class<?> target = type == null ? null : classByName.get(type);
        if (target == null) {
            throw new IllegalArgumentException("unknown message type '" + type + "'");
        }
        try {
            return mapper.readValue(body, target);
        } catch (JacksonException e) {
            throw new IllegalArgumentException("cannot decode " + type + ": " + e.getOriginalMessage(), e);
        }
    }

    /** The reply record a command answers with, from its {@code Command<R>}. */
    public Class<?> replyType(Class<?> commandType) {
        Class<?> reply = replyByCommand.get(commandType);
        if (reply == null) {
            throw new IllegalArgumentException(commandType.getName() + " is not a registered command");
        }
        return reply;
    }

    /** The wire name of a registered type. */
    public String typeName(Class<?> type) {
        String name = nameByClass.get(type);
        if (name == null) {
            throw new IllegalArgumentException(type.getName() + " is not a registered message type");
        }
        return name;
    }

    public Set<Class<?>> commandTypes() {
        return Collections.unmodifiableSet(replyByCommand.keySet());
    }

    public Set<Class<?>> eventTypes() {
        return Collections.unmodifiableSet(eventTypes);
    }

    /**
     * The wire names of a subscription's event kinds.
     *
     * @throws IllegalArgumentException if {@code kinds} is empty or holds a type that is no event here
     */
    public Set<String> eventNames(Set<Class<? extends Events.Event>> kinds) {
        if (kinds.isEmpty()) {
            throw new IllegalArgumentException("a subscription names the kinds of event it receives");
        }
        Set<String> names = new LinkedHashSet<>();
        for (Class<?> kind : kinds) {
            if (!eventTypes.contains(kind)) {
                throw new IllegalArgumentException(kind.getName() + " is not an event the bus carries");
            }
            names.add(nameByClass.get(kind));
        }
        return Collections.unmodifiableSet(names);
    }

    /** Every registered type: commands, replies, events, {@link Done} and {@link ErrorReply}. */
    public Set<Class<?>> allTypes() {
        return Collections.unmodifiableSet(nameByClass.keySet());
    }

    private void register(Class<?> type) {
        if (nameByClass.containsKey(type)) {
            return;
        }
        String name = type.getName().substring(type.getPackageName().length() + 1).replace('$', '.');
        Class<?> previous = classByName.putIfAbsent(name, type);
        if (previous != null) {
            throw new IllegalStateException(
                    "message types " + previous.getName() + " and " + type.getName() + " share the wire name " + name);
        }
        nameByClass.put(type, name);
    }

    private static Set<Class<?>> recordsOf(Class<?> root) {
        Set<Class<?>> records = new LinkedHashSet<>();
        collectRecords(root, records);
        return records;
    }

    private static void collectRecords(Class<?> type, Set<Class<?>> into) {
        if (type.isRecord()) {
            into.add(type);
        } else if (type.isSealed()) {
            for (Class<?> permitted : type.getPermittedSubclasses()) {
                collectRecords(permitted, into);
            }
        } else {
            // Only a closed hierarchy can be derived; an open one would silently miss types.
            throw new IllegalStateException(type.getName() + " is neither a record nor a sealed type");
        }
    }

    private static Class<?> replyTypeOf(Class<?> command) {
        ResolvableType reply = ResolvableType.forClass(command).as(Command.class).getGeneric(0);
        Class<?> resolved = reply.resolve();
        if (resolved == null || reply.hasGenerics() || !resolved.isRecord()) {
            throw new IllegalStateException(
                    command.getName() + " must name a record as its Command<R> reply type, not " + reply);
        }
        return resolved;
    }
}
