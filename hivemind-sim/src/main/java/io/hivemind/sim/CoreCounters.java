package io.hivemind.sim;

import io.hivemind.core.membership.MembershipStats;

/**
 * The counters of {@link MembershipStats} the simulator sums over nodes, including those of
 * processes that crashed or left.
 *
 * @param messagesSent protocol messages, counting each one of a compound packet
 * @param probes probe rounds started
 * @param probeFailures probe rounds that ended without an ack
 * @param suspicions members that some node started suspecting
 * @param refutations times a node refuted a suspicion or death about itself
 * @param dropped packets and frames a node refused (malformed, wrong cluster, ...)
 */
public record CoreCounters(
    long messagesSent,
    long probes,
    long probeFailures,
    long suspicions,
    long refutations,
    long dropped) {

  /** All zero. */
  public static final CoreCounters ZERO = new CoreCounters(0, 0, 0, 0, 0, 0);

  /** A copy of one node's counters. */
  public static CoreCounters of(MembershipStats stats) {
    return new CoreCounters(
        stats.messagesSent(),
        stats.probes(),
        stats.probeFailures(),
        stats.suspicions(),
        stats.refutations(),
        stats.droppedTotal());
  }

  /** The sum of both. */
  public CoreCounters plus(CoreCounters other) {
    return new CoreCounters(
        messagesSent + other.messagesSent,
        probes + other.probes,
        probeFailures + other.probeFailures,
        suspicions + other.suspicions,
        refutations + other.refutations,
        dropped + other.dropped);
  }

  /** What was counted since {@code earlier}. */
  public CoreCounters minus(CoreCounters earlier) {
    return new CoreCounters(
        messagesSent - earlier.messagesSent,
        probes - earlier.probes,
        probeFailures - earlier.probeFailures,
        suspicions - earlier.suspicions,
        refutations - earlier.refutations,
        dropped - earlier.dropped);
  }
}
