package io.hivemind.core.control;

import static io.hivemind.core.control.ControlLog.remove;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.hivemind.core.membership.Address;
import io.hivemind.core.partition.MoveInFlight;
import io.hivemind.core.partition.PartitionMove;
import io.hivemind.core.partition.PartitionTable;
import io.hivemind.core.wire.proto.WireCompleteMoves;
import io.hivemind.core.wire.proto.WireEntry;
import io.hivemind.core.wire.proto.WirePartitionMove;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Moves in flight, their completion and drains in the control state (issue 13): a table commits
 * with its moves, a completion replaces the source by the destination in one new version, a
 * repeated completion changes nothing, a drain is recorded until the member goes; all survive a
 * snapshot and the wire.
 */
class ControlStateMovesTest {

  private final ControlLog log = ControlLog.bootstrapped();

  @Test
  void commit_withMoveInFlight_destinationHoldsButIsNoReplica() {
    PartitionTable first = firstTableThenAdmitD();
    PartitionMove move = moveToD(first, 0);

    ApplyResult result =
        log.apply(new ControlCommand.CommitPartitionTable(next(first), List.of(move)));

    assertThat(result).isInstanceOf(ApplyResult.Applied.class);
    CommittedPartitionTable committed = committed();
    assertThat(committed.inFlight()).containsExactly(move);
    assertThat(committed.table().replicas().get(0)).doesNotContain("id-d");
    assertThat(log.state.view().holdsPartitions("id-d")).isTrue();
  }

  @Test
  void commit_badMoves_refusedNamingTheProblem() {
    PartitionTable first = firstTableThenAdmitD();
    PartitionMove ok = moveToD(first, 0);
    String owner = first.owner(1).orElseThrow();
    PartitionTable table = next(first);

    assertRefused(
        log.apply(commit(table, ok, new PartitionMove(0, 0, ok.source(), "id-d"))), "second move");
    assertRefused(
        log.apply(commit(table, new PartitionMove(1, 0, null, owner))), "a replica already");
    assertRefused(
        log.apply(commit(table, new PartitionMove(1, 0, owner, null))), "never in flight");
    assertRefused(
        log.apply(commit(table, new PartitionMove(1, 0, null, "id-d"))), "fill of a full");
    assertRefused(
        log.apply(commit(table, new PartitionMove(99, 0, owner, "id-d"))), "no such partition");
    assertThat(committed().table()).isEqualTo(first);
  }

  @Test
  void complete_inFlight_destinationReplacesSourceInTheNextVersion() {
    PartitionTable first = firstTableThenAdmitD();
    PartitionMove move = moveToD(first, 0);
    log.apply(commit(next(first), move));

    ApplyResult result =
        log.apply(new ControlCommand.CompleteMoves(2, List.of(new MoveInFlight(move, 2))));

    assertThat(result).isInstanceOf(ApplyResult.Applied.class);
    CommittedPartitionTable committed = committed();
    assertThat(committed.table().version()).isEqualTo(3);
    assertThat(committed.index()).isEqualTo(result.index());
    assertThat(committed.inFlight()).isEmpty();
    List<String> before = first.replicas().get(0);
    assertThat(committed.table().replicas().get(0)).containsExactly(before.get(0), "id-d");
  }

  @Test
  void complete_ofAnEarlierRunOfTheSameMove_changesNothing() {
    PartitionTable first = firstTableThenAdmitD();
    PartitionMove move = moveToD(first, 0);
    log.apply(commit(next(first), move)); // v2: the move's first run
    PartitionTable second = committed().table();
    log.apply(commit(next(second))); // v3: replanned away (its destination may delete the copy)
    log.apply(commit(next(committed().table()), move)); // v4: the same move, a second run
    assertThat(committed().sinceByMove()).containsEntry(move, 4L);

    ApplyResult stale =
        log.apply(new ControlCommand.CompleteMoves(3, List.of(new MoveInFlight(move, 2))));

    assertThat(stale).isInstanceOf(ApplyResult.Applied.class);
    assertThat(committed().table().version()).isEqualTo(4);
    assertThat(committed().inFlight()).containsExactly(move);
    log.apply(new ControlCommand.CompleteMoves(4, List.of(new MoveInFlight(move, 4))));
    assertThat(committed().inFlight()).isEmpty();
    assertThat(committed().table().replicas().get(0)).contains("id-d");
  }

