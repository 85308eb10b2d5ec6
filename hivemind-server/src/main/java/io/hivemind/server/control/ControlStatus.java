package io.hivemind.server.control;

import java.util.List;

/**
 * The control plane as this node sees it.
 *
 * @param degraded true when no leader is known or reachable: writes fail with {@link
 *     NoQuorumException}
 * @param leaderAddress host:port of the leader's control port, "" when none (Consul's {@code
 *     /v1/status/leader} answers it)
 * @param term the Raft term, 0 when unknown (plain agents learn it from their feed)
 * @param commitIndex the highest index this node knows is committed
 * @param appliedIndex the highest index applied to this node's replica
 * @param peers the Raft configuration
 */
public record ControlStatus(
    boolean degraded,
    String leaderAddress,
    long term,
    long commitIndex,
    long appliedIndex,
    List<ControlPeer> peers) {

  public ControlStatus {
    peers = List.copyOf(peers);
  }

  /** What a node without any control plane reports. */
  public static ControlStatus none() {
    return new ControlStatus(true, "", 0, 0, 0, List.of());
  }
}
