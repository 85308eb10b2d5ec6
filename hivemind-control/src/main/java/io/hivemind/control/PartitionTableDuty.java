package io.hivemind.control;

import io.hivemind.core.control.CommittedPartitionTable;
import io.hivemind.core.control.ControlCommand;
import io.hivemind.core.control.ControlView;
import io.hivemind.core.control.PartitionMembers;
import io.hivemind.core.partition.PartitionAssigner;
import io.hivemind.core.partition.PartitionMember;
import io.hivemind.core.partition.PartitionTable;
import io.hivemind.core.partition.Rebalance;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * The leader's partition-table duty (issue 13): when the committed members differ from those the
 * committed table was planned for, plans the next table from the committed one ({@link
 * PartitionAssigner}: surviving replicas stay, so a removed owner's first backup becomes owner with
 * no data moved) and returns the command that commits it. Planning reads only the committed view,
 * so a new leader continues from the committed table, and a proposal the state machine refused
 * (planned before a membership change committed) is planned again on the next round.
 *
 * <p>Runs on the control role's duty thread, never on the Raft apply thread: planning 16,384
 * partitions takes up to a few hundred milliseconds at 1,000 members (ADR 0006).
 */
final class PartitionTableDuty {

  /**
   * Backups per partition: one, so a single crash loses nothing and promotion needs no copy, at
   * twice the data (issue 13's default). A constant until the agent's settings carry it.
   */
  static final int BACKUPS = 1;

  private final int partitionCount;
  private final int backups;

  PartitionTableDuty(int partitionCount, int backups) {
    this.partitionCount = partitionCount;
    this.backups = backups;
  }

  /** The duty with ADR 0006's partition count and {@link #BACKUPS}. */
  static PartitionTableDuty defaults() {
    return new PartitionTableDuty(PartitionTable.DEFAULT_PARTITION_COUNT, BACKUPS);
  }

  /** The next table's commit, or empty when the committed table fits the committed members. */
  Optional<Planned> next(ControlView view) {
    if (view.cluster().isEmpty() || view.members().isEmpty()) {
      return Optional.empty();
    }
    List<PartitionMember> members = new ArrayList<>(PartitionMembers.of(view.members()));
    members.sort(Comparator.comparing(PartitionMember::id));
    Optional<CommittedPartitionTable> committed = view.partitionTable();
    if (committed.isPresent() && committed.get().table().members().equals(members)) {
      return Optional.empty();
    }
    Rebalance plan =
        committed
            .map(c -> PartitionAssigner.next(c.table(), members))
            .orElseGet(() -> PartitionAssigner.initial(members, partitionCount, backups));
    return Optional.of(new Planned(new ControlCommand.CommitPartitionTable(plan.table()), plan));
  }

  /** A planned table: the command that commits it and what it costs. */
  record Planned(ControlCommand.CommitPartitionTable command, Rebalance plan) {}
}
