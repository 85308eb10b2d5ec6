package io.hivemind.core.control;

import io.hivemind.core.partition.MoveInFlight;
import io.hivemind.core.partition.PartitionMove;
import io.hivemind.core.partition.PartitionTable;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
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
 * @param since by move in {@code inFlight}: the table version its run started at ({@link
 *     MoveInFlight}); a completion must name it
 * @param draining ids of members that asked to leave the table (sorted): the planner gives them no
 *     replica, so everything migrates off them
 */
public record CommittedPartitionTable(
    PartitionTable table,
    long index,
    List<PartitionMove> inFlight,
    List<Long> since,
    List<String> draining) {
  public CommittedPartitionTable {
    Objects.requireNonNull(table, "table");
    if (index < 1) {
      throw new IllegalArgumentException("a committed table has a log index: " + index);
    }
    inFlight = List.copyOf(inFlight);
    since = List.copyOf(since);
    if (since.size() != inFlight.size()) {
      throw new IllegalArgumentException(
          since.size() + " start versions for " + inFlight.size() + " moves in flight");
    }
    draining = List.copyOf(new TreeSet<>(draining));
  }

  /** Moves that all started with this table's version (a table committed with them). */
  public CommittedPartitionTable(
      PartitionTable table, long index, List<PartitionMove> inFlight, List<String> draining) {
    this(table, index, inFlight, sinceNow(table, inFlight), draining);
  }

  /** A table with no move in flight and no member draining. */
  public CommittedPartitionTable(PartitionTable table, long index) {
    this(table, index, List.of(), List.of());
  }

  private static List<Long> sinceNow(PartitionTable table, List<PartitionMove> inFlight) {
    return java.util.Collections.nCopies(inFlight.size(), table.version());
  }

  /** The moves in flight with the versions their runs started at. */
  public List<MoveInFlight> movesInFlight() {
    List<MoveInFlight> moves = new java.util.ArrayList<>(inFlight.size());
    for (int i = 0; i < inFlight.size(); i++) {
      moves.add(new MoveInFlight(inFlight.get(i), since.get(i)));
    }
    return moves;
  }

  /**
   * The version each move in flight started at. A map, not a lookup by move: a table commits with
   * up to thousands of moves in flight, and looking each of them up in {@code inFlight} made
   * applying one table quadratic (seconds of CPU on every replica while partitions migrate).
   */
  public Map<PartitionMove, Long> sinceByMove() {
    Map<PartitionMove, Long> byMove = new HashMap<>(inFlight.size() * 2);
    for (int i = 0; i < inFlight.size(); i++) {
      byMove.put(inFlight.get(i), since.get(i));
    }
    return byMove;
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
