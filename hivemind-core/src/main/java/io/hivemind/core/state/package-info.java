/**
 * Partitioned state's data plane, pure (issue 13): each agent's {@link StateNode} holds the
 * partitions the committed table gives it, serves the operations of those it owns, replicates every
 * write to the partition's backups before acknowledging it, streams a partition to a migration's
 * destination, and forwards what it does not own to the owner. Messages, requests and ticks in;
 * messages, replies and finished moves out ({@link StateOutput}). Nothing here reads a clock, opens
 * a socket or starts a thread: the server's driver and the tests' simulated network run the same
 * code.
 */
package io.hivemind.core.state;
