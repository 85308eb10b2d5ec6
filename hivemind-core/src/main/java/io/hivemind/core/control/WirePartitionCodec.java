package io.hivemind.core.control;

import io.hivemind.core.partition.MoveInFlight;
import io.hivemind.core.partition.PartitionMember;
import io.hivemind.core.partition.PartitionMove;
import io.hivemind.core.partition.PartitionTable;
import io.hivemind.core.wire.proto.WireCommitPartitionTable;
import io.hivemind.core.wire.proto.WireCommittedPartitionTable;
import io.hivemind.core.wire.proto.WireCompleteMoves;
import io.hivemind.core.wire.proto.WireDrainMember;
import io.hivemind.core.wire.proto.WirePartitionMember;
import io.hivemind.core.wire.proto.WirePartitionMove;
import io.hivemind.core.wire.proto.WirePartitionTable;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The partition-table part of control.proto (numbers 40-49): the table commit, move completions
 * (41) and drains (42); a table as its member list and one packed slot array of member positions,
 * so an entry of 16,384 partitions with one backup is about 32-64 KiB (ADR 0006). Decoding bounds
 * the counts before allocating and leaves the structural rules to {@link PartitionTable}'s
 * constructor, whose refusal becomes a {@link ControlDecodeException}.
 *
 * <p>Stateless.
 */
final class WirePartitionCodec {

  /** Most members a table may name: one per partition at most, since a member may own none. */
  static final int MAX_MEMBERS = PartitionTable.MAX_PARTITIONS;

  private WirePartitionCodec() {}

  static WireCommitPartitionTable commit(ControlCommand.CommitPartitionTable commit) {
    return WireCommitPartitionTable.newBuilder()
        .setTable(table(commit.table()))
        .addAllInFlight(wireMoves(commit.inFlight()))
        .build();
  }

  static ControlCommand commit(WireCommitPartitionTable wire) throws ControlDecodeException {
    if (!wire.hasTable()) {
      throw new ControlDecodeException("partition table commit without a table");
    }
    return new ControlCommand.CommitPartitionTable(
        table(wire.getTable()), moves(wire.getInFlightList()));
  }

  static WireCompleteMoves complete(ControlCommand.CompleteMoves complete) {
    WireCompleteMoves.Builder wire =
        WireCompleteMoves.newBuilder().setTableVersion(complete.tableVersion());
    for (MoveInFlight move : complete.moves()) {
      wire.addMoves(wireMove(move.move())).addSince(move.since());
    }
    return wire.build();
  }

  static ControlCommand complete(WireCompleteMoves wire) throws ControlDecodeException {
    List<PartitionMove> moves = moves(wire.getMovesList());
    if (wire.getSinceCount() != moves.size()) {
      throw new ControlDecodeException(
          wire.getSinceCount() + " start versions for " + moves.size() + " completed moves");
    }
    List<MoveInFlight> runs = new ArrayList<>(moves.size());
    for (int i = 0; i < moves.size(); i++) {
      runs.add(new MoveInFlight(moves.get(i), startVersion(wire.getSince(i))));
    }
    return new ControlCommand.CompleteMoves(wire.getTableVersion(), runs);
  }

  private static long startVersion(long since) throws ControlDecodeException {
    if (since < 1) {
      throw new ControlDecodeException("a move's run starts at a table version >= 1: " + since);
    }
    return since;
  }

  static WireDrainMember drain(ControlCommand.DrainMember drain) {
    return WireDrainMember.newBuilder().setMemberId(drain.memberId()).build();
  }

  static ControlCommand drain(WireDrainMember wire) {
    return new ControlCommand.DrainMember(wire.getMemberId());
  }

  static WireCommittedPartitionTable committed(CommittedPartitionTable committed) {
    return WireCommittedPartitionTable.newBuilder()
        .setTable(table(committed.table()))
        .setIndex(committed.index())
        .addAllInFlight(wireMoves(committed.inFlight()))
        .addAllInFlightSince(committed.since())
        .addAllDraining(committed.draining())
        .build();
  }

  static List<WirePartitionMove> wireMoves(List<PartitionMove> moves) {
    List<WirePartitionMove> wire = new ArrayList<>(moves.size());
    for (PartitionMove move : moves) {
      wire.add(wireMove(move));
    }
    return wire;
  }

  private static WirePartitionMove wireMove(PartitionMove move) {
    return WirePartitionMove.newBuilder()
        .setPartition(move.partition())
        .setReplicaIndex(move.replicaIndex())
        .setSource(move.source() == null ? "" : move.source())
        .setDestination(move.destination() == null ? "" : move.destination())
        .build();
  }

  /**
   * Moves as records, their count bounded by the largest table: the rules that relate them to a
   * table are the state machine's ({@link PartitionMoveRules}).
   */
  static List<PartitionMove> moves(List<WirePartitionMove> wire) throws ControlDecodeException {
    if (wire.size() > PartitionTable.MAX_PARTITIONS) {
      throw new ControlDecodeException("more than " + PartitionTable.MAX_PARTITIONS + " moves");
    }
    List<PartitionMove> moves = new ArrayList<>(wire.size());
    for (WirePartitionMove move : wire) {
      long partition = Integer.toUnsignedLong(move.getPartition());
      long index = Integer.toUnsignedLong(move.getReplicaIndex());
      if (partition >= PartitionTable.MAX_PARTITIONS || index > PartitionTable.MAX_BACKUPS) {
        throw new ControlDecodeException(
            "move of partition " + partition + " at replica index " + index);
      }
      try {
        moves.add(
            new PartitionMove(
                (int) partition,
                (int) index,
                emptyAsNull(move.getSource()),
                emptyAsNull(move.getDestination())));
      } catch (IllegalArgumentException e) {
        throw new ControlDecodeException("partition move: " + e.getMessage(), e);
      }
    }
    return moves;
  }

