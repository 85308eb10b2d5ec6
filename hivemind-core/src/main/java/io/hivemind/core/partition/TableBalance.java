package io.hivemind.core.partition;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * How evenly a table spreads partitions over its members, and what it could not place.
 *
 * @param ownersMaxOverMean the busiest member's owned partitions over the mean (1.0 is perfect;
 *     ceil(P/N)/(P/N) is the floor integers allow)
 * @param replicasMaxOverMean the same for all replicas, owners and backups
 * @param ownersFloor the granularity floor for owners, ceil(P/N)/(P/N)
 * @param replicasFloor the best max/mean any table could reach for replicas: ceil(R/N)/(R/N) with R
 *     the replicas placed, or more when zones of unequal size each hold one replica per partition
 *     (a zone of 2 members among 10 with 3 zones and 3 replicas holds P replicas on 2 members)
 * @param underReplicated partitions with fewer than B + 1 replicas
 * @param withoutOwner partitions with no replica at all
 */
public record TableBalance(
    double ownersMaxOverMean,
    double replicasMaxOverMean,
    double ownersFloor,
    double replicasFloor,
    int underReplicated,
    int withoutOwner) {

  /** Measures a table. */
  public static TableBalance of(PartitionTable table) {
    Map<String, Integer> owners = new HashMap<>();
    Map<String, Integer> replicas = new HashMap<>();
    int under = 0;
    int ownerless = 0;
    long placed = 0;
    for (List<String> list : table.replicas()) {
      placed += list.size();
      under += list.size() < table.backupCount() + 1 ? 1 : 0;
      if (list.isEmpty()) {
        ownerless++;
        continue;
      }
      owners.merge(list.get(0), 1, Integer::sum);
      for (String id : list) {
        replicas.merge(id, 1, Integer::sum);
      }
    }
    int n = table.members().size();
    return new TableBalance(
        maxOverMean(owners, table.partitionCount() - ownerless, n),
        maxOverMean(replicas, placed, n),
        floor(table.partitionCount() - ownerless, n),
        replicasFloor(table, placed),
        under,
        ownerless);
  }

  private static double maxOverMean(Map<String, Integer> counts, long total, int members) {
    if (total == 0 || members == 0) {
      return 0;
    }
    int max = counts.values().stream().mapToInt(Integer::intValue).max().orElse(0);
    return max / ((double) total / members);
  }

  private static double replicasFloor(PartitionTable table, long placed) {
    int n = table.members().size();
    if (placed == 0 || n == 0) {
      return 0;
    }
    int perPartition = table.failureDomains().replicasPerPartition(table.backupCount());
    Placement pl = Placement.empty(table.members(), table.partitionCount(), perPartition);
    int[] quota =
        Quotas.replicas(table.partitionCount(), perPartition, pl.domain, pl.domainCount, new int[n])
            .quota();
    int max = 0;
    for (int q : quota) {
      max = Math.max(max, q);
    }
    return Math.max(floor(placed, n), max / ((double) table.partitionCount() * perPartition / n));
  }

  private static double floor(long total, int members) {
    if (total == 0 || members == 0) {
      return 0;
    }
    return ((total + members - 1) / members) / ((double) total / members);
  }
}
