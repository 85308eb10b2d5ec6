package io.hivemind.core.partition;

import java.util.Objects;

/**
 * One move in flight and the table version it started at. The version tells one run of a move from
 * a later run of the same move (dropped by a replanning round, then planned again): a destination's
 * copy from the first run may have been deleted in between, so only a report of the current run may
 * complete it. Agents apply committed tables in order but may skip versions (views are published
 * per batch of entries), so no node can tell the runs apart by watching tables alone.
 *
 * @param move the move
 * @param since the version of the first committed table that had this run of it in flight
 */
public record MoveInFlight(PartitionMove move, long since) {
  public MoveInFlight {
    Objects.requireNonNull(move, "move");
    if (since < 1) {
      throw new IllegalArgumentException("a move in flight starts at a table version: " + since);
    }
  }
}