  private static String emptyAsNull(String id) {
    return id.isEmpty() ? null : id;
  }

  /** A snapshot's committed table, checked against the snapshot's index. */
  static Optional<CommittedPartitionTable> committed(
      boolean present, WireCommittedPartitionTable wire, long snapshotIndex)
      throws ControlDecodeException {
    if (!present) {
      return Optional.empty();
    }
    if (wire.getIndex() < 1 || wire.getIndex() > snapshotIndex || !wire.hasTable()) {
      throw new ControlDecodeException(
          "snapshot partition table committed at index "
              + wire.getIndex()
              + ", snapshot at "
              + snapshotIndex);
    }
    if (wire.getDrainingCount() > MAX_MEMBERS) {
      throw new ControlDecodeException("snapshot names " + wire.getDrainingCount() + " draining");
    }
    PartitionTable table = table(wire.getTable());
    List<PartitionMove> inFlight = moves(wire.getInFlightList());
    if (wire.getInFlightSinceCount() == 0) {
      return Optional.of(
          new CommittedPartitionTable(table, wire.getIndex(), inFlight, wire.getDrainingList()));
    }
    if (wire.getInFlightSinceCount() != inFlight.size()) {
      throw new ControlDecodeException(
          wire.getInFlightSinceCount() + " start versions for " + inFlight.size() + " moves");
    }
    List<Long> since = new ArrayList<>(inFlight.size());
    for (long started : wire.getInFlightSinceList()) {
      since.add(startVersion(started));
    }
    return Optional.of(
        new CommittedPartitionTable(
            table, wire.getIndex(), inFlight, since, wire.getDrainingList()));
  }

  static WirePartitionTable table(PartitionTable table) {
    WirePartitionTable.Builder wire =
        WirePartitionTable.newBuilder()
            .setVersion(table.version())
            .setPartitionCount(table.partitionCount())
            .setBackupCount(table.backupCount());
    Map<String, Integer> position = new HashMap<>();
    for (PartitionMember member : table.members()) {
      position.put(member.id(), position.size() + 1);
      wire.addMembers(
          WirePartitionMember.newBuilder()
              .setId(member.id())
              .setHost(member.host())
              .setZone(member.zone()));
    }
    int width = table.backupCount() + 1;
    for (List<String> replicas : table.replicas()) {
      for (int i = 0; i < width; i++) {
        wire.addSlots(i < replicas.size() ? position.get(replicas.get(i)) : 0);
      }
    }
    return wire.build();
  }

  static PartitionTable table(WirePartitionTable wire) throws ControlDecodeException {
    long partitions = Integer.toUnsignedLong(wire.getPartitionCount());
    long backups = Integer.toUnsignedLong(wire.getBackupCount());
    if (wire.getVersion() < 1
        || partitions < 1
        || partitions > PartitionTable.MAX_PARTITIONS
        || backups > PartitionTable.MAX_BACKUPS) {
      throw new ControlDecodeException(
          "partition table version "
              + wire.getVersion()
              + ", "
              + partitions
              + " partitions, "
              + backups
              + " backups");
    }
    int width = (int) backups + 1;
    if (wire.getSlotsCount() != partitions * width || wire.getMembersCount() > MAX_MEMBERS) {
      throw new ControlDecodeException(
          "partition table of "
              + partitions
              + " partitions and "
              + backups
              + " backups has "
              + wire.getSlotsCount()
              + " slots and "
              + wire.getMembersCount()
              + " members");
    }
    try {
      List<PartitionMember> members = new ArrayList<>(wire.getMembersCount());
      for (WirePartitionMember member : wire.getMembersList()) {
        members.add(new PartitionMember(member.getId(), member.getHost(), member.getZone()));
      }
      List<List<String>> replicas = new ArrayList<>((int) partitions);
      for (int p = 0; p < partitions; p++) {
        replicas.add(replicas(wire, members, p, width));
      }
      return new PartitionTable(
          wire.getVersion(), (int) partitions, (int) backups, members, replicas);
    } catch (IllegalArgumentException e) {
      throw new ControlDecodeException("partition table: " + e.getMessage(), e);
    }
  }

  private static List<String> replicas(
      WirePartitionTable wire, List<PartitionMember> members, int p, int width)
      throws ControlDecodeException {
    List<String> replicas = new ArrayList<>(width);
    boolean ended = false;
    for (int i = 0; i < width; i++) {
      long slot = Integer.toUnsignedLong(wire.getSlots(p * width + i));
      if (slot == 0) {
        ended = true;
      } else if (ended || slot > members.size()) {
        throw new ControlDecodeException(
            "partition "
                + p
                + ": slot "
                + i
                + " refers to member "
                + slot
                + " after a gap or none");
      } else {
        replicas.add(members.get((int) slot - 1).id());
      }
    }
    return replicas;
  }
}
