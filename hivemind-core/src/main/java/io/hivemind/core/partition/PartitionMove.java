package io.hivemind.core.partition;

/**
 * One step of a migration: copy partition {@code partition}'s data to {@code destination}, let it
 * catch up, then (atomically with its admission as a replica) drop {@code source}'s copy.
 *
 * @param partition the partition
 * @param replicaIndex the index the destination takes in the target table (for a drop, the index
 *     the source had)
 * @param source the replica the destination replaces, or null when it fills an empty slot
 * @param destination the member that receives a copy, or null for a drop (the partition has more
 *     replicas than its target: the source's copy is deleted and nothing is copied)
 */
public record PartitionMove(int partition, int replicaIndex, String source, String destination) {

  public PartitionMove {
    if (partition < 0 || replicaIndex < 0) {
      throw new IllegalArgumentException(
          "partition and index must be >= 0: " + partition + ", " + replicaIndex);
    }
    if (source == null && destination == null) {
      throw new IllegalArgumentException("a move needs a source or a destination");
    }
  }

  /** Whether the move copies data (anything but a drop). */
  public boolean copies() {
    return destination != null;
  }
}
