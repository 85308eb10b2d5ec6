package io.hivemind.control;

import static org.assertj.core.api.Assertions.assertThat;

import io.hivemind.core.control.ApplyResult;
import io.hivemind.core.control.CommittedPartitionTable;
import io.hivemind.core.control.ControlCommand;
import io.hivemind.core.control.ControlEntry;
import io.hivemind.core.control.ControlMember;
import io.hivemind.core.control.ControlState;
import io.hivemind.core.control.RemovalPolicy;
import io.hivemind.core.control.RemovalReason;
import io.hivemind.core.membership.Address;
import io.hivemind.core.partition.MigrationRound;
import io.hivemind.core.partition.PartitionTable;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The leader's partition-table duty, planned from committed views only. */
class PartitionTableDutyTest {

  private final ControlState state = ControlState.empty(RemovalPolicy.DEFAULT);
  private final PartitionTableDuty duty = new PartitionTableDuty(64, 1);
  private long index;

  @Test
  void next_beforeBootstrapOrMembers_nothing() {
    assertThat(duty.next(state.view())).isEmpty();
    apply(new ControlCommand.Bootstrap("c1", "testing"));
    assertThat(duty.next(state.view())).isEmpty();
  }

  @Test
  void next_membersAdmitted_firstTableOfThemAllThenNothingOnceCommitted() {
    admit("a", "b", "c");

    PartitionTableDuty.Planned planned = duty.next(state.view()).orElseThrow();

    PartitionTable table = planned.command().table();
    assertThat(table.version()).isEqualTo(1);
    assertThat(table.partitionCount()).isEqualTo(64);
    assertThat(table.backupCount()).isEqualTo(1);
    assertThat(table.members()).extracting(m -> m.id()).containsExactly("id-a", "id-b", "id-c");
    assertThat(apply(planned.command())).isInstanceOf(ApplyResult.Applied.class);
    assertThat(duty.next(state.view())).isEmpty();
  }

  @Test
  void next_configuredBackups_firstTableHasThatMany() {
    admit("a", "b", "c", "d");

    PartitionTable table =
        new PartitionTableDuty(64, 2).next(state.view()).orElseThrow().command().table();

    assertThat(table.backupCount()).isEqualTo(2);
    assertThat(table.replicas()).allMatch(list -> list.size() == 3);
  }

  @Test
  void withBackups_noBackups_firstTableOfOwnersOnlyAtFullSize() {
    admit("a", "b", "c");

    PartitionTable table =
        PartitionTableDuty.withBackups(0).next(state.view()).orElseThrow().command().table();

    assertThat(table.partitionCount()).isEqualTo(PartitionTable.DEFAULT_PARTITION_COUNT);
    assertThat(table.backupCount()).isZero();
    assertThat(table.replicas()).allMatch(list -> list.size() == 1);
  }

  @Test
  void next_settingDiffersFromCommittedTable_committedCountStandsAndIsSaidOnce() {
    admit("a", "b", "c");
    apply(duty.next(state.view()).orElseThrow().command());
    admitMore("d");
    // A leader configured with 2 backups takes over a cluster whose first table has 1.
    PartitionTableDuty other = new PartitionTableDuty(64, 2);

    assertThat(other.backupsDifference(state.view().partitionTable()))
        .hasValueSatisfying(
            sentence ->
                assertThat(sentence)
                    .contains("partition_backups is 2")
                    .contains("backup count is 1")
                    .contains("the committed count stands"));
    assertThat(other.backupsDifference(state.view().partitionTable())).isEmpty();
    runToTheEnd(other);

    assertThat(state.view().partitionTable().orElseThrow().table().backupCount()).isEqualTo(1);
    assertThat(state.view().partitionTable().orElseThrow().table().replicas())
        .allMatch(list -> list.size() == 2);
  }

  @Test
  void backupsDifference_agreesOrNoTableYet_nothingToSay() {
    assertThat(duty.backupsDifference(state.view().partitionTable())).isEmpty();
    admit("a", "b", "c");
    apply(duty.next(state.view()).orElseThrow().command());

    assertThat(duty.backupsDifference(state.view().partitionTable())).isEmpty();
  }

  @Test
  void next_ownerRemoved_newLeaderPromotesFirstBackups() {
    admit("a", "b", "c");
    apply(duty.next(state.view()).orElseThrow().command());
    PartitionTable first = state.view().partitionTable().orElseThrow().table();
    apply(new ControlCommand.RemoveMember("id-a", RemovalReason.FAILED, List.of()));

    // Another duty instance: a new leader knows only the committed view.
    PartitionTableDuty.Planned planned = new PartitionTableDuty(64, 1).next(state.view()).get();

    PartitionTable next = planned.command().table();
    assertThat(next.version()).isEqualTo(2);
    assertThat(planned.promotions()).isPositive();
    assertThat(planned.command().inFlight())
        .as("promotion moves no data; only the lost backups are filled")
        .allMatch(move -> move.source() == null);
    for (int p = 0; p < 64; p++) {
      if (first.owner(p).orElseThrow().equals("id-a")) {
        assertThat(next.owner(p)).contains(first.replicas().get(p).get(1));
      }
      int partition = p;
      long filling =
          planned.command().inFlight().stream().filter(m -> m.partition() == partition).count();
      assertThat(next.replicas().get(p)).doesNotContain("id-a").hasSize(2 - (int) filling);
    }
    assertThat(apply(planned.command())).isInstanceOf(ApplyResult.Applied.class);
  }

