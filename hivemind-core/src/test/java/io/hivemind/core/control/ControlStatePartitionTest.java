package io.hivemind.core.control;

import static io.hivemind.core.control.ControlLog.remove;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.hivemind.core.membership.Address;
import io.hivemind.core.partition.PartitionAssigner;
import io.hivemind.core.partition.PartitionMember;
import io.hivemind.core.partition.PartitionTable;
import io.hivemind.core.wire.proto.WireEntry;
import io.hivemind.core.wire.proto.WirePartitionTable;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The committed partition table (issue 13): only the next version, of admitted members with their
 * admitted host and zone, with fixed counts, is committed; it survives a snapshot; its wire form is
 * compact and checked.
 */
class ControlStatePartitionTest {

  private final ControlLog log = ControlLog.bootstrapped();

  @Test
  void commit_firstTableOfAdmittedMembers_committedAtItsIndex() {
    admitThree();

    ApplyResult result = log.apply(firstTable(log.state.view(), 64, 1));

    assertThat(result).isInstanceOf(ApplyResult.Applied.class);
    CommittedPartitionTable committed = log.state.view().partitionTable().orElseThrow();
    assertThat(committed.index()).isEqualTo(result.index());
    assertThat(committed.table().version()).isEqualTo(1);
    assertThat(committed.table().members()).hasSize(3);
  }

  @Test
  void commit_wrongVersion_refusedInvalidAndNothingChanges() {
    admitThree();
    ControlCommand.CommitPartitionTable first = firstTable(log.state.view(), 64, 1);
    log.apply(first);
    CommittedPartitionTable before = log.state.view().partitionTable().orElseThrow();

    ApplyResult again = log.apply(first); // a former leader's proposal, applied twice
    ApplyResult skipping =
        log.apply(new ControlCommand.CommitPartitionTable(withVersion(first.table(), 3)));

    assertRefused(again, "version 1 is not the next one, 2");
    assertRefused(skipping, "version 3 is not the next one, 2");
    assertThat(log.state.view().partitionTable()).contains(before);
  }

  @Test
  void commit_firstTableNotVersionOne_refused() {
    admitThree();
    ControlCommand.CommitPartitionTable first = firstTable(log.state.view(), 64, 1);

    assertRefused(
        log.apply(new ControlCommand.CommitPartitionTable(withVersion(first.table(), 2))),
        "version 2 is not the next one, 1");
    assertThat(log.state.view().partitionTable()).isEmpty();
  }

  @Test
  void commit_removedMember_refusedNamingIt() {
    admitThree();
    ControlCommand.CommitPartitionTable planned = firstTable(log.state.view(), 64, 1);
    log.apply(remove("id-c", RemovalReason.FAILED)); // committed before the proposal

    assertRefused(log.apply(planned), "member id-c is not an admitted member");
  }

  @Test
  void commit_hostNotTheAdmittedOne_refused() {
    admitThree();
    List<PartitionMember> members = new ArrayList<>();
    for (ControlMember m : log.state.view().members()) {
      members.add(new PartitionMember(m.id(), "elsewhere-" + m.id(), m.zone()));
    }
    PartitionTable table = PartitionAssigner.initial(members, 64, 1).table();

    assertRefused(
        log.apply(new ControlCommand.CommitPartitionTable(table)), "not its admitted ones");
  }

  @Test
  void commit_countsChanged_refused() {
    admitThree();
    log.apply(firstTable(log.state.view(), 64, 1));
    List<PartitionMember> members = PartitionMembers.of(log.state.view().members());
    PartitionTable moreBackups = withVersion(PartitionAssigner.initial(members, 64, 2).table(), 2);
    PartitionTable morePartitions =
        withVersion(PartitionAssigner.initial(members, 128, 1).table(), 2);

    assertRefused(
        log.apply(new ControlCommand.CommitPartitionTable(moreBackups)), "fixed at 64 and 1");
    assertRefused(
        log.apply(new ControlCommand.CommitPartitionTable(morePartitions)), "fixed at 64 and 1");
  }

  @Test
  void commit_afterRemoval_promotesTheFirstBackupWithNoCopy() {
    admitThree();
    log.apply(firstTable(log.state.view(), 64, 1));
    PartitionTable first = log.state.view().partitionTable().orElseThrow().table();
    log.apply(remove("id-a", RemovalReason.FAILED));

    PartitionTable next =
        PartitionAssigner.next(first, PartitionMembers.of(log.state.view().members())).table();
    ApplyResult result = log.apply(new ControlCommand.CommitPartitionTable(next));

    assertThat(result).isInstanceOf(ApplyResult.Applied.class);
    PartitionTable committed = log.state.view().partitionTable().orElseThrow().table();
    assertThat(committed.version()).isEqualTo(2);
    for (int p = 0; p < first.partitionCount(); p++) {
      assertThat(committed.replicas().get(p)).doesNotContain("id-a");
      if (first.owner(p).orElseThrow().equals("id-a")) {
        assertThat(committed.owner(p)).contains(first.replicas().get(p).get(1));
      }
    }
  }

