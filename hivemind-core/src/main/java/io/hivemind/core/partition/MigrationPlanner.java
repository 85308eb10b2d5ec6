package io.hivemind.core.partition;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The diff between two tables as moves (issue 13). For each partition, every member the target adds
 * is paired with a member it drops, preferring one in the same host or zone: the copy lands before
 * the drop, so pairing them keeps the two from ever being replicas together, which would break
 * anti-affinity. Unpaired additions are fills, unpaired removals drops.
 */
public final class MigrationPlanner {

  private MigrationPlanner() {}

  /** The plan from {@code from} to {@code to}. */
  public static MigrationPlan plan(PartitionTable from, PartitionTable to) {
    if (from.partitionCount() != to.partitionCount()) {
      throw new IllegalArgumentException(
          "tables differ in partition count: "
              + from.partitionCount()
              + " and "
              + to.partitionCount());
    }
    Map<String, PartitionMember> members = new HashMap<>(from.membersById());
    members.putAll(to.membersById());
    FailureDomains rule = to.failureDomains();
    List<PartitionMove> moves = new ArrayList<>();
    for (int p = 0; p < to.partitionCount(); p++) {
      diff(p, from.replicas().get(p), to.replicas().get(p), members, rule, moves);
    }
    Map<Integer, Integer> sizes = new HashMap<>();
    for (PartitionMove move : moves) {
      sizes.put(move.partition(), from.replicas().get(move.partition()).size());
    }
    moves.sort(
        Comparator.<PartitionMove>comparingInt(MigrationPlanner::kind)
            .thenComparingInt(m -> sizes.get(m.partition()))
            .thenComparingInt(PartitionMove::partition)
            .thenComparingInt(PartitionMove::replicaIndex));
    return new MigrationPlan(from, to, moves);
  }

  private static void diff(
      int p,
      List<String> before,
      List<String> after,
      Map<String, PartitionMember> members,
      FailureDomains rule,
      List<PartitionMove> moves) {
    List<String> removed = new ArrayList<>(before);
    removed.removeAll(after);
    List<String> added = new ArrayList<>(after);
    added.removeAll(before);
    Map<String, String> sourceOf = new HashMap<>();
    // Conflicting pairs first, over all additions: an addition left without its conflicting
    // removal would be a fill landing next to it.
    for (String id : added) {
      for (String gone : removed) {
        if (!sourceOf.containsValue(gone) && rule.conflict(members.get(id), members.get(gone))) {
          sourceOf.put(id, gone);
          break;
        }
      }
    }
    List<String> free = new ArrayList<>(removed);
    free.removeAll(sourceOf.values());
    for (String id : added) {
      if (!sourceOf.containsKey(id) && !free.isEmpty()) {
        sourceOf.put(id, free.remove(0));
      }
    }
    for (String id : added) {
      moves.add(new PartitionMove(p, after.indexOf(id), sourceOf.get(id), id));
    }
    for (String id : free) {
      moves.add(new PartitionMove(p, before.indexOf(id), id, null));
    }
  }

  private static int kind(PartitionMove move) {
    if (move.source() == null) {
      return 0;
    }
    return move.destination() != null ? 1 : 2;
  }
}
