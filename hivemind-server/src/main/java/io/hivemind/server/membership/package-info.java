/**
 * The membership service: the membership core ({@code io.hivemind.core.membership}) driven on a
 * {@link io.hivemind.server.loop.DriverLoop} over the gossip transport, with a thread-safe API for
 * the HTTP layer and the CLI. Imports nothing of Netty: the agent's loops and sockets come from
 * {@link io.hivemind.server.transport.GossipLoops}. Start at {@link
 * io.hivemind.server.membership.MembershipService}.
 */
package io.hivemind.server.membership;
