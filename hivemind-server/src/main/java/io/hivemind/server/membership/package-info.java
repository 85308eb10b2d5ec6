/**
 * The membership service: the membership core ({@code io.hivemind.core.membership}) driven on a
 * Netty event loop over the gossip transport, with a thread-safe API for the HTTP layer and the
 * CLI. Start at {@link io.hivemind.server.membership.MembershipService}.
 */
package io.hivemind.server.membership;
