package io.hivemind.api;

import java.util.List;

/**
 * The control plane as one agent sees it, {@code GET /v1/control/status} (what {@code hivemind
 * status} prints).
 *
 * @param degraded true when no leader is known or reachable: admissions, removals and writes fail
 *     with 503 {@code no_quorum}, reads answer from the agent's local replica
 * @param leader host:port of the leader's control port, "" when none
 * @param term the Raft term, 0 when unknown
 * @param commitIndex the highest log index the agent knows is committed
 * @param appliedIndex the highest log index applied to its replica
 * @param epoch the cluster epoch of its replica
 * @param cluster the cluster's name from the log's first entry, "" before it
 * @param members admitted members in its replica
 * @param peers the Raft group
 */
public record ControlPlaneStatus(
    boolean degraded,
    String leader,
    long term,
    long commitIndex,
    long appliedIndex,
    long epoch,
    String cluster,
    int members,
    List<RaftServer> peers) {

  /**
   * Copies the peers; a missing list reads as empty.
   *
   * @param degraded whether there is no quorum
   * @param leader the leader's address or ""
   * @param term the Raft term
   * @param commitIndex the commit index
   * @param appliedIndex the applied index
   * @param epoch the cluster epoch
   * @param cluster the cluster's name
   * @param members admitted members
   * @param peers the Raft group
   */
  public ControlPlaneStatus {
    peers = peers == null ? List.of() : List.copyOf(peers);
  }
}
