package io.hivemind.sim.partition;

import io.hivemind.core.partition.MigrationPlan;
import io.hivemind.core.partition.MigrationPlanner;
import io.hivemind.core.partition.MigrationStepper;
import io.hivemind.core.partition.PartitionAssigner;
import io.hivemind.core.partition.PartitionMember;
import io.hivemind.core.partition.PartitionMove;
import io.hivemind.core.partition.PartitionTable;
import io.hivemind.core.partition.Rebalance;
import io.hivemind.core.partition.TableBalance;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.function.LongSupplier;

/**
 * Runs a {@link PartitionScenario}: the first table, then for each event the next table, the
 * migration plan from what the cluster serves to it, and the migration stepped to completion in
 * rounds of parallel moves. Single-threaded; the only clock is the injected one that times the
 * planning, so a fixed clock makes the whole report a function of the scenario.
 */
public final class PartitionSim {

  private final PartitionScenario scenario;
  private final LongSupplier nanoClock;
  private final Random random;
  private final List<PartitionMember> members = new ArrayList<>();
  private int nextId;
  private boolean matched = true;

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
        matched);
  }

  private record Step(EventFigures figures, PartitionTable table) {}

  private Step apply(PartitionEvent event, PartitionTable table) {
    PartitionTable serving = table;
    if (event == PartitionEvent.JOIN) {
      members.add(newMember());
    } else {
      PartitionMember victim = members.remove(random.nextInt(members.size()));
      if (event == PartitionEvent.CRASH) {
        serving = table.withoutMembers(List.of(victim.id()));
      }
    }
    long start = nanoClock.getAsLong();
    Rebalance next = PartitionAssigner.next(table, members);
    MigrationPlan plan = MigrationPlanner.plan(serving, next.table());
    long nanos = nanoClock.getAsLong() - start;
    int rounds = migrate(plan);
    EventFigures figures =
        new EventFigures(
            event,
            next.copies(),
            next.minimumCopies(),
            next.promotions(),
            next.roleChanges(),
            next.lostPartitions(),
            rounds,
            nanos,
            TableBalance.of(next.table()));
    return new Step(figures, next.table());
  }

  /** Steps the plan to completion, every move in flight finishing each round; returns rounds. */
  private int migrate(MigrationPlan plan) {
    MigrationStepper stepper = new MigrationStepper(plan, scenario.maxParallelMoves());
    int rounds = 0;
    while (!stepper.done()) {
      List<PartitionMove> started = stepper.start();
      for (PartitionMove move : started) {
        stepper.complete(move);
      }
      rounds++;
    }
    matched &= stepper.current().replicas().equals(plan.to().replicas());
    return rounds;
  }

  private PartitionMember newMember() {
    int id = nextId++;
    String zone = scenario.zones() == 0 ? "" : "zone-" + (id % scenario.zones());
    return new PartitionMember(
        String.format("node-%06d", id), String.format("host-%06d", id), zone);
  }
}