  @Test
  void aMoveStillInFlight_keepsItsStartAcrossCommits() {
    PartitionTable first = firstTableThenAdmitD();
    PartitionMove move = moveToD(first, 0);
    log.apply(commit(next(first), move));
    log.apply(commit(next(committed().table()), move));
    log.apply(new ControlCommand.DrainMember("id-a"));

    assertThat(committed().sinceByMove()).containsEntry(move, 2L);
    assertThat(committed().movesInFlight()).containsExactly(new MoveInFlight(move, 2));
  }

  @Test
  void complete_oneOfTwoMoves_theOtherKeepsItsStart() {
    PartitionTable first = firstTableThenAdmitD();
    PartitionMove early = moveToD(first, 0);
    log.apply(commit(next(first), early)); // v2: early starts
    PartitionMove late = moveToD(committed().table(), 1);
    log.apply(commit(next(committed().table()), early, late)); // v3: late starts

    log.apply(new ControlCommand.CompleteMoves(3, List.of(new MoveInFlight(late, 3))));

    assertThat(committed().movesInFlight()).containsExactly(new MoveInFlight(early, 2));
    assertThat(committed().sinceByMove()).containsExactly(java.util.Map.entry(early, 2L));
    assertThat(committed().table().replicas().get(1)).contains("id-d");
  }

  @Test
  void complete_repeatedOrNotInFlight_changesNothing() {
    PartitionTable first = firstTableThenAdmitD();
    PartitionMove move = moveToD(first, 0);
    log.apply(commit(next(first), move));
    log.apply(new ControlCommand.CompleteMoves(2, List.of(new MoveInFlight(move, 2))));
    CommittedPartitionTable after = committed();

    ApplyResult again =
        log.apply(new ControlCommand.CompleteMoves(2, List.of(new MoveInFlight(move, 2))));
    ApplyResult other =
        log.apply(
            new ControlCommand.CompleteMoves(
                3, List.of(new MoveInFlight(moveToD(after.table(), 1), 3))));

    assertThat(again).isInstanceOf(ApplyResult.Applied.class);
    assertThat(other).isInstanceOf(ApplyResult.Applied.class);
    assertThat(committed()).isEqualTo(after);
  }

  @Test
  void drain_admittedMember_recordedUntilItIsRemoved() {
    PartitionTable first = firstTableThenAdmitD();

    assertThat(log.apply(new ControlCommand.DrainMember("id-c")))
        .isInstanceOf(ApplyResult.Applied.class);
    assertThat(log.state.view().draining("id-c")).isTrue();
    assertThat(log.state.view().holdsPartitions("id-c")).isTrue();
    log.apply(commit(next(first)));
    assertThat(log.state.view().draining("id-c")).as("kept by a new table").isTrue();

    log.apply(remove("id-c", RemovalReason.LEFT));
    log.apply(commit(without(committed().table(), "id-c")));
    assertThat(log.state.view().draining("id-c")).isFalse();
  }

  @Test
  void drain_unknownMember_refused() {
    firstTableThenAdmitD();

    assertRefused(log.apply(new ControlCommand.DrainMember("id-z")), "id-z is not admitted");
    assertRefused(log.apply(new ControlCommand.DrainMember("")), "member");
  }

  @Test
  void snapshot_withMovesAndDrains_roundTrips() throws ControlDecodeException {
    PartitionTable first = firstTableThenAdmitD();
    log.apply(commit(next(first), moveToD(first, 0), moveToD(first, 3)));
    log.apply(new ControlCommand.DrainMember("id-a"));
    ControlSnapshot snapshot = log.state.snapshot();

    ControlSnapshot decoded =
        WireControlCodec.decodeSnapshot(WireControlCodec.encodeSnapshot(snapshot));

    assertThat(decoded).isEqualTo(snapshot);
    assertThat(decoded.view().partitionTable().orElseThrow().inFlight()).hasSize(2);
    assertThat(decoded.view().draining("id-a")).isTrue();
  }

