package io.hivemind.core.partition;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Completes moves in flight (issue 13): each destination that caught up replaces its source at the
 * source's position (a fill joins at the end), in the same table version that drops the source, so
 * the partition's replica count never falls (copy before drop). The next planning round puts the
 * replicas in the target's order. Pure; the control plane's state machine applies it.
 */
public final class MoveCompletion {

  private MoveCompletion() {}

  /**
   * The table after completing the reported moves that are still in flight (others are ignored: a
   * repeated or stale report is harmless), or empty when none applies.
   *
   * @param table the committed serving table
   * @param inFlight its moves in flight
   * @param reported the moves reported caught up
   */
  public static Optional<Completed> complete(
      PartitionTable table, List<PartitionMove> inFlight, List<PartitionMove> reported) {
    Set<PartitionMove> pending = new HashSet<>(reported);
    Set<String> members = table.membersById().keySet();
    List<List<String>> replicas = new ArrayList<>();
    table.replicas().forEach(list -> replicas.add(new ArrayList<>(list)));
    List<PartitionMove> remaining = new ArrayList<>();
    int applied = 0;
    for (PartitionMove move : inFlight) {
      if (pending.contains(move)
          && members.contains(move.destination())
          && land(replicas.get(move.partition()), move, table.backupCount())) {
        applied++;
      } else {
        remaining.add(move);
      }
    }
    if (applied == 0) {
      return Optional.empty();
    }
    PartitionTable next =
        new PartitionTable(
            table.version() + 1,
            table.partitionCount(),
            table.backupCount(),
            table.members(),
            replicas);
    return Optional.of(new Completed(next, remaining, applied));
  }

  private static boolean land(List<String> list, PartitionMove move, int backupCount) {
    if (list.contains(move.destination())) {
      return false;
    }
    int at = move.source() == null ? -1 : list.indexOf(move.source());
    if (at >= 0) {
      list.set(at, move.destination());
      return true;
    }
    if (move.source() == null && list.size() < backupCount + 1) {
      list.add(move.destination());
      return true;
    }
    return false;
  }

  /**
   * Completed moves' outcome.
   *
   * @param table the next table (version + 1)
   * @param inFlight the moves still in flight
   * @param applied how many moves completed
   */
  public record Completed(PartitionTable table, List<PartitionMove> inFlight, int applied) {
    public Completed {
      inFlight = List.copyOf(inFlight);
    }
  }
}
