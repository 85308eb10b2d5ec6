package io.hivemind.sim.partition;

import io.hivemind.core.partition.TableBalance;
import java.util.List;
import java.util.Locale;

/**
 * What a partition scenario measured.
 *
 * @param scenario the scenario
 * @param initial the first table's balance
 * @param initialPlanningNanos time to compute the first table
 * @param events each event's figures, in order
 * @param last the last table's balance
 * @param migrationsConverged whether whether every migration reached a round with nothing left to
 *     change (no move in flight) within {@code PartitionSim.MAX_ROUNDS} rounds
 */
public record PartitionReport(
    PartitionScenario scenario,
    TableBalance initial,
    long initialPlanningNanos,
    List<EventFigures> events,
    TableBalance last,
    boolean migrationsConverged) {

  public PartitionReport {
    events = List.copyOf(events);
  }

  /** Figures summed over the events of one kind. */
  public record Totals(
      int events,
      long copies,
      long minimumCopies,
      double worstRatio,
      long promotions,
      long roleChanges,
      long lostPartitions,
      long rounds,
      long maxPlanningNanos,
      long totalPlanningNanos) {

    /** All copies over all minimums; 1.0 when both are 0. */
    public double ratio() {
      return minimumCopies == 0
          ? (copies == 0 ? 1.0 : Double.POSITIVE_INFINITY)
          : (double) copies / minimumCopies;
    }
  }

  /** The totals for one kind of event. */
  public Totals totals(PartitionEvent kind) {
    int count = 0;
    long copies = 0;
    long minimum = 0;
    double worst = 0;
    long promotions = 0;
    long roles = 0;
    long lost = 0;
    long rounds = 0;
    long maxNanos = 0;
    long nanos = 0;
    for (EventFigures e : events) {
      if (e.event() != kind) {
        continue;
      }
      count++;
      copies += e.copies();
      minimum += e.minimumCopies();
      worst = Math.max(worst, ratio(e.copies(), e.minimumCopies()));
      promotions += e.promotions();
      roles += e.roleChanges();
      lost += e.lostPartitions();
      rounds += e.rounds();
      maxNanos = Math.max(maxNanos, e.planningNanos());
      nanos += e.planningNanos();
    }
    return new Totals(
        count, copies, minimum, worst, promotions, roles, lost, rounds, maxNanos, nanos);
  }

  /** The report as lines of text. */
  public String text() {
    StringBuilder out = new StringBuilder();
    PartitionScenario s = scenario;
    out.append(
        format(
            "partitions: %d nodes, %d partitions, %d backup(s), %s, %d events, seed %d%n",
            s.nodes(),
            s.partitions(),
            s.backups(),
            s.zones() == 0 ? "no zones" : s.zones() + " zones",
            s.events().size(),
            s.seed()));
    out.append(
        format(
            "first table: %s, planned in %.1f ms%n",
            balance(initial), millis(initialPlanningNanos)));
    for (PartitionEvent kind : PartitionEvent.values()) {
      Totals t = totals(kind);
      if (t.events() > 0) {
        out.append(eventLine(kind, t));
      }
    }
    out.append(format("last table: %s%n", balance(last)));
    out.append(
        format(
            "under-replicated partitions: %d, without owner: %d%n",
            last.underReplicated(), last.withoutOwner()));
    out.append(
        migrationsConverged
            ? "every migration converged: a round with nothing left to change\n"
            : "A MIGRATION DID NOT CONVERGE\n");
    return out.toString();
  }

  private String eventLine(PartitionEvent kind, Totals t) {
    return format(
        "%-5s x%d: copied %d replicas, minimum %d (%.3fx, worst %.3fx), promotions %d,"
            + " role changes %d, lost %d, %d rounds of <= %d moves, planned in %.1f ms mean"
            + " (max %.1f)%n",
        kind.name().toLowerCase(Locale.ROOT),
        t.events(),
        t.copies(),
        t.minimumCopies(),
        t.ratio(),
        t.worstRatio(),
        t.promotions(),
        t.roleChanges(),
        t.lostPartitions(),
        t.rounds(),
        scenario.maxParallelMoves(),
        millis(t.totalPlanningNanos()) / t.events(),
        millis(t.maxPlanningNanos()));
  }

  private static String balance(TableBalance b) {
    return format(
        "owners max/mean %.3f (floor %.3f), replicas max/mean %.3f (floor %.3f)",
        b.ownersMaxOverMean(), b.ownersFloor(), b.replicasMaxOverMean(), b.replicasFloor());
  }

  static double ratio(long copies, long minimum) {
    return minimum == 0
        ? (copies == 0 ? 1.0 : Double.POSITIVE_INFINITY)
        : (double) copies / minimum;
  }

  private static double millis(long nanos) {
    return nanos / 1e6;
  }

  private static String format(String pattern, Object... args) {
    return String.format(Locale.ROOT, pattern, args);
  }
}
