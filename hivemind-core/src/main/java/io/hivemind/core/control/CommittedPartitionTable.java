package io.hivemind.core.control;

import io.hivemind.core.partition.PartitionMove;
import io.hivemind.core.partition.PartitionTable;
import java.util.List;
import java.util.Objects;
import java.util.TreeSet;

/**
 * The partition table the control plane committed last (issue 13), the log index it was committed
 * at (every replica applies the same table at the same index), the moves in flight with it, and the
 * members draining out of it.
 *
 * @param table the serving table; its version rose by one with each commit
 * @param index the log index of the entry that committed it
 * @param inFlight the moves in flight: each destination is filling and is not yet a replica
 * @param draining ids of members that asked to leave the table (sorted): the planner gives them no
 *     replica, so everything migrates off them
 */
public record CommittedPartitionTable(
    PartitionTable table, long index, List<PartitionMove> inFlight, List<String> draining) {
  public CommittedPartitionTable {
    Objects.requireNonNull(table, "table");
    if (index < 1) {
      throw new IllegalArgumentException("a committed table has a log index: " + index);
    }
    inFlight = List.copyOf(inFlight);
    draining = List.copyOf(new TreeSet<>(draining));
  }

  /** A table with no move in flight and no member draining. */
  public CommittedPartitionTable(PartitionTable table, long index) {
    this(table, index, List.of(), List.of());
  }

  /** Whether member {@code id} asked to leave the table. */
  public boolean draining(String id) {
    return draining.contains(id);
  }

  /**
   * Whether member {@code id} holds a replica or receives one: a draining member may exit only once
   * this is false, or it would take the last copy of something with it.
   */
  public boolean holdsPartitions(String id) {
    return table.replicas().stream().anyMatch(list -> list.contains(id))
        || inFlight.stream().anyMatch(move -> id.equals(move.destination()));
  }

  /** The moves in flight of one partition (at most one). */
  public List<PartitionMove> movesOf(int partition) {
    return inFlight.stream().filter(move -> move.partition() == partition).toList();
  }
}
