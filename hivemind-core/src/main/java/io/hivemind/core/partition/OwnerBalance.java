package io.hivemind.core.partition;

import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.Deque;

/**
 * Balances owners by role changes alone: a backup becomes owner and the owner a backup, which moves
 * no data. First direct swaps, then chains (A owns p backed by B, B owns q backed by C, C is below
 * quota: C takes q and B takes p), found by breadth-first search, for what direct swaps cannot
 * reach. Partitions whose owner was just promoted keep it.
 */
final class OwnerBalance {

  private OwnerBalance() {}

  /** Balances owners; returns the role changes made. */
  static int balance(Placement pl) {
    int n = pl.members.size();
    int ceiling = (pl.partitions + n - 1) / n;
    int floor = pl.partitions / n;
    return level(pl, capped(ceiling, pl.count)) + level(pl, capped(floor, pl.count));
  }

  private static int[] capped(int level, int[] count) {
    int[] capped = new int[count.length];
    for (int m = 0; m < count.length; m++) {
      capped[m] = Math.min(level, count[m]);
    }
    return capped;
  }

  /** Moves ownership from members above {@code quota} to members below it, while it can. */
  private static int level(Placement pl, int[] quota) {
    int changes = direct(pl, quota);
    while (chain(pl, quota)) {
      changes++;
    }
    return changes;
  }

  private static int direct(Placement pl, int[] quota) {
    int changes = 0;
    for (int o = 0; o < pl.members.size(); o++) {
      for (int p : pl.held.get(o)) {
        if (pl.owned[o] <= quota[o]) {
          break;
        }
        if (pl.rep[p][0] != o || pl.locked[p]) {
          continue;
        }
        for (int i = 1; i < pl.len[p]; i++) {
          int b = pl.rep[p][i];
          if (pl.owned[b] < quota[b]) {
            pl.promote(p, i);
            changes++;
            break;
          }
        }
      }
    }
    return changes;
  }

  /** Finds and applies one chain from a member above quota to one below; false if none. */
  private static boolean chain(Placement pl, int[] quota) {
    int n = pl.members.size();
    int[] parent = new int[n];
    int[] via = new int[n];
    Arrays.fill(parent, -2);
    Deque<Integer> queue = new ArrayDeque<>();
    for (int m = 0; m < n; m++) {
      if (pl.owned[m] > quota[m]) {
        parent[m] = -1;
        queue.add(m);
      }
    }
    while (!queue.isEmpty()) {
      int x = queue.poll();
      for (int p : pl.held.get(x)) {
        if (pl.rep[p][0] != x || pl.locked[p]) {
          continue;
        }
        for (int i = 1; i < pl.len[p]; i++) {
          int b = pl.rep[p][i];
          if (parent[b] != -2) {
            continue;
          }
          parent[b] = x;
          via[b] = p;
          if (pl.owned[b] < quota[b]) {
            apply(pl, parent, via, b);
            return true;
          }
          queue.add(b);
        }
      }
    }
    return false;
  }

  private static void apply(Placement pl, int[] parent, int[] via, int end) {
    for (int y = end; parent[y] >= 0; y = parent[y]) {
      int p = via[y];
      pl.promote(p, pl.indexOf(p, y));
    }
  }
}