  @Test
  void wire_completeAndDrain_roundTrip() throws ControlDecodeException {
    for (ControlCommand command :
        List.<ControlCommand>of(
            new ControlCommand.CompleteMoves(
                7,
                List.of(
                    new MoveInFlight(new PartitionMove(3, 1, "a", "b"), 5),
                    new MoveInFlight(new PartitionMove(4, 2, null, "c"), 7))),
            new ControlCommand.DrainMember("id-a"),
            new ControlCommand.CommitPartitionTable(
                ControlStatePartitionTest.threeMemberTable().table(),
                List.of(new PartitionMove(2, 0, "id-a", "id-d"))))) {
      ControlEntry entry = ControlEntry.of(1, command);
      assertThat(WireControlCodec.decodeEntry(WireControlCodec.encodeEntry(entry)))
          .isEqualTo(entry);
    }
  }

  @Test
  void wire_badMove_refused() {
    assertMoveFails(WirePartitionMove.newBuilder().setPartition(1 << 20), "partition 1048576");
    assertMoveFails(WirePartitionMove.newBuilder().setReplicaIndex(9), "replica index 9");
    assertMoveFails(WirePartitionMove.newBuilder().setPartition(1), "a source or a destination");
  }

  private static void assertMoveFails(WirePartitionMove.Builder move, String message) {
    WireEntry entry =
        WireEntry.newBuilder()
            .setVersion(1)
            .setCompleteMoves(WireCompleteMoves.newBuilder().setTableVersion(1).addMoves(move))
            .build();
    assertThatThrownBy(() -> WireControlCodec.decodeEntry(entry.toByteArray()))
        .isInstanceOf(ControlDecodeException.class)
        .hasMessageContaining(message);
  }

  /** Admits a, b and c, commits their first table (16 partitions, 1 backup), then admits d. */
  private PartitionTable firstTableThenAdmitD() {
    for (String name : List.of("a", "b", "c")) {
      admit(name);
    }
    log.apply(ControlStatePartitionTest.firstTable(log.state.view(), 16, 1));
    admit("d");
    return committed().table();
  }

  private void admit(String name) {
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
    assertThat(log.apply(new ControlCommand.AdmitMember(member)))
        .isInstanceOf(ApplyResult.Applied.class);
  }

  /** The same replicas as the next version, naming every admitted member. */
  private PartitionTable next(PartitionTable table) {
    return new PartitionTable(
        table.version() + 1,
        table.partitionCount(),
        table.backupCount(),
        PartitionMembers.of(log.state.view().members()).stream()
            .sorted(java.util.Comparator.comparing(m -> m.id()))
            .toList(),
        table.replicas());
  }

  private PartitionTable without(PartitionTable table, String id) {
    PartitionTable less = table.withoutMembers(List.of(id));
    return new PartitionTable(
        table.version() + 1,
        less.partitionCount(),
        less.backupCount(),
        less.members(),
        less.replicas());
  }

  /** Partition p's first backup is replaced by id-d. */
  private static PartitionMove moveToD(PartitionTable table, int p) {
    return new PartitionMove(p, 1, table.replicas().get(p).get(1), "id-d");
  }

  private static ControlCommand.CommitPartitionTable commit(
      PartitionTable table, PartitionMove... moves) {
    return new ControlCommand.CommitPartitionTable(table, List.of(moves));
  }

  private CommittedPartitionTable committed() {
    return log.state.view().partitionTable().orElseThrow();
  }

  private void assertRefused(ApplyResult result, String message) {
    assertThat(result).isInstanceOf(ApplyResult.Refused.class);
    assertThat(((ApplyResult.Refused) result).message()).contains(message);
  }
}
