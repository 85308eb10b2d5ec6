package io.hivemind.core.partition;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Model-checking-style test of the control plane's migration rounds (issue 13): seeded random
 * joins, drains (graceful leaves), crashes and move completions, each followed by a planning round
 * as the leader's duty runs it, with every invariant checked after every step. A failure names its
 * seed and step.
 */
class MigrationRoundModelTest {

  private static final int SEEDS = 200;
  private static final int STEPS = 60;

  @Test
  void randomJoinsDrainsCrashesAndCompletions_keepEveryInvariantAndConverge() {
    long commits = 0;
    for (long seed = 0; seed < SEEDS; seed++) {
      commits += new Model(seed).run();
    }
    assertThat(commits).isGreaterThan(SEEDS * 10L);
  }

  /** One seeded run: admitted members, the committed table and its moves in flight. */
  private static final class Model {
    private final long seed;
    private final Random random;
    private final int perHost;
    private final int zones;
    private final int maxInFlight;
    private final List<PartitionMember> admitted = new ArrayList<>();
    private final Set<String> draining = new HashSet<>();
    private PartitionTable table;
    private List<PartitionMove> inFlight = List.of();
    private int nextId;
    private int step;
    private int commits;

    Model(long seed) {
      this.seed = seed;
      this.random = new Random(seed);
      this.perHost = 1 + random.nextInt(2);
      this.zones = random.nextBoolean() ? 0 : 2 + random.nextInt(3);
      this.maxInFlight = 1 + random.nextInt(8);
    }

    int run() {
      int partitions = List.of(1, 5, 16, 64, 271).get(random.nextInt(5));
      int backups = random.nextInt(4);
      for (int i = 1 + random.nextInt(8); i > 0; i--) {
        admitted.add(newMember());
      }
      round(partitions, backups);
      for (step = 0; step < STEPS; step++) {
        event();
        round(partitions, backups);
      }
      converge(partitions, backups);
      return commits;
    }

    private void event() {
      int roll = random.nextInt(10);
      if (roll < 2) {
        admitted.add(newMember());
      } else if (roll == 2 && staying().size() > 1) {
        draining.add(staying().get(random.nextInt(staying().size())).id());
      } else if (roll == 3 && admitted.size() > 1) {
        PartitionMember gone = admitted.remove(random.nextInt(admitted.size()));
        draining.remove(gone.id());
      } else {
        completeSome(random::nextBoolean);
      }
      exitDrained();
    }

    /** A draining member leaves the cluster only once it holds nothing and receives nothing. */
    private void exitDrained() {
      for (String id : List.copyOf(draining)) {
        boolean holds = table.replicas().stream().anyMatch(list -> list.contains(id));
        boolean receives = inFlight.stream().anyMatch(m -> id.equals(m.destination()));
        if (!holds && !receives && admitted.size() > 1) {
          admitted.removeIf(m -> m.id().equals(id));
          draining.remove(id);
        }
      }
    }

    private void completeSome(java.util.function.BooleanSupplier pick) {
      List<PartitionMove> done = inFlight.stream().filter(m -> pick.getAsBoolean()).toList();
      Optional<MoveCompletion.Completed> completed = MoveCompletion.complete(table, inFlight, done);
      assertThat(completed.isPresent()).as(where()).isEqualTo(!done.isEmpty());
      if (completed.isEmpty()) {
        return;
      }
      PartitionTable next = completed.get().table();
      for (int p = 0; p < table.partitionCount(); p++) {
        assertThat(next.replicas().get(p).size())
            .as(where() + " a completed move never lowers partition " + p + "'s replicas")
            .isGreaterThanOrEqualTo(table.replicas().get(p).size());
      }
      assertThat(completed.get().inFlight()).as(where()).doesNotContainAnyElementsOf(done);
      assertThat(MoveCompletion.complete(next, completed.get().inFlight(), done))
          .as(where() + " a repeated report is a no-op")
          .isEmpty();
      commit(next, completed.get().inFlight());
    }

