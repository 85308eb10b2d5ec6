package io.hivemind.core.control;

import io.hivemind.core.partition.PartitionMove;
import io.hivemind.core.partition.PartitionTable;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The rules a committed table's moves in flight keep (issue 13), checked by the state machine so a
 * proposal that breaks them is refused alike on every replica: at most one move per partition, a
 * destination that is a member of the table and not yet a replica, a source that is a replica (or
 * none, for a fill of a partition below B + 1), and no drop (a drop applies at once, it is never in
 * flight).
 *
 * <p>Stateless.
 */
final class PartitionMoveRules {

  private PartitionMoveRules() {}

  /** What the moves break against the table they come with, or null. */
  static String inFlightProblem(PartitionTable table, List<PartitionMove> moves) {
    Set<Integer> partitions = new HashSet<>();
    Set<String> members = table.membersById().keySet();
    for (PartitionMove move : moves) {
      String problem = moveProblem(table, members, move);
      if (problem == null && !partitions.add(move.partition())) {
        problem = "a second move in flight";
      }
      if (problem != null) {
        return "move " + move + ": " + problem;
      }
    }
    return null;
  }

  private static String moveProblem(PartitionTable table, Set<String> members, PartitionMove move) {
    if (move.partition() >= table.partitionCount()) {
      return "no such partition in a table of " + table.partitionCount();
    }
    if (move.destination() == null) {
      return "a drop is applied at once, never in flight";
    }
    List<String> replicas = table.replicas().get(move.partition());
    if (!members.contains(move.destination()) || replicas.contains(move.destination())) {
      return "the destination is not a member of the table or is a replica already";
    }
    if (move.source() == null) {
      return replicas.size() <= table.backupCount() ? null : "a fill of a full partition";
    }
    return replicas.contains(move.source()) ? null : "the source is not a replica";
  }
}