  @Test
  void next_proposalRefusedAfterAnotherRemoval_plansAgainFromTheCommittedView() {
    admit("a", "b", "c", "d");
    apply(duty.next(state.view()).orElseThrow().command());
    apply(new ControlCommand.RemoveMember("id-a", RemovalReason.FAILED, List.of()));
    ControlCommand stale = duty.next(state.view()).orElseThrow().command();
    apply(new ControlCommand.RemoveMember("id-b", RemovalReason.FAILED, List.of()));

    assertThat(apply(stale)).isInstanceOf(ApplyResult.Refused.class);
    PartitionTableDuty.Planned retry = duty.next(state.view()).orElseThrow();

    assertThat(retry.command().table().version()).isEqualTo(2);
    assertThat(retry.command().table().members())
        .extracting(m -> m.id())
        .containsExactly("id-c", "id-d");
    assertThat(apply(retry.command())).isInstanceOf(ApplyResult.Applied.class);
  }

  @Test
  void next_memberJoins_movesStartBoundedThenCompleteToABalancedTable() {
    admit("a", "b", "c");
    apply(duty.next(state.view()).orElseThrow().command());
    admitMore("d");
    PartitionTableDuty bounded = new PartitionTableDuty(64, 1, 4);

    PartitionTableDuty.Planned planned = bounded.next(state.view()).orElseThrow();

    assertThat(planned.command().inFlight())
        .hasSize(4)
        .allMatch(m -> "id-d".equals(m.destination()));
    assertThat(planned.command().table().replicas()).noneMatch(list -> list.contains("id-d"));
    apply(planned.command());
    int rounds = runToTheEnd(bounded);

    CommittedPartitionTable end = state.view().partitionTable().orElseThrow();
    // 32 copies to id-d, 4 at a time: the first 4 started above.
    assertThat(rounds).isGreaterThanOrEqualTo(32 / 4 - 1);
    assertThat(end.inFlight()).isEmpty();
    assertThat(end.table().replicas()).allMatch(list -> list.size() == 2);
    long onD = end.table().replicas().stream().filter(list -> list.contains("id-d")).count();
    assertThat(onD).isEqualTo(32); // 128 replicas over 4 members
  }

  @Test
  void next_memberDrains_everythingMovesOffItBeforeItMayLeave() {
    admit("a", "b", "c", "d");
    apply(duty.next(state.view()).orElseThrow().command());
    assertThat(apply(new ControlCommand.DrainMember("id-a")))
        .isInstanceOf(ApplyResult.Applied.class);
    assertThat(state.view().holdsPartitions("id-a")).isTrue();

    runToTheEnd(duty);

    assertThat(state.view().draining("id-a")).isTrue();
    assertThat(state.view().holdsPartitions("id-a")).isFalse();
    assertThat(state.view().partitionTable().orElseThrow().table().replicas())
        .allMatch(list -> list.size() == 2);
  }

  @Test
  void next_fullSizeJoin_endsInFewRounds() {
    PartitionTableDuty full = PartitionTableDuty.defaults();
    admit("a", "b", "c");
    apply(full.next(state.view()).orElseThrow().command());
    admitMore("d");

    int rounds = runToTheEnd(full);

    // A fourth member gets a quarter of 32,768 replicas: 8,192 copies, 512 at a time.
    assertThat(rounds).isLessThanOrEqualTo(8192 / MigrationRound.DEFAULT_MAX_IN_FLIGHT + 1);
    long onD =
        state.view().partitionTable().orElseThrow().table().replicas().stream()
            .filter(list -> list.contains("id-d"))
            .count();
    assertThat(onD).isEqualTo(8192);
  }

  @Test
  void next_nothingChanged_emptyAgainWithoutReplanning() {
    admit("a", "b", "c");
    apply(duty.next(state.view()).orElseThrow().command());

    assertThat(duty.next(state.view())).isEmpty();
    assertThat(duty.next(state.view())).isEmpty();
  }

  /**
   * Commits the duty's tables and completes every move in flight (as the owners would report),
   * until the duty has nothing to do; returns the rounds it took.
   */
  private int runToTheEnd(PartitionTableDuty planner) {
    int rounds = 0;
    for (; rounds < 1_000; rounds++) {
      CommittedPartitionTable committed = state.view().partitionTable().orElseThrow();
      if (!committed.inFlight().isEmpty()) {
        ApplyResult done =
            apply(
                new ControlCommand.CompleteMoves(
                    committed.table().version(), committed.movesInFlight()));
        assertThat(done).isInstanceOf(ApplyResult.Applied.class);
      }
      var planned = planner.next(state.view());
      if (planned.isEmpty()) {
        return rounds;
      }
      assertThat(apply(planned.get().command())).isInstanceOf(ApplyResult.Applied.class);
    }
    throw new AssertionError("no end after " + rounds + " rounds");
  }

  private void admit(String... names) {
    apply(new ControlCommand.Bootstrap("c1", "testing"));
    admitMore(names);
  }

  private void admitMore(String... names) {
    for (String name : names) {
      ControlMember member =
          new ControlMember(
              "id-" + name,
              name,
              new Address("127.0.0.1", 7946),
              List.of(),
              "",
              "host-" + name,
              0,
              0);
      assertThat(apply(new ControlCommand.AdmitMember(member)))
          .isInstanceOf(ApplyResult.Applied.class);
    }
  }

  private ApplyResult apply(ControlCommand command) {
    return state.apply(++index, ControlEntry.of(1_000 * index, command));
  }
}
