/**
 * The one runtime of every node on the bus ({@link io.elasticcloud.protocol.node.NodeRuntime}:
 * serving, heartbeats, remembered replies, striped locks, shutdown) and its dispatch table ({@link
 * io.elasticcloud.protocol.node.CommandTable}: a handler for every command of a sealed command
 * family, or no table). A node agent and a storage node are each a table over their own state;
 * what they share lives here, once.
 */
package io.elasticcloud.protocol.node;
