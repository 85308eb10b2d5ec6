package io.hivemind.core.partition;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Computes partition tables (issue 13): a pure function of the previous table and the committed
 * member set.
 *
 * <p>Steps, each keeping what the one before it placed:
 *
 * <ol>
 *   <li>Carry: every surviving replica stays where it is, in its order, so an owner's removal makes
 *       its first surviving backup the owner (promotion, no data moved); replicas that now break
 *       anti-affinity or exceed B + 1 are dropped.
 *   <li>Quotas: each member's share of the replicas, floor or ceiling of the mean, with a failure
 *       domain capped at one replica per partition ({@link Quotas}).
 *   <li>Fill, then shift: empty slots go to the eligible member furthest below quota; then single
 *       replicas move only for members outside their [floor, ceiling] share ({@link ReplicaFill}).
 *   <li>Owners: balanced by role changes among each partition's replicas ({@link OwnerBalance}).
 * </ol>
 *
 * <p>Deterministic: members are taken in id order and every tie is broken by a fixed hash of the
 * id, so the same members and previous table give the same table whatever the input order. Replicas
 * never share a host, nor a zone when zones are on ({@link FailureDomains}); with fewer domains
 * than B + 1, partitions get one replica per domain and the table reports them as under-replicated.
 */
public final class PartitionAssigner {

  private PartitionAssigner() {}

  /** The first table for a member set. */
  public static Rebalance initial(
      Collection<PartitionMember> members, int partitionCount, int backupCount) {
    return next(PartitionTable.empty(partitionCount, backupCount), members);
  }

  /**
   * The table that follows {@code previous} once the members are {@code members}.
   *
   * @throws IllegalArgumentException if there are no members or two share an id
   */
  public static Rebalance next(PartitionTable previous, Collection<PartitionMember> members) {
    List<PartitionMember> sorted = sortedUnique(members);
    int perPartition = FailureDomains.of(sorted).replicasPerPartition(previous.backupCount());
    Placement pl = Placement.empty(sorted, previous.partitionCount(), perPartition);
    int[] carried = carry(previous, pl);
    int[] kept = pl.count.clone();
    Quotas.Shares shares =
        Quotas.replicas(pl.partitions, perPartition, pl.domain, pl.domainCount, kept);
    ReplicaFill.fill(pl, shares.quota());
    ReplicaFill.shift(pl, shares);
    int minimum = minimumCopies(pl, shares, kept);
    int roleChanges = OwnerBalance.balance(pl);
    PartitionTable table =
        new PartitionTable(
            previous.version() + 1,
            previous.partitionCount(),
            previous.backupCount(),
            sorted,
            pl.replicaIds());
    return new Rebalance(
        table, copies(previous, table), minimum, carried[0], roleChanges, carried[1]);
  }

  /**
   * Replicas the new table places where the previous one had none: counted on the result, since a
   * slot the fill gave to a member over quota may then move on once, and that is one copy.
   */
  private static int copies(PartitionTable previous, PartitionTable table) {
    int copies = 0;
    for (int p = 0; p < table.partitionCount(); p++) {
      List<String> before = previous.replicas().get(p);
      for (String id : table.replicas().get(p)) {
        copies += before.contains(id) ? 0 : 1;
      }
    }
    return copies;
  }

  private static List<PartitionMember> sortedUnique(Collection<PartitionMember> members) {
    if (members.isEmpty()) {
      throw new IllegalArgumentException("a partition table needs at least one member");
    }
    List<PartitionMember> sorted = new ArrayList<>(members);
    sorted.sort(PartitionTable.BY_ID);
    for (int i = 1; i < sorted.size(); i++) {
      if (sorted.get(i).id().equals(sorted.get(i - 1).id())) {
        throw new IllegalArgumentException("two members share the id " + sorted.get(i).id());
      }
    }
    return sorted;
  }

  /** Keeps surviving replicas; returns {promotions, lost partitions}. */
  private static int[] carry(PartitionTable previous, Placement pl) {
    Map<String, Integer> index = new HashMap<>();
    for (int m = 0; m < pl.members.size(); m++) {
      index.put(pl.members.get(m).id(), m);
    }
    int promotions = 0;
    int lost = 0;
    for (int p = 0; p < pl.partitions; p++) {
      List<String> before = previous.replicas().get(p);
      for (String id : before) {
        Integer m = index.get(id);
        if (m != null && pl.len[p] < pl.perPartition && pl.eligible(m, p, -1)) {
          pl.append(p, m);
        }
      }
      if (!before.isEmpty() && pl.len[p] == 0) {
        lost++;
      } else if (!before.isEmpty() && !pl.members.get(pl.rep[p][0]).id().equals(before.get(0))) {
        pl.locked[p] = true;
        promotions++;
      }
    }
    return new int[] {promotions, lost};
  }

  /**
   * A lower bound on the copies, the largest of three: every empty slot needs one; every member
   * must gain what it lacks to its floor share; and every replica a member holds above its ceiling
   * share must be copied elsewhere, on top of the empty slots. Where anti-affinity kept a member
   * off its floor or above its ceiling, the bound takes what the table reached instead, so it never
   * claims more than this table needed.
   */
  private static int minimumCopies(Placement pl, Quotas.Shares shares, int[] kept) {
    long emptySlots = placed(pl) - sum(kept);
    long belowFloor = 0;
    long aboveCeiling = 0;
    for (int m = 0; m < kept.length; m++) {
      belowFloor += Math.max(0, Math.min(shares.floor()[m], pl.count[m]) - kept[m]);
      aboveCeiling += Math.max(0, kept[m] - Math.max(shares.ceiling()[m], pl.count[m]));
    }
    return (int) Math.max(emptySlots + aboveCeiling, belowFloor);
  }

  private static long placed(Placement pl) {
    return sum(pl.count);
  }

  private static long sum(int[] values) {
    long total = 0;
    for (int v : values) {
      total += v;
    }
    return total;
  }
}
