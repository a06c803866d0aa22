package io.elasticcloud.protocol.node;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What makes a node's command handling idempotent beyond "same target state, same reply": the
 * replies to the latest changing commands, by command id, so that a redelivered command gets the
 * first answer and is not carried out again (a create redelivered after a destroy must not bring
 * the volume or guest back). Bounded: the oldest replies are forgotten first.
 */
public final class RememberedReplies {
    private final Map<String, Object> replies;

    public RememberedReplies(int capacity) {
        this.replies = new LinkedHashMap<>(64, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, Object> eldest) {
                return size() > capacity;
            }
        };
    }

    /** Something that answers a command, and may fail as the command's handler may. */
    @FunctionalInterface
    public interface Action<E extends Exception> {
        Object run() throws E;
    }

    /**
     * The reply remembered for {@code commandId}, or the action's, remembered from now on. A failing
     * action is not remembered: the command may be tried again. A null id is never remembered.
     */
    public <E extends Exception> Object reply(String commandId, Action<E> action) throws E {
        if (commandId != null) {
            synchronized (replies) {
                Object reply = replies.get(commandId);
                if (reply != null) {
                    return reply;
                }
            }
        }
        Object reply = action.run();
        if (commandId != null) {
            synchronized (replies) {
                replies.put(commandId, reply);
            }
        }
        return reply;
    }
}
