package io.hivemind.core.partition;

import java.util.List;

/**
 * The moves that take the replicas of {@code from} to those of {@code to}, in the order they should
 * start: fills of under-replicated partitions first (they restore redundancy), then replacements,
 * then drops.
 *
 * @param from the table the cluster serves now
 * @param to the committed target table
 * @param moves the moves, in start order
 */
public record MigrationPlan(PartitionTable from, PartitionTable to, List<PartitionMove> moves) {

  public MigrationPlan {
    moves = List.copyOf(moves);
  }

  /** Moves that copy data. */
  public long copies() {
    return moves.stream().filter(PartitionMove::copies).count();
  }
}
