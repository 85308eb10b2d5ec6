package io.hivemind.server.control;

import java.util.concurrent.atomic.LongAdder;

/**
 * Counters of one {@link FollowerControlPlane}; written by its loop, read by any thread (metrics,
 * tests).
 */
public final class FollowerStats {

  final LongAdder connects = new LongAdder();
  final LongAdder failovers = new LongAdder();
  final LongAdder silentGateways = new LongAdder();
  final LongAdder skipped = new LongAdder();
  final LongAdder gaps = new LongAdder();
  final LongAdder protocolErrors = new LongAdder();

  /** Connection attempts to a gateway. */
  public long connects() {
    return connects.sum();
  }

  /** Working connections lost (closed by the gateway, the network or our watchdog). */
  public long failovers() {
    return failovers.sum();
  }

  /** Gateways given up on because their heartbeats stopped. */
  public long silentGateways() {
    return silentGateways.sum();
  }

  /** Entries and snapshots received at or below the applied index (a failover's overlap). */
  public long skipped() {
    return skipped.sum();
  }

  /** Entries that skipped past the next index: the feed broke its promise; we followed again. */
  public long gaps() {
    return gaps.sum();
  }

  /** Messages a gateway must never send (undecodable snapshots, a follower's own messages). */
  public long protocolErrors() {
    return protocolErrors.sum();
  }
}
