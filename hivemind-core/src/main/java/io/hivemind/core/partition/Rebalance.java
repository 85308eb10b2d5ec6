package io.hivemind.core.partition;

/**
 * A new table and what it costs to reach from the previous one.
 *
 * @param table the new table
 * @param copies replicas the new table places on a member that did not hold them (each is a copy of
 *     the partition's data)
 * @param minimumCopies a lower bound on the copies any table balanced to the floor would need: the
 *     larger of the replica slots left empty by removed members and the sum, over members, of how
 *     far each is below its floor share
 * @param promotions partitions whose owner was removed and whose first surviving backup now owns
 *     them (no data moved)
 * @param roleChanges other owner changes among existing replicas, made for owner balance (no data
 *     moved)
 * @param lostPartitions partitions that had replicas and have none left (every replica removed at
 *     once: more crashes than backups)
 */
public record Rebalance(
    PartitionTable table,
    int copies,
    int minimumCopies,
    int promotions,
    int roleChanges,
    int lostPartitions) {

  /** Copies over the minimum; 1.0 when the minimum is 0 and nothing was copied. */
  public double copiesOverMinimum() {
    if (minimumCopies == 0) {
      return copies == 0 ? 1.0 : Double.POSITIVE_INFINITY;
    }
    return (double) copies / minimumCopies;
  }
}