  @Test
  void snapshot_withTable_restoresAndRoundTrips() throws ControlDecodeException {
    admitThree();
    log.apply(firstTable(log.state.view(), 64, 1));
    ControlSnapshot snapshot = log.state.snapshot();

    ControlSnapshot decoded =
        WireControlCodec.decodeSnapshot(WireControlCodec.encodeSnapshot(snapshot));
    ControlState restored = ControlState.restore(decoded, RemovalPolicy.DEFAULT);

    assertThat(decoded).isEqualTo(snapshot);
    assertThat(restored.view().partitionTable()).isEqualTo(log.state.view().partitionTable());
    // The restored replica refuses what the original refuses: version 1 again.
    assertRefused(
        restored.apply(log.nextIndex, ControlEntry.of(1, firstTable(restored.view(), 64, 1))),
        "not the next one, 2");
  }

  @Test
  void wire_fullSizeTable_fitsAnEntryCompactly() throws ControlDecodeException {
    List<PartitionMember> members = new ArrayList<>();
    for (int i = 0; i < 100; i++) {
      members.add(PartitionMember.onHost("member-" + i, "host-" + i));
    }
    PartitionTable table =
        PartitionAssigner.initial(members, PartitionTable.DEFAULT_PARTITION_COUNT, 1).table();
    ControlEntry entry = ControlEntry.of(1, new ControlCommand.CommitPartitionTable(table));

    byte[] bytes = WireControlCodec.encodeEntry(entry);

    // One byte a replica below 128 members, plus the member list.
    assertThat(bytes.length).isLessThan(2 * PartitionTable.DEFAULT_PARTITION_COUNT + 4_000);
    assertThat(WireControlCodec.decodeEntry(bytes)).isEqualTo(entry);
  }

  @Test
  void wire_badSlots_refusedNamingTheProblem() {
    WirePartitionTable good = WirePartitionCodec.table(threeMemberTable().table());

    assertTableFails(good.toBuilder().addSlots(0).build(), "slots");
    assertTableFails(good.toBuilder().setSlots(0, 9).build(), "refers to member 9");
    assertTableFails(good.toBuilder().setSlots(0, 0).build(), "after a gap");
    assertTableFails(
        good.toBuilder().setSlots(1, good.getSlots(0)).build(), "is not a member or appears twice");
    assertTableFails(good.toBuilder().setPartitionCount(0).build(), "0 partitions");
    assertTableFails(good.toBuilder().setBackupCount(7).build(), "7 backups");
    assertTableFails(good.toBuilder().setVersion(0).build(), "version 0");
  }

  /** A table of three members on three hosts, 16 partitions, one backup (version 1). */
  static ControlCommand.CommitPartitionTable threeMemberTable() {
    List<PartitionMember> members =
        List.of(
            PartitionMember.onHost("id-a", "host-a"),
            PartitionMember.onHost("id-b", "host-b"),
            PartitionMember.onHost("id-c", "host-c"));
    return new ControlCommand.CommitPartitionTable(
        PartitionAssigner.initial(members, 16, 1).table());
  }

  /** The first table for a view's admitted members. */
  static ControlCommand.CommitPartitionTable firstTable(
      ControlView view, int partitions, int backups) {
    return new ControlCommand.CommitPartitionTable(
        PartitionAssigner.initial(PartitionMembers.of(view.members()), partitions, backups)
            .table());
  }

  private void admitThree() {
    for (String name : List.of("a", "b", "c")) {
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
  }

  private static PartitionTable withVersion(PartitionTable table, long version) {
    return new PartitionTable(
        version, table.partitionCount(), table.backupCount(), table.members(), table.replicas());
  }

  private static void assertRefused(ApplyResult result, String message) {
    assertThat(result).isInstanceOf(ApplyResult.Refused.class);
    ApplyResult.Refused refused = (ApplyResult.Refused) result;
    assertThat(refused.code()).isEqualTo(RefusalCode.INVALID);
    assertThat(refused.message()).contains(message);
  }

  private static void assertTableFails(WirePartitionTable table, String message) {
    WireEntry entry =
        WireEntry.newBuilder()
            .setVersion(1)
            .setCommitPartitionTable(
                io.hivemind.core.wire.proto.WireCommitPartitionTable.newBuilder().setTable(table))
            .build();
    assertThatThrownBy(() -> WireControlCodec.decodeEntry(entry.toByteArray()))
        .isInstanceOf(ControlDecodeException.class)
        .hasMessageContaining(message);
  }
}
