/**
 * The gossip transport: UDP datagrams and one-shot TCP streams on one port number, optionally
 * sealed with AES-256-GCM ({@link io.hivemind.server.transport.GossipKeyring}).
 *
 * <p>One of the packages that own sockets and so may use Netty (with {@code http};
 * docs/architecture.md, "Layering rules"); {@link io.hivemind.server.transport.GossipLoops} hands
 * the drivers their loops behind the neutral {@code DriverLoop} seam. Every channel of one {@link
 * io.hivemind.server.transport.GossipTransport} lives on the single event loop it was bound to, so
 * its {@link io.hivemind.server.transport.GossipHandler} is called on that thread only.
 */
package io.hivemind.server.transport;
