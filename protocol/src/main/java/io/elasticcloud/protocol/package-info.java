/**
 * What the API service, the node agents and the storage nodes say to each other, and the bus that
 * carries it.
 *
 * <p>Two layers share this module. The contract: this package ({@link
 * io.elasticcloud.protocol.Command}, {@link io.elasticcloud.protocol.Transport}, {@link
 * io.elasticcloud.protocol.ErrorType}, {@link io.elasticcloud.protocol.Events}), {@code agent},
 * {@code storage} and {@code secret}: records and interfaces, no framework. The implementation:
 * {@code bus} (the in-process and RabbitMQ transports, the codec), {@code datapath} (volume bytes
 * over HTTP) and {@code node} (the runtime every node serves with). The contract imports nothing of
 * the implementation, nor Spring, Jackson or RabbitMQ; {@code ProtocolLayersTest} keeps it so.
 *
 * <p>Why one module rather than a contract module and a bus module: every module that uses the
 * contract (api-service, node-agent, storage-service, and the launcher that wires them) also runs
 * a transport, so none would drop a dependency by the split; it would only add a module and a
 * dependency to each of their poms and move packages under every one of them at once. Keeping
 * the direction tested leaves the split a move of {@code bus}, {@code datapath} and {@code node}
 * into a module of their own, for the day something needs the contract alone (a client library,
 * a transport shipped apart).
 */
package io.elasticcloud.protocol;
