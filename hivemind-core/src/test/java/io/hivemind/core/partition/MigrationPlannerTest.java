package io.hivemind.core.partition;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class MigrationPlannerTest {

  private static final PartitionMember A = new PartitionMember("a", "ha", "z1");
  private static final PartitionMember B = new PartitionMember("b", "hb", "z2");
  private static final PartitionMember C = new PartitionMember("c", "hc", "z3");
  private static final PartitionMember D = new PartitionMember("d", "hd", "z2");
  private static final PartitionMember E = new PartitionMember("e", "he", "z3");

  @Test
  void plan_sameTable_noMoves() {
    PartitionTable table = PartitionAssigner.initial(Members.onHosts(5), 64, 1).table();

    assertThat(MigrationPlanner.plan(table, table).moves()).isEmpty();
  }

  @Test
  void plan_replacedReplica_pairsTheNewOneWithTheOneInItsZone() {
    // b (z2) and c (z3) go, e (z3) and d (z2) come: pairing e with c and d with b means a copy
    // never sits in a zone next to a replica it is not replacing.
    PartitionTable from = table(List.of(A, B, C), List.of(List.of("a", "b", "c")));
    PartitionTable to = table(List.of(A, D, E), List.of(List.of("a", "e", "d")));

    List<PartitionMove> moves = MigrationPlanner.plan(from, to).moves();

    assertThat(moves)
        .containsExactlyInAnyOrder(
            new PartitionMove(0, 1, "c", "e"), new PartitionMove(0, 2, "b", "d"));
  }

  @Test
  void plan_fillsBeforeReplacementsBeforeDrops() {
    PartitionTable from =
        table(
            List.of(A, B, C, D, E),
            List.of(List.of("a"), List.of("a", "b"), List.of("a", "b", "c")));
    PartitionTable to =
        table(
            List.of(A, B, C, D, E),
            List.of(List.of("a", "b"), List.of("a", "c"), List.of("a", "b")));

    List<PartitionMove> moves = MigrationPlanner.plan(from, to).moves();

    assertThat(moves)
        .containsExactly(
            new PartitionMove(0, 1, null, "b"),
            new PartitionMove(1, 1, "b", "c"),
            new PartitionMove(2, 2, "c", null));
  }

  @Test
  void plan_differentPartitionCounts_refused() {
    PartitionTable a = PartitionTable.empty(8, 1);
    PartitionTable b = PartitionTable.empty(16, 1);

    assertThatThrownBy(() -> MigrationPlanner.plan(a, b)).hasMessageContaining("partition count");
  }

  static PartitionTable table(List<PartitionMember> members, List<List<String>> replicas) {
    return new PartitionTable(1, replicas.size(), 2, members, replicas);
  }
}
