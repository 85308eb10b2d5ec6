package io.hivemind.api;

import java.util.List;

/**
 * The committed partition table as one agent's replica holds it, {@code GET /v1/partitions} (what
 * {@code hivemind partitions} prints; issue 13).
 *
 * @param version the table's version: each committed table's is one above the last
 * @param index the log index it was committed at
 * @param partitionCount P, fixed for the cluster's life (ADR 0006)
 * @param backups B, the backups each partition should have
 * @param underReplicated partitions with fewer than B + 1 replicas (fewer failure domains than
 *     replicas: the table never puts two on one host)
 * @param members each member the table was planned for, by id
 * @param partition the replicas of the partition asked for with {@code ?partition=N}, else null
 * @param movesInFlight moves in flight with the table: each copies a partition to a destination
 *     that becomes a replica once it has caught up
 * @param draining ids of members leaving the table gracefully (everything migrates off them)
 */
public record PartitionTableInfo(
    long version,
    long index,
    int partitionCount,
    int backups,
    int underReplicated,
    List<PartitionMemberInfo> members,
    PartitionReplicas partition,
    int movesInFlight,
    List<String> draining) {

  /**
   * Copies the lists; a missing list reads as empty.
   *
   * @param version the table's version
   * @param index the commit index
   * @param partitionCount P
   * @param backups B
   * @param underReplicated partitions below B + 1 replicas
   * @param members the members
   * @param partition one partition's replicas, or null
   * @param movesInFlight moves in flight
   * @param draining members draining
   */
  public PartitionTableInfo {
    members = members == null ? List.of() : List.copyOf(members);
    draining = draining == null ? List.of() : List.copyOf(draining);
  }

  /**
   * A table with no move in flight and no member draining.
   *
   * @param version the table's version
   * @param index the commit index
   * @param partitionCount P
   * @param backups B
   * @param underReplicated partitions below B + 1 replicas
   * @param members the members
   * @param partition one partition's replicas, or null
   */
  public PartitionTableInfo(
      long version,
      long index,
      int partitionCount,
      int backups,
      int underReplicated,
      List<PartitionMemberInfo> members,
      PartitionReplicas partition) {
    this(version, index, partitionCount, backups, underReplicated, members, partition, 0, null);
  }

  /**
   * One member's share of the table.
   *
   * @param id its member id
   * @param host the failure domain its replicas keep apart by
   * @param zone its zone, "" when none
   * @param owned partitions it owns
   * @param backups partitions it holds a backup of
   */
  public record PartitionMemberInfo(String id, String host, String zone, int owned, int backups) {}

  /**
   * One partition's replicas and its move in flight.
   *
   * @param partition the partition number, 0 to P - 1
   * @param replicas member ids, the owner first, then the backups in promotion order
   * @param moves the partition's moves in flight (at most one)
   */
  public record PartitionReplicas(int partition, List<String> replicas, List<MoveInfo> moves) {
    /**
     * Copies the lists; a missing list reads as empty.
     *
     * @param partition the partition number
     * @param replicas the member ids
     * @param moves the moves in flight
     */
    public PartitionReplicas {
      replicas = replicas == null ? List.of() : List.copyOf(replicas);
      moves = moves == null ? List.of() : List.copyOf(moves);
    }

    /**
     * A partition with no move in flight.
     *
     * @param partition the partition number
     * @param replicas the member ids
     */
    public PartitionReplicas(int partition, List<String> replicas) {
      this(partition, replicas, null);
    }
  }

  /**
   * A move in flight: {@code destination} is filling and replaces {@code source} once caught up.
   *
   * @param source the replica it replaces, "" for a fill (which adds a replica)
   * @param destination the member receiving the copy
   */
  public record MoveInfo(String source, String destination) {}
}
