package io.hivemind.core.partition;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.TreeSet;
import java.util.function.IntPredicate;
import java.util.function.IntUnaryOperator;

/**
 * The two copy phases of the assigner: fill every empty replica slot with the eligible member
 * furthest below its quota, then move single replicas only for members outside their [floor,
 * ceiling] share. Every step is one copy, and none is spent between two members that are both
 * within their range, which is what keeps the copies at the minimum.
 */
final class ReplicaFill {

  private static final long GOLDEN = 0x9E3779B97F4A7C15L;

  private ReplicaFill() {}

  /** Fills empty slots. */
  static void fill(Placement pl, int[] quota) {
    long[] salt = salts(pl);
    // Most-needy first; among equals an order that changes with each replica a member takes, so
    // consecutive partitions do not get the same pairs of members (that would put all of one
    // member's backups on one other member, and its crash would load that one alone).
    Comparator<Integer> byNeed =
        Comparator.<Integer>comparingInt(m -> pl.count[m] - quota[m])
            .thenComparingLong(m -> mix(salt[m] + pl.count[m] * GOLDEN))
            .thenComparingInt(m -> m);
    TreeSet<Integer> queue = new TreeSet<>(byNeed);
    for (int m = 0; m < pl.members.size(); m++) {
      queue.add(m);
    }
    for (int p = 0; p < pl.partitions; p++) {
      while (pl.len[p] < pl.perPartition) {
        Integer chosen = firstEligible(pl, queue, p);
        if (chosen == null) {
          break; // no member left that repels none of p's replicas: p stays under-replicated
        }
        queue.remove(chosen);
        pl.append(p, chosen);
        queue.add(chosen);
      }
    }
  }

  /**
   * Moves single replicas until every member is within its [floor, ceiling] share: first to each
   * member below its floor from members above theirs (those above the ceiling first), then from
   * each member above its ceiling to members below theirs. Members already within their range are
   * left alone, whatever their quota: the quota only steers the fill, and moving a replica between
   * two members that are both within range would be a copy that buys no balance.
   */
  static void shift(Placement pl, Quotas.Shares shares) {
    int[] floor = shares.floor();
    int[] ceiling = shares.ceiling();
    for (int u : members(pl, m -> pl.count[m] < floor[m], m -> pl.count[m] - floor[m])) {
      while (pl.count[u] < floor[u]) {
        List<Integer> donors =
            members(pl, m -> pl.count[m] > floor[m], m -> ceiling[m] - pl.count[m]);
        if (!moveAny(pl, donors, List.of(u))) {
          break; // anti-affinity leaves no replica u may take: u stays below its floor
        }
      }
    }
    for (int o : members(pl, m -> pl.count[m] > ceiling[m], m -> ceiling[m] - pl.count[m])) {
      while (pl.count[o] > ceiling[o]) {
        List<Integer> takers =
            members(pl, m -> pl.count[m] < ceiling[m], m -> pl.count[m] - floor[m]);
        if (!moveAny(pl, List.of(o), takers)) {
          break;
        }
      }
    }
  }

  /** Moves one replica from the first source that has one a destination may take. */
  private static boolean moveAny(Placement pl, List<Integer> sources, List<Integer> destinations) {
    for (int o : sources) {
      for (int u : destinations) {
        if (moveFrom(pl, o, u, false) || moveFrom(pl, o, u, true)) {
          return true;
        }
      }
    }
    return false;
  }

  /** Members that pass {@code filter}, by {@code key} ascending then index. */
  private static List<Integer> members(Placement pl, IntPredicate filter, IntUnaryOperator key) {
    List<Integer> found = new ArrayList<>();
    for (int m = 0; m < pl.members.size(); m++) {
      if (filter.test(m)) {
        found.add(m);
      }
    }
    found.sort(Comparator.<Integer>comparingInt(key::applyAsInt).thenComparingInt(m -> m));
    return found;
  }

  private static Integer firstEligible(Placement pl, TreeSet<Integer> queue, int p) {
    for (int m : queue) {
      if (pl.eligible(m, p, -1)) {
        return m;
      }
    }
    return null;
  }

  /** Moves one replica of {@code o}'s to {@code u}; backups first, an owner only if it must. */
  private static boolean moveFrom(Placement pl, int o, int u, boolean owners) {
    for (int p : pl.held.get(o)) {
      boolean owner = pl.rep[p][0] == o;
      if (owner != owners || (owner && pl.locked[p])) {
        continue;
      }
      if (!pl.holds(p, u) && pl.eligible(u, p, o)) {
        pl.replace(p, o, u);
        return true;
      }
    }
    return false;
  }

  private static long[] salts(Placement pl) {
    long[] salt = new long[pl.members.size()];
    for (int m = 0; m < salt.length; m++) {
      salt[m] = mix(pl.members.get(m).id().hashCode());
    }
    return salt;
  }

  /** SplitMix64's finaliser: a fixed, platform-independent scramble. */
  static long mix(long z) {
    z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
    z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
    return z ^ (z >>> 31);
  }
}
