package io.hivemind.core.partition;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.function.Function;

/**
 * The assigner's working copy of a table, by member index (members sorted by id): replicas per
 * partition, replicas and owned partitions per member, and the anti-affinity check. Made and
 * dropped inside one {@link PartitionAssigner} call, on the caller's thread.
 *
 * <p>Invariant kept by every mutation: {@code held[m]} is exactly the partitions whose replicas
 * hold {@code m}, {@code count[m]} its size, {@code owned[m]} the partitions {@code m} owns.
 */
final class Placement {

  final List<PartitionMember> members;
  final int partitions;
  final int perPartition;
  final int[] host;
  final int[] domain;
  final int domainCount;
  final boolean zoneAware;
  final int[][] rep;
  final int[] len;
  final int[] count;
  final int[] owned;
  final List<TreeSet<Integer>> held;

  /** Partitions whose owner was promoted in this step: their owner stays (issue 13). */
  final boolean[] locked;

  private Placement(List<PartitionMember> members, int partitions, int perPartition) {
    this.members = members;
    this.partitions = partitions;
    this.perPartition = perPartition;
    int n = members.size();
    FailureDomains rule = FailureDomains.of(members);
    this.zoneAware = rule.zoneAware();
    this.host = indexes(members, PartitionMember::host);
    this.domain = indexes(members, rule::domainOf);
    this.domainCount = rule.count();
    this.rep = new int[partitions][perPartition];
    this.len = new int[partitions];
    this.count = new int[n];
    this.owned = new int[n];
    this.held = new ArrayList<>(n);
    for (int m = 0; m < n; m++) {
      held.add(new TreeSet<>());
    }
    this.locked = new boolean[partitions];
  }

  /** A placement with no replicas. */
  static Placement empty(List<PartitionMember> sortedMembers, int partitions, int perPartition) {
    return new Placement(sortedMembers, partitions, perPartition);
  }

  /** Whether member {@code m} may join partition {@code p}'s replicas, ignoring {@code except}. */
  boolean eligible(int m, int p, int except) {
    for (int i = 0; i < len[p]; i++) {
      int x = rep[p][i];
      if (x != except && conflict(x, m)) {
        return false;
      }
    }
    return true;
  }

  boolean conflict(int a, int b) {
    return a == b || host[a] == host[b] || (zoneAware && domain[a] == domain[b]);
  }

  boolean holds(int p, int m) {
    return indexOf(p, m) >= 0;
  }

  int indexOf(int p, int m) {
    for (int i = 0; i < len[p]; i++) {
      if (rep[p][i] == m) {
        return i;
      }
    }
    return -1;
  }

  /** Adds {@code m} as the last replica of {@code p}. */
  void append(int p, int m) {
    rep[p][len[p]++] = m;
    count[m]++;
    held.get(m).add(p);
    if (len[p] == 1) {
      owned[m]++;
    }
  }

  /** Puts {@code to} where {@code from} was in {@code p}'s replicas. */
  void replace(int p, int from, int to) {
    int i = indexOf(p, from);
    rep[p][i] = to;
    count[from]--;
    held.get(from).remove(p);
    count[to]++;
    held.get(to).add(p);
    if (i == 0) {
      owned[from]--;
      owned[to]++;
    }
  }

  /** Makes the replica at index {@code i} of {@code p} the owner: a role change, no data moves. */
  void promote(int p, int i) {
    int previous = rep[p][0];
    rep[p][0] = rep[p][i];
    rep[p][i] = previous;
    owned[previous]--;
    owned[rep[p][0]]++;
  }

  /** The replicas as the table's lists of ids. */
  List<List<String>> replicaIds() {
    List<List<String>> lists = new ArrayList<>(partitions);
    for (int p = 0; p < partitions; p++) {
      List<String> ids = new ArrayList<>(len[p]);
      for (int i = 0; i < len[p]; i++) {
        ids.add(members.get(rep[p][i]).id());
      }
      lists.add(ids);
    }
    return lists;
  }

  private static int[] indexes(
      List<PartitionMember> members, Function<PartitionMember, String> key) {
    Map<String, Integer> seen = new HashMap<>();
    int[] index = new int[members.size()];
    for (int m = 0; m < index.length; m++) {
      index[m] = seen.computeIfAbsent(key.apply(members.get(m)), k -> seen.size());
    }
    return index;
  }
}
