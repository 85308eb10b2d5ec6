package io.hivemind.sim.partition;

import io.hivemind.core.partition.TableBalance;

/**
 * What one membership change cost.
 *
 * @param event the change
 * @param copies replicas copied to reach the new table
 * @param minimumCopies the lower bound on copies for a table balanced to the floor
 * @param promotions backups that became owners because their owner went (no data moved)
 * @param roleChanges owner changes among existing replicas for owner balance (no data moved)
 * @param lostPartitions partitions left with no replica (more crashes than backups)
 * @param rounds rounds of parallel moves the migration took at the scenario's bound
 * @param planningNanos time to compute the table and the plan
 * @param balance the new table's balance
 */
public record EventFigures(
    PartitionEvent event,
    int copies,
    int minimumCopies,
    int promotions,
    int roleChanges,
    int lostPartitions,
    int rounds,
    long planningNanos,
    TableBalance balance) {}
