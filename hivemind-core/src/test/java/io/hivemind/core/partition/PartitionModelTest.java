package io.hivemind.core.partition;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Model-checking-style test (issue 13): seeded random runs of joins, graceful leaves, crashes and
 * migration progress through the assigner, planner and stepper, with every invariant checked after
 * every step. A failure names its seed and step; rerun that seed alone with {@link #run(long)}.
 */
class PartitionModelTest {

  private static final int SEEDS = 200;
  private static final int STEPS = 60;

  /**
   * The bound k on copies over the minimum for tables that copy at least {@link #LARGE} replicas.
   * Below that the minimum is a loose bound (it ignores anti-affinity: 1 empty slot whose only
   * eligible members are in range, plus 1 member below its floor in the slot's zone, need 2 copies
   * where it counts 1), so small tables are held to an additive bound instead.
   */
  private static final double K = 1.05;

  private static final int LARGE = 20;

  /** Most copies above the minimum any table may make. */
  private static final int EXCESS = 4;

  @Test
  void randomJoinsLeavesAndCrashes_keepEveryInvariant() {
    Stats all = new Stats();
    for (long seed = 0; seed < SEEDS; seed++) {
      all.add(run(seed));
    }
    // Printed for docs/benchmarks.md: k measured over every planned table of every run.
    System.out.printf(
        "partition model: %d tables, copies %d, minimum %d; worst table: k = %.3f at >= %d"
            + " copies, %.3f (+%d) overall%n",
        all.tables,
        all.copies,
        all.minimum,
        all.worstLargeRatio,
        LARGE,
        all.worstRatio,
        all.worstExcess);
    assertThat(all.tables).isGreaterThan(SEEDS * 10L);
    assertThat(all.worstLargeRatio).isLessThanOrEqualTo(K);
    assertThat(all.worstExcess).isLessThanOrEqualTo(EXCESS);
  }

  static Stats run(long seed) {
    return new Model(seed).run();
  }

  static final class Stats {
    long tables;
    long copies;
    long minimum;
    double worstRatio = 1.0;
    double worstLargeRatio = 1.0;
    int worstExcess;

    void add(Stats other) {
      worstLargeRatio = Math.max(worstLargeRatio, other.worstLargeRatio);
      worstExcess = Math.max(worstExcess, other.worstExcess);
      tables += other.tables;
      copies += other.copies;
      minimum += other.minimum;
      worstRatio = Math.max(worstRatio, other.worstRatio);
    }
  }

  /** One seeded run: a cluster, its committed table and the migration toward it. */
  private static final class Model {
    private final long seed;
    private final Random random;
    private final int perHost;
    private final int zones;
    private final List<PartitionMember> live = new ArrayList<>();
    private final List<PartitionMember> leaving = new ArrayList<>();
    private final Stats stats = new Stats();
    private PartitionTable target;
    private MigrationStepper stepper;
    private int nextId;
    private int step;

    Model(long seed) {
      this.seed = seed;
      this.random = new Random(seed);
      this.perHost = 1 + random.nextInt(2);
      this.zones = random.nextBoolean() ? 0 : 2 + random.nextInt(3);
    }

    Stats run() {
      int partitions = List.of(1, 5, 16, 64, 271).get(random.nextInt(5));
      int backups = random.nextInt(4);
      for (int i = 1 + random.nextInt(8); i > 0; i--) {
        live.add(newMember());
      }
      PartitionTable first = PartitionTable.empty(partitions, backups);
      target = first;
      replan(first);
      for (step = 0; step < STEPS; step++) {
        int roll = random.nextInt(10);
        if (roll < 2) {
          live.add(newMember());
          replan(stepper.current());
        } else if (roll == 2 && live.size() > 1) {
          leave();
        } else if (roll == 3 && live.size() > 1) {
          crash();
        } else {
          progress();
        }
      }
      while (!stepper.done()) {
        progress();
      }
      assertThat(stepper.current().replicas()).as(where()).isEqualTo(target.replicas());
      return stats;
    }

    private void leave() {
      PartitionMember goes = live.remove(random.nextInt(live.size()));
      leaving.add(goes);
      replan(stepper.current());
    }

    private void crash() {
      List<PartitionMember> all = new ArrayList<>(live);
      all.addAll(leaving);
      PartitionMember gone = all.get(random.nextInt(all.size()));
      live.remove(gone);
      leaving.remove(gone);
      replan(stepper.current().withoutMembers(List.of(gone.id())));
    }

    /** Commits the next table planned from what is served now, and starts migrating to it. */
    private void replan(PartitionTable serving) {
      Rebalance next = PartitionAssigner.next(serving, live);
      PartitionTable table = next.table();
      assertThat(table.version()).as(where()).isEqualTo(target.version() + 1);
      List<PartitionMember> shuffled = new ArrayList<>(live);
      Collections.shuffle(shuffled, random);
      assertThat(PartitionAssigner.next(serving, shuffled).table()).as(where()).isEqualTo(table);
      checkTarget(table);
      checkPromotions(serving, table);
      checkCopies(serving, next);
      target = table;
      MigrationPlan plan = MigrationPlanner.plan(serving, table);
      assertThat(plan.copies()).as(where()).isEqualTo(next.copies());
      stepper = new MigrationStepper(plan, 1 + random.nextInt(4));
      stepper.start();
      checkServing();
    }

    private void checkTarget(PartitionTable table) {
      int replicas = FailureDomains.of(live).replicasPerPartition(table.backupCount());
      assertThat(Members.colocations(table)).as(where()).isEmpty();
      for (List<String> list : table.replicas()) {
        assertThat(list)
            .as(where() + " every partition has an owner and its replicas")
            .hasSize(replicas);
      }
    }

    /** An owner that went is replaced by its first surviving replica: no data moves for it. */
    private void checkPromotions(PartitionTable serving, PartitionTable table) {
      Set<String> ids = new HashSet<>();
      live.forEach(m -> ids.add(m.id()));
      for (int p = 0; p < table.partitionCount(); p++) {
        List<String> before = serving.replicas().get(p);
        List<String> surviving = before.stream().filter(ids::contains).toList();
        if (!before.isEmpty() && !ids.contains(before.get(0)) && !surviving.isEmpty()) {
          assertThat(table.owner(p)).as(where() + " promotion of " + p).contains(surviving.get(0));
        }
      }
    }

    private void checkCopies(PartitionTable serving, Rebalance next) {
      long added = 0;
      for (int p = 0; p < serving.partitionCount(); p++) {
        List<String> before = serving.replicas().get(p);
        added += next.table().replicas().get(p).stream().filter(id -> !before.contains(id)).count();
      }
      assertThat(next.copies()).as(where()).isEqualTo((int) added);
      assertThat(next.copies()).as(where()).isGreaterThanOrEqualTo(next.minimumCopies());
      stats.tables++;
      stats.copies += next.copies();
      stats.minimum += next.minimumCopies();
      if (next.minimumCopies() > 0) {
        stats.worstRatio = Math.max(stats.worstRatio, next.copiesOverMinimum());
        if (next.minimumCopies() >= LARGE) {
          stats.worstLargeRatio = Math.max(stats.worstLargeRatio, next.copiesOverMinimum());
        }
        stats.worstExcess = Math.max(stats.worstExcess, next.copies() - next.minimumCopies());
      } else {
        assertThat(next.copies()).as(where() + " nothing to copy").isZero();
      }
    }

    /** Completes some moves in flight; a partition never loses a replica through a move. */
    private void progress() {
      int wanted = FailureDomains.of(live).replicasPerPartition(target.backupCount());
      for (PartitionMove move : stepper.inFlight()) {
        if (random.nextBoolean()) {
          int before = stepper.replicaCount(move.partition());
          stepper.complete(move);
          int after = stepper.replicaCount(move.partition());
          assertThat(after)
              .as(where() + " " + move)
              .isGreaterThanOrEqualTo(Math.min(before, wanted));
        }
      }
      stepper.start();
      if (stepper.done()) {
        leaving.clear(); // every replica is off them: they exit now
      }
      checkServing();
    }

    private void checkServing() {
      PartitionTable serving = stepper.current();
      assertThat(Members.colocations(serving)).as(where() + " serving").isEmpty();
      for (String id : leavingIdsNotServing(serving)) {
        assertThat(id).as(where() + " a leaving member exits only once empty").isNull();
      }
    }

    private List<String> leavingIdsNotServing(PartitionTable serving) {
      Set<String> present = new HashSet<>();
      serving.members().forEach(m -> present.add(m.id()));
      return leaving.stream().map(PartitionMember::id).filter(id -> !present.contains(id)).toList();
    }

    private PartitionMember newMember() {
      return Members.member(nextId++, perHost, zones);
    }

    private String where() {
      return "seed " + seed + " step " + step;
    }
  }
}
