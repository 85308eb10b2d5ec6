package io.hivemind.control;

import io.hivemind.core.control.CommittedPartitionTable;
import io.hivemind.core.control.ControlCommand;
import io.hivemind.core.control.ControlView;
import io.hivemind.core.control.PartitionMembers;
import io.hivemind.core.partition.MigrationRound;
import io.hivemind.core.partition.PartitionMember;
import io.hivemind.core.partition.PartitionMove;
import io.hivemind.core.partition.PartitionTable;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The leader's partition-table duty (issue 13): runs one {@link MigrationRound} over the committed
 * view (serving table, its moves in flight, admitted and draining members) and returns the command
 * that commits the next table whenever it differs: members removed (their first backups promoted,
 * no data moved), moves completed (their partitions take the target's order), room for more moves,
 * a member draining. Planning reads only the committed view, so a new leader continues from the
 * committed table, and a proposal the state machine refused (planned before a removal, a drain or a
 * completion committed) is planned again on the next round.
 *
 * <p>Runs on the control role's duty thread, never on the Raft apply thread: a round over 16,384
 * partitions takes up to a few hundred milliseconds at 1,000 members (ADR 0006). A round that
 * changed nothing is remembered with the committed index and members it saw, so while moves stream
 * the duty does not replan the same view every tick.
 */
final class PartitionTableDuty {

  /**
   * Backups per partition when the agent sets none ({@code partition_backups}): one, so a single
   * crash loses nothing and promotion needs no copy, at twice the data (issue 13's default).
   */
  static final int BACKUPS = io.hivemind.server.role.ControlConfig.DEFAULT_PARTITION_BACKUPS;

  private static final Logger log = LoggerFactory.getLogger(PartitionTableDuty.class);

  private final int partitionCount;
  private final int backups;
  private final int maxInFlight;
  private Object unchangedAt;
  private boolean backupsDifferenceSaid;

  PartitionTableDuty(int partitionCount, int backups, int maxInFlight) {
    this.partitionCount = partitionCount;
    this.backups = backups;
    this.maxInFlight = maxInFlight;
  }

  PartitionTableDuty(int partitionCount, int backups) {
    this(partitionCount, backups, MigrationRound.DEFAULT_MAX_IN_FLIGHT);
  }

  /** The duty with ADR 0006's partition count, {@link #BACKUPS} and the default move bound. */
  static PartitionTableDuty defaults() {
    return withBackups(BACKUPS);
  }

  /**
   * The duty with ADR 0006's partition count and the default move bound, planning the cluster's
   * first table with {@code backups} backups per partition ({@code partition_backups}).
   */
  static PartitionTableDuty withBackups(int backups) {
    return new PartitionTableDuty(PartitionTable.DEFAULT_PARTITION_COUNT, backups);
  }

  /** The next table's commit, or empty when the committed table and its moves stand. */
  Optional<Planned> next(ControlView view) {
    if (view.cluster().isEmpty() || view.members().isEmpty()) {
      return Optional.empty();
    }
    Optional<CommittedPartitionTable> committed = view.partitionTable();
    backupsDifference(committed).ifPresent(log::warn);
    Object key = committed.map(c -> List.of(c.index(), view.members(), c.draining()));
    if (committed.isPresent() && key.equals(unchangedAt)) {
      return Optional.empty();
    }
    List<PartitionMember> members = PartitionMembers.of(view.members());
    PartitionTable serving = committed.map(CommittedPartitionTable::table).orElse(null);
    List<PartitionMove> inFlight =
        committed.map(CommittedPartitionTable::inFlight).orElse(List.of());
    Set<String> draining = new HashSet<>(committed.map(c -> c.draining()).orElse(List.of()));
    MigrationRound.Result round =
        MigrationRound.next(
            serving, inFlight, members, draining, partitionCount, backups, maxInFlight);
    if (!round.changes(serving)) {
      unchangedAt = key;
      return Optional.empty();
    }
    unchangedAt = null;
    return Optional.of(
        new Planned(
            new ControlCommand.CommitPartitionTable(round.table(), round.inFlight()),
            promotions(serving, round.table()),
            started(inFlight, round.inFlight())));
  }

  /**
   * The sentence for this leader's setting differing from the committed table's backup count, the
   * first time only (the duty runs every round). The count is fixed at the first table:
   * MigrationRound keeps the serving table's, because changing it would re-plan every partition's
   * replicas at once. Empty when they agree, before the first table, and after it was said.
   */
  Optional<String> backupsDifference(Optional<CommittedPartitionTable> committed) {
    if (backupsDifferenceSaid
        || committed.isEmpty()
        || committed.get().table().backupCount() == backups) {
      return Optional.empty();
    }
    backupsDifferenceSaid = true;
    return Optional.of(
        "partition_backups is "
            + backups
            + " on this control node, but the committed partition table's backup count is "
            + committed.get().table().backupCount()
            + ": the committed count stands (it is fixed when the"
            + " cluster's first table is planned); set the same partition_backups on every"
            + " control node");
  }

  /** Partitions whose owner went and whose surviving backup took over (no data moved). */
  private static int promotions(PartitionTable serving, PartitionTable next) {
    if (serving == null) {
      return 0;
    }
    Set<String> ids = next.membersById().keySet();
    int promotions = 0;
    for (int p = 0; p < next.partitionCount(); p++) {
      Optional<String> before = serving.owner(p);
      if (before.isPresent() && !ids.contains(before.get()) && next.owner(p).isPresent()) {
        promotions++;
      }
    }
    return promotions;
  }

  private static int started(List<PartitionMove> before, List<PartitionMove> after) {
    Set<PartitionMove> old = new HashSet<>(before);
    return (int) after.stream().filter(move -> !old.contains(move)).count();
  }

  /**
   * A planned table.
   *
   * @param command the command that commits it with its moves in flight
   * @param promotions partitions whose removed owner's first surviving backup now owns them
   * @param started moves this round starts
   */
  record Planned(ControlCommand.CommitPartitionTable command, int promotions, int started) {}
}
