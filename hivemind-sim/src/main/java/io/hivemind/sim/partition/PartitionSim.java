package io.hivemind.sim.partition;

import io.hivemind.core.partition.MigrationRound;
import io.hivemind.core.partition.MoveCompletion;
import io.hivemind.core.partition.PartitionAssigner;
import io.hivemind.core.partition.PartitionMember;
import io.hivemind.core.partition.PartitionMove;
import io.hivemind.core.partition.PartitionTable;
import io.hivemind.core.partition.Rebalance;
import io.hivemind.core.partition.TableBalance;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.function.LongSupplier;

/**
 * Runs a {@link PartitionScenario}: the first table, then for each event the next table, the
 * migration plan from what the cluster serves to it, and the migration stepped to completion in
 * rounds of parallel moves. Single-threaded; the only clock is the injected one that times the
 * planning, so a fixed clock makes the whole report a function of the scenario.
 */
public final class PartitionSim {

  /** A migration that has not converged after this many rounds is reported unconverged. */
  static final int MAX_ROUNDS = 10_000;

  private final PartitionScenario scenario;
  private final LongSupplier nanoClock;
  private final Random random;
  private final List<PartitionMember> members = new ArrayList<>();
  private int nextId;
  private boolean converged = true;

  /**
   * A simulator for one scenario.
   *
   * @param scenario the scenario
   * @param nanoClock reads the time planning takes ({@code System::nanoTime} from the CLI)
   */
  public PartitionSim(PartitionScenario scenario, LongSupplier nanoClock) {
    this.scenario = scenario;
    this.nanoClock = nanoClock;
    this.random = new Random(scenario.seed());
  }

  /** Runs the scenario. */
  public PartitionReport run() {
    for (int i = 0; i < scenario.nodes(); i++) {
      members.add(newMember());
    }
    long start = nanoClock.getAsLong();
    Rebalance first = PartitionAssigner.initial(members, scenario.partitions(), scenario.backups());
    long initialNanos = nanoClock.getAsLong() - start;
    PartitionTable table = first.table();
    List<EventFigures> figures = new ArrayList<>();
    for (PartitionEvent event : scenario.events()) {
      Step step = apply(event, table);
      figures.add(step.figures());
      table = step.table();
    }
    return new PartitionReport(
        scenario,
        TableBalance.of(first.table()),
        initialNanos,
        figures,
        TableBalance.of(table),
        converged);
  }

  private record Step(EventFigures figures, PartitionTable table) {}

  private Step apply(PartitionEvent event, PartitionTable table) {
    PartitionMember leaver = null;
    if (event == PartitionEvent.JOIN) {
      members.add(newMember());
    } else {
      leaver = members.remove(random.nextInt(members.size()));
    }
    // The assigner's table from the serving one: the bound the migration is measured against
    // (minimum copies, promotions, role changes, partitions lost).
    long start = nanoClock.getAsLong();
    Rebalance next = PartitionAssigner.next(table, members);
    long nanos = nanoClock.getAsLong() - start;
    Migration migration = migrate(table, event == PartitionEvent.LEAVE ? leaver : null);
    EventFigures figures =
        new EventFigures(
            event,
            migration.copies(),
            next.minimumCopies(),
            next.promotions(),
            next.roleChanges(),
            next.lostPartitions(),
            migration.rounds(),
            nanos,
            TableBalance.of(migration.table()));
    return new Step(figures, migration.table());
  }

  private record Migration(PartitionTable table, int copies, int rounds) {}

  /**
   * The control plane's migration, as its leader runs it: {@link MigrationRound}s over the serving
   * table, each move in flight completing ({@link MoveCompletion}) before the next round, until a
   * round changes nothing. A crashed member is simply no longer admitted (its backups promoted in
   * the first round); a leaving one drains first (it gets no replica, everything moves off it),
   * then goes. Copies are the moves that completed with a destination.
   */
  private Migration migrate(PartitionTable serving, PartitionMember leaving) {
    List<PartitionMember> admitted = new ArrayList<>(members);
    Set<String> draining = Set.of();
    if (leaving != null) {
      admitted.add(leaving);
      draining = Set.of(leaving.id());
    }
    PartitionTable table = serving;
    List<PartitionMove> inFlight = List.of();
    int copies = 0;
    int rounds = 0;
    while (rounds < MAX_ROUNDS) {
      MigrationRound.Result round =
          MigrationRound.next(
              table,
              inFlight,
              admitted,
              draining,
              scenario.partitions(),
              scenario.backups(),
              scenario.maxParallelMoves());
      boolean changed = round.changes(table);
      table = round.table();
      inFlight = round.inFlight();
      if (inFlight.isEmpty()) {
        if (changed) {
          continue; // drops and role changes only: plan again from the new table
        }
        if (leaving != null && !holds(table, leaving.id())) {
          admitted.remove(leaving); // drained: it leaves, and the table drops it
          draining = Set.of();
          leaving = null;
          continue;
        }
        break;
      }
      rounds++;
      Optional<MoveCompletion.Completed> done = MoveCompletion.complete(table, inFlight, inFlight);
      if (done.isPresent()) {
        copies += done.get().applied();
        table = done.get().table();
        inFlight = done.get().inFlight();
      }
    }
    converged &= inFlight.isEmpty() && rounds < MAX_ROUNDS;
    return new Migration(table, copies, rounds);
  }

  private static boolean holds(PartitionTable table, String id) {
    return table.replicas().stream().anyMatch(replicas -> replicas.contains(id));
  }

  private PartitionMember newMember() {
    int id = nextId++;
    String zone = scenario.zones() == 0 ? "" : "zone-" + (id % scenario.zones());
    return new PartitionMember(
        String.format("node-%06d", id), String.format("host-%06d", id), zone);
  }
}
