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
   * Replica quotas.
   *
   * @param partitions P
   * @param perPartition replicas each partition gets
   * @param domainOf each member's failure domain index
   * @param domainCount how many domains
   * @param held replicas each member holds now
   * @param floors filled with each member's floor share (the lower bound the minimum uses)
   */
  static int[] replicas(
      int partitions, int perPartition, int[] domainOf, int domainCount, int[] held, int[] floors) {
    int n = domainOf.length;
    int[] size = new int[domainCount];
    for (int d : domainOf) {
      size[d]++;
    }
    boolean[] capped = capDomains(partitions, (long) partitions * perPartition, size);
    long remaining = (long) partitions * perPartition;
    int[] quota = new int[n];
    for (int d = 0; d < domainCount; d++) {
      if (capped[d]) {
        remaining -= partitions;
        split(partitions, membersWhere(domainOf, d, true), held, quota, floors);
      }
    }
    List<Integer> rest = new ArrayList<>();
    for (int m = 0; m < n; m++) {
      if (!capped[domainOf[m]]) {
        rest.add(m);
      }
    }
    split(remaining, rest, held, quota, floors);
    return quota;
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

  private static void split(long total, List<Integer> members, int[] held, int[] quota, int[] f) {
    if (members.isEmpty()) {
      return;
    }
    int base = (int) (total / members.size());
    long extra = total % members.size();
    for (int m : byHeldDescending(members, held)) {
      quota[m] = base + (extra-- > 0 ? 1 : 0);
      f[m] = base;
    }
  }

  private static List<Integer> membersWhere(int[] domainOf, int domain, boolean in) {
    List<Integer> members = new ArrayList<>();
    for (int m = 0; m < domainOf.length; m++) {
      if ((domainOf[m] == domain) == in) {
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
