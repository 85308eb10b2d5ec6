package io.hivemind.core.partition;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * How many replicas each member should hold: as even as integers allow (floor or ceiling of the
 * mean), with what a failure domain can hold capped at one replica per partition (water-filling: a
 * zone of 2 members among 10 with one replica per zone holds P replicas, not a fifth of them).
 *
 * <p>The members that get the ceiling are those holding the most already, so a quota shifts as
 * little as possible from one table to the next and balance costs few copies.
 */
final class Quotas {

  private Quotas() {}

  /**
   * Each member's share.
   *
   * @param quota what the assigner aims for
   * @param floor the floor of the member's even share: any balanced table gives it at least this
   * @param ceiling the ceiling of it: any balanced table gives it at most this
   */
  record Shares(int[] quota, int[] floor, int[] ceiling) {}

  /**
   * Replica quotas.
   *
   * @param partitions P
   * @param perPartition replicas each partition gets
   * @param domainOf each member's failure domain index
   * @param domainCount how many domains
   * @param held replicas each member holds now
   */
  static Shares replicas(
      int partitions, int perPartition, int[] domainOf, int domainCount, int[] held) {
    int n = domainOf.length;
    Shares shares = new Shares(new int[n], new int[n], new int[n]);
    int[] size = new int[domainCount];
    for (int d : domainOf) {
      size[d]++;
    }
    boolean[] capped = capDomains(partitions, (long) partitions * perPartition, size);
    long remaining = (long) partitions * perPartition;
    for (int d = 0; d < domainCount; d++) {
      if (capped[d]) {
        remaining -= partitions;
        split(partitions, membersWhere(domainOf, d), held, shares);
      }
    }
    List<Integer> rest = new ArrayList<>();
    for (int m = 0; m < n; m++) {
      if (!capped[domainOf[m]]) {
        rest.add(m);
      }
    }
    split(remaining, rest, held, shares);
    return shares;
  }

  private static boolean[] capDomains(int partitions, long total, int[] size) {
    boolean[] capped = new boolean[size.length];
    long remaining = total;
    long active = 0;
    for (int s : size) {
      active += s;
    }
    while (active > 0) {
      int largest = -1;
      for (int d = 0; d < size.length; d++) {
        if (!capped[d] && (largest < 0 || size[d] > size[largest])) {
          largest = d;
        }
      }
      // Its even share is remaining × size / active; a domain holds one replica per partition.
      if (remaining * size[largest] <= (long) partitions * active) {
        break;
      }
      capped[largest] = true;
      remaining -= partitions;
      active -= size[largest];
    }
    return capped;
  }

  private static void split(long total, List<Integer> members, int[] held, Shares shares) {
    if (members.isEmpty()) {
      return;
    }
    int base = (int) (total / members.size());
    long extra = total % members.size();
    int ceiling = base + (extra > 0 ? 1 : 0);
    for (int m : byHeldDescending(members, held)) {
      shares.quota[m] = base + (extra-- > 0 ? 1 : 0);
      shares.floor[m] = base;
      shares.ceiling[m] = ceiling;
    }
  }

  private static List<Integer> membersWhere(int[] domainOf, int domain) {
    List<Integer> members = new ArrayList<>();
    for (int m = 0; m < domainOf.length; m++) {
      if (domainOf[m] == domain) {
        members.add(m);
      }
    }
    return members;
  }

  private static List<Integer> byHeldDescending(List<Integer> members, int[] held) {
    List<Integer> order = new ArrayList<>(members);
    order.sort(Comparator.<Integer>comparingInt(m -> -held[m]).thenComparingInt(m -> m));
    return order;
  }
}
