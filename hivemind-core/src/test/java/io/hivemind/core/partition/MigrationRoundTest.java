package io.hivemind.core.partition;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** One planning round's rules (issue 13), case by case; the model test covers their mix. */
class MigrationRoundTest {

  private static final int P = 64;

  @Test
  void next_noTable_firstTableOfTheStayingMembersWithNoMoves() {
    MigrationRound.Result first = round(null, List.of(), Members.onHosts(3), Set.of("m000"), 8);

    assertThat(first.table().version()).isEqualTo(1);
    assertThat(first.inFlight()).isEmpty();
    assertThat(first.table().replicas()).noneMatch(list -> list.contains("m000"));
  }

  @Test
  void next_memberJoins_boundedCopiesToItAndNoReplicaYet() {
    PartitionTable table = initial(3);

    MigrationRound.Result next = round(table, List.of(), Members.onHosts(4), Set.of(), 5);

    assertThat(next.table().version()).isEqualTo(2);
    assertThat(next.table().replicas()).isEqualTo(table.replicas());
    assertThat(next.inFlight()).hasSize(5).allMatch(m -> m.destination().equals("m003"));
    assertThat(next.inFlight()).extracting(PartitionMove::partition).doesNotHaveDuplicates();
  }

  @Test
  void next_ownerCrashed_firstBackupOwnsAndOnlyFillsStart() {
    PartitionTable table = initial(4);
    List<PartitionMember> left = Members.onHosts(4).subList(1, 4);

    MigrationRound.Result next = round(table, List.of(), left, Set.of(), 64);

    for (int p = 0; p < P; p++) {
      List<String> before = table.replicas().get(p);
      if (before.get(0).equals("m000")) {
        assertThat(next.table().owner(p)).contains(before.get(1));
      }
    }
    assertThat(next.inFlight()).allMatch(m -> m.source() == null);
  }

  @Test
  void next_nothingToDo_sameTableSameVersion() {
    PartitionTable table = initial(3);

    MigrationRound.Result next = round(table, List.of(), Members.onHosts(3), Set.of(), 8);

    assertThat(next.changes(table)).isFalse();
    assertThat(next.table()).isSameAs(table);
  }

  @Test
  void next_moveWhoseDestinationLeft_droppedAndReplanned() {
    PartitionTable table = initial(3);
    MigrationRound.Result joined = round(table, List.of(), Members.onHosts(4), Set.of(), 64);

    MigrationRound.Result gone =
        round(joined.table(), joined.inFlight(), Members.onHosts(3), Set.of(), 64);

    assertThat(gone.inFlight()).isEmpty();
    assertThat(gone.table().members()).hasSize(3);
    assertThat(gone.table().replicas()).isEqualTo(table.replicas());
  }

  @Test
  void next_badBound_refused() {
    assertThatThrownBy(() -> round(initial(3), List.of(), Members.onHosts(3), Set.of(), 0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("0");
  }

  private static PartitionTable initial(int members) {
    return PartitionAssigner.initial(Members.onHosts(members), P, 1).table();
  }

  private static MigrationRound.Result round(
      PartitionTable table,
      List<PartitionMove> inFlight,
      List<PartitionMember> members,
      Set<String> draining,
      int bound) {
    return MigrationRound.next(table, inFlight, new ArrayList<>(members), draining, P, 1, bound);
  }
}
