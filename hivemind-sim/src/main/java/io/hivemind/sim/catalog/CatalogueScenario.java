package io.hivemind.sim.catalog;

import io.hivemind.sim.Latency;
import io.hivemind.sim.PartitionWindow;
import java.util.Objects;

/**
 * A seeded catalogue scenario: {@code nodes} agents, the first {@code controlNodes} of them control
 * nodes that relay every owner's deltas to their followers and to each other (ADR 0004), a steady
 * registration load spread over the agents, and the faults to inject.
 *
 * @param nodes how many agents, control nodes included
 * @param controlNodes how many of them are control nodes (relays), 1 to 5
 * @param registrationsPerSecond new or changed instances per second, over all agents
 * @param instancesPerNode how many distinct instances each agent registers and then keeps changing
 *     (every replica holds nodes × this many, so it bounds the simulator's memory too)
 * @param durationMillis how long the load runs (virtual time)
 * @param latency one-way delay of each message on a link
 * @param lossRate the share of messages that need a TCP retransmission (the relay runs on TCP: a
 *     lost segment delays the stream by a retransmission timeout, it does not drop a delta)
 * @param crashes how many plain agents crash, spread over the run
 * @param removalDelayMillis from a crash to the control plane's committed removal (the membership
 *     simulator's figure: p50 about 3 s)
 * @param partition a window during which one control node and a third of the plain agents are cut
 *     off from the rest, or null
 * @param digestIntervalMillis how often each link exchanges digests to repair what it missed
 * @param seed the seed every random choice derives from
 */
public record CatalogueScenario(
    int nodes,
    int controlNodes,
    int registrationsPerSecond,
    int instancesPerNode,
    long durationMillis,
    Latency latency,
    double lossRate,
    int crashes,
    long removalDelayMillis,
    PartitionWindow partition,
    long digestIntervalMillis,
    long seed) {

  /** A TCP retransmission timeout on a LAN (Linux's minimum RTO is 200 ms). */
  public static final long RETRANSMIT_MILLIS = 200;

  /** How long a follower takes to notice its control node is gone (3 missed heartbeats). */
  public static final long FAILOVER_MILLIS = 3_000;

  public CatalogueScenario {
    if (nodes < 2) {
      throw new IllegalArgumentException("at least 2 nodes: " + nodes);
    }
    if (controlNodes < 1 || controlNodes > 5 || controlNodes >= nodes) {
      throw new IllegalArgumentException(
          "1 to 5 control nodes, fewer than the nodes: " + controlNodes);
    }
    if (registrationsPerSecond < 1) {
      throw new IllegalArgumentException(
          "registrations per second >= 1: " + registrationsPerSecond);
    }
    if (instancesPerNode < 1) {
      throw new IllegalArgumentException("instances per node >= 1: " + instancesPerNode);
    }
    if (durationMillis < 1) {
      throw new IllegalArgumentException("duration must be positive: " + durationMillis);
    }
    Objects.requireNonNull(latency, "latency");
    if (lossRate < 0 || lossRate >= 1) {
      throw new IllegalArgumentException("loss rate must be in [0, 1): " + lossRate);
    }
    if (crashes < 0 || crashes > nodes - controlNodes - 1) {
      throw new IllegalArgumentException(
          "crashes must leave a plain agent alive: " + crashes + " of " + (nodes - controlNodes));
    }
    if (digestIntervalMillis < 1) {
      throw new IllegalArgumentException("digest interval must be positive");
    }
  }

  /** 1,000 agents on 3 control nodes, 1,000 registrations/s for a minute, 1–2 ms links. */
  public static CatalogueScenario defaults() {
    return new CatalogueScenario(
        1000, 3, 1000, 10, 60_000, Latency.between(1, 2), 0, 0, 3_000, null, 10_000, 1);
  }
}
