package io.hivemind.sim.partition;

import io.hivemind.core.partition.PartitionTable;
import java.util.List;

/**
 * A seeded partition-planning scenario: a cluster of {@code nodes} members, one per host, spread
 * round-robin over {@code zones} zones (0: no zones, host-aware only), its first table, then each
 * event planned and migrated to completion.
 *
 * @param nodes members at the start
 * @param partitions P
 * @param backups B
 * @param zones zones the members are spread over, 0 for none
 * @param events the membership changes, in order
 * @param maxParallelMoves the migration's bound on moves in flight
 * @param seed the seed every choice of member derives from
 */
public record PartitionScenario(
    int nodes,
    int partitions,
    int backups,
    int zones,
    List<PartitionEvent> events,
    int maxParallelMoves,
    long seed) {

  /** Most members a scenario may start with. */
  public static final int MAX_NODES = 100_000;

  public PartitionScenario {
    if (nodes < 1 || nodes > MAX_NODES) {
      throw new IllegalArgumentException("nodes must be 1 to " + MAX_NODES + ": " + nodes);
    }
    if (partitions < 1 || partitions > PartitionTable.MAX_PARTITIONS) {
      throw new IllegalArgumentException(
          "partitions must be 1 to " + PartitionTable.MAX_PARTITIONS + ": " + partitions);
    }
    if (backups < 0 || backups > PartitionTable.MAX_BACKUPS) {
      throw new IllegalArgumentException(
          "backups must be 0 to " + PartitionTable.MAX_BACKUPS + ": " + backups);
    }
    if (zones < 0 || zones > nodes) {
      throw new IllegalArgumentException("zones must be 0 to the node count: " + zones);
    }
    events = List.copyOf(events);
    int alive = nodes;
    for (PartitionEvent event : events) {
      alive += event == PartitionEvent.JOIN ? 1 : -1;
      if (alive < 1) {
        throw new IllegalArgumentException("the events would remove every member");
      }
    }
    if (maxParallelMoves < 1) {
      throw new IllegalArgumentException("max parallel moves must be >= 1: " + maxParallelMoves);
    }
  }
}
