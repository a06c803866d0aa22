package io.elasticcloud.protocol.bus;

import io.elasticcloud.protocol.Command;
import io.elasticcloud.protocol.ElasticException;
import io.elasticcloud.protocol.ErrorType;
import io.elasticcloud.protocol.Transport.CommandHandler;
import io.elasticcloud.protocol.bus.MessageCodec.Encoded;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The serving side of a request, shared by both transports: decodes the command, runs the
 * handler, and encodes whatever comes of it as the reply. It never throws, so that every command
 * gets exactly one answer: the handler's reply, its {@link ElasticException} as an {@link
 * ErrorReply}, or a generic {@code system} error whose details stay in this side's log.
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
            return codec.encode(new ErrorReply(e.type(), message));
        } catch (VirtualMachineError e) {
            throw e;
        } catch (Throwable e) {
            // The caller learns only that it failed: the exception's text may hold paths, keys or
            // other internals, and it goes to the customer unchanged.
            log.error("Node {} failed to carry out {} {}", node, name, command.commandId(), e);
            return error(BusErrors.handlerFailed(node, name, command.commandId()));
        }
    }

    private Encoded error(ElasticException e) {
        return codec.encode(new ErrorReply(ErrorType.SYSTEM, e.getMessage()));
    }
}
