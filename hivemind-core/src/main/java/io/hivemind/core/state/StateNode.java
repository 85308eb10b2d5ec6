package io.hivemind.core.state;

import io.hivemind.core.partition.PartitionMove;
import io.hivemind.core.partition.PartitionTable;
import java.util.List;

/**
 * One agent's share of the partitioned store (issue 13). SKELETON of the API: the core piece
 * implements it; the driver codes against these signatures. Owned by one thread; every method takes
 * the time and nothing blocks.
 */
public final class StateNode {

  /**
   * A node with no table yet.
   *
   * @param selfId this agent's control-plane member id (the ids the table names)
   */
  public StateNode(String selfId, StateConfig config, StateOutput output) {
    throw new UnsupportedOperationException("skeleton");
  }

  /**
   * A committed partition table and the moves in flight with it (the destinations that are filling
   * but are not yet replicas). Tables arrive in version order; an older or equal one is ignored.
   */
  public void onTable(PartitionTable table, List<PartitionMove> inFlight, long nowMillis) {}

  /**
   * The driver's evidence that this node's table is current: it heard from the control plane's
   * quorum, so no newer table can have been committed without it learning so before {@code
   * untilMillis}. Writes are refused with NO_LEASE after it (split-brain: a minority side's owner
   * stops acknowledging).
   */
  public void onLease(long untilMillis) {}

  /**
   * A request from this node's API or client. {@code tableVersion} is the version the caller routed
   * by (0 when it did not route: this node forwards to the owner). Answered once, through {@link
   * StateOutput#reply}.
   */
  public void onRequest(long requestId, StateOp op, long tableVersion, long nowMillis) {}

  /** A message from the agent {@code fromId} (the driver authenticated the sender). */
  public void onMessage(String fromId, StateMessage message, long nowMillis) {}

  /** The connection to {@code peerId} failed: whatever was in flight to it is lost. */
  public void onPeerUnreachable(String peerId, long nowMillis) {}

  /** Time passes: request timeouts, TTL expiry, snapshot streaming. */
  public void tick(long nowMillis) {}

  /** When {@link #tick} is next needed, or {@code Long.MAX_VALUE}. */
  public long nextDeadlineMillis() {
    return Long.MAX_VALUE;
  }

  /** What this node holds and does now, for metrics and the API. */
  public StateStats stats() {
    return new StateStats(0, 0, 0, 0, 0);
  }
}