    private void round(int partitions, int backups) {
      MigrationRound.Result result = plan(admitted, partitions, backups);
      List<PartitionMember> shuffled = new ArrayList<>(admitted);
      Collections.shuffle(shuffled, random);
      assertThat(plan(shuffled, partitions, backups))
          .as(where() + " deterministic")
          .isEqualTo(result);
      if (!result.changes(table)) {
        assertThat(result.inFlight()).as(where()).containsExactlyInAnyOrderElementsOf(inFlight);
        return;
      }
      checkRound(result);
      commit(result.table(), result.inFlight());
    }

    private MigrationRound.Result plan(List<PartitionMember> members, int partitions, int backups) {
      return MigrationRound.next(
          table, inFlight, members, draining, partitions, backups, maxInFlight);
    }

    private void checkRound(MigrationRound.Result result) {
      PartitionTable next = result.table();
      assertThat(result.inFlight()).as(where()).hasSizeLessThanOrEqualTo(maxInFlight);
      Set<Integer> busy = new HashSet<>();
      for (PartitionMove move : result.inFlight()) {
        assertThat(busy.add(move.partition())).as(where() + " one move per partition").isTrue();
        assertThat(move.destination()).as(where() + " a drop is never in flight").isNotNull();
        assertThat(next.replicas().get(move.partition()))
            .as(where() + " " + move)
            .doesNotContain(move.destination());
        if (staying().size() < admitted.size()) {
          assertThat(draining).as(where() + " " + move).doesNotContain(move.destination());
        }
      }
      if (table == null) {
        return;
      }
      Set<String> ids = new HashSet<>();
      admitted.forEach(m -> ids.add(m.id()));
      // A draining member's domain may be the one that let a partition have B + 1 replicas.
      int wanted = FailureDomains.of(staying()).replicasPerPartition(next.backupCount());
      for (int p = 0; p < next.partitionCount(); p++) {
        long surviving = table.replicas().get(p).stream().filter(ids::contains).count();
        assertThat(next.replicas().get(p).size())
            .as(where() + " a round removes only the gone and the surplus of partition " + p)
            .isGreaterThanOrEqualTo((int) Math.min(surviving, wanted));
      }
    }

    private void commit(PartitionTable next, List<PartitionMove> moves) {
      long expected = table == null ? 1 : table.version() + 1;
      assertThat(next.version()).as(where() + " versions rise by one").isEqualTo(expected);
      assertThat(Members.colocations(next)).as(where() + " anti-affinity").isEmpty();
      table = next;
      inFlight = moves;
      commits++;
    }

    /** With no more churn, completing every move converges to a table with no move in flight. */
    private void converge(int partitions, int backups) {
      for (int i = 0; i < 10 * partitions + 20 && !inFlight.isEmpty(); i++) {
        completeSome(() -> true);
        exitDrained();
        round(partitions, backups);
      }
      assertThat(inFlight).as(where() + " converged").isEmpty();
      round(partitions, backups);
      PartitionTable converged = table;
      round(partitions, backups);
      assertThat(table).as(where() + " stays converged, roles included").isSameAs(converged);
      int wanted = FailureDomains.of(staying()).replicasPerPartition(table.backupCount());
      for (List<String> list : table.replicas()) {
        assertThat(list).as(where() + " fully replicated").hasSize(wanted);
        assertThat(list)
            .as(where() + " nothing left on a draining member")
            .noneMatch(id -> draining.contains(id) && staying().size() < admitted.size());
      }
    }

    /** Members that may hold replicas: every one when all drain (there is nowhere to go). */
    private List<PartitionMember> staying() {
      List<PartitionMember> staying =
          admitted.stream().filter(m -> !draining.contains(m.id())).toList();
      return staying.isEmpty() ? admitted : staying;
    }

    private PartitionMember newMember() {
      return Members.member(nextId++, perHost, zones);
    }

    private String where() {
      return "seed " + seed + " step " + step;
    }
  }
}
