package io.elasticcloud.protocol.bus;

import io.elasticcloud.protocol.Command;
import io.elasticcloud.protocol.ElasticException;
import io.elasticcloud.protocol.ErrorType;
import io.elasticcloud.protocol.Incident;
import io.elasticcloud.protocol.Transport.CommandHandler;
import io.elasticcloud.protocol.bus.MessageCodec.Encoded;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The serving side of a request, shared by both transports: decodes the command, runs the
 * handler, and encodes whatever comes of it as the reply. It never throws, so that every command
 * gets exactly one answer: the handler's reply, its {@link ElasticException} as an {@link
 * ErrorReply}, or a generic {@code system} error whose details stay in this side's log. A
 * {@code failed} or {@code system} error's own words stay in this side's log too, under an
 * {@link Incident} whose id is all its reply carries of them.
 */
final class CommandDispatcher {
    private static final Logger log = LoggerFactory.getLogger(CommandDispatcher.class);

    private final MessageCodec codec;

    CommandDispatcher(MessageCodec codec) {
        this.codec = codec;
    }

    Encoded dispatch(String node, CommandHandler handler, Encoded request) {
        Command<?> command;
        try {
            Object decoded = codec.decode(request.type(), request.body());
            if (!(decoded instanceof Command<?> c)) {
                throw new IllegalArgumentException(request.type() + " is not a command");
            }
            command = c;
        } catch (IllegalArgumentException e) {
            log.error("Node {} received a message it cannot read as a command", node, e);
            return error(BusErrors.unreadable(node, "command"));
        }
        return run(node, handler, command);
    }

    private Encoded run(String node, CommandHandler handler, Command<?> command) {
        String name = codec.typeName(command.getClass());
        try {
            Object reply = handler.handle(command);
            Class<?> expected = codec.replyType(command.getClass());
            if (!expected.isInstance(reply)) {
                log.error("Node {} answered {} {} with {} where a {} was due", node, name, command.commandId(),
                        reply == null ? "null" : reply.getClass().getName(), expected.getName());
                return error(BusErrors.handlerFailed(node, name, command.commandId()));
            }
            return codec.encode(reply);
        } catch (ElasticException e) {
            String message = e.getMessage() == null ? e.type().header() : e.getMessage();
            if (Incident.hides(e.type())) {
                // a 500's words may be a hypervisor's or a file system's: they stay in this log
                Incident incident = Incident.of(message);
                log.warn("incident {}: node {} failed to carry out {} {}: {}", incident.id(), node, name,
                        command.commandId(), message, e.getCause());
                message = incident.mark("node " + node + " failed to carry out " + name);
            }
            return codec.encode(new ErrorReply(e.type(), message));
        } catch (VirtualMachineError e) {
            throw e;
        } catch (Throwable e) {
            // The caller learns only that it failed: the exception's text may hold paths, keys or
            // other internals, and it goes to the customer unchanged.
            Incident incident = Incident.next();
            log.error("incident {}: node {} failed to carry out {} {}", incident.id(), node, name, command.commandId(), e);
            return codec.encode(new ErrorReply(ErrorType.SYSTEM,
                    incident.mark(BusErrors.handlerFailed(node, name, command.commandId()).getMessage())));
        }
    }

    private Encoded error(ElasticException e) {
        return codec.encode(new ErrorReply(ErrorType.SYSTEM, e.getMessage()));
    }
}
