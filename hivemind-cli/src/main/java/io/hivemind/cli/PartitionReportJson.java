package io.hivemind.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.hivemind.core.partition.TableBalance;
import io.hivemind.sim.partition.PartitionEvent;
import io.hivemind.sim.partition.PartitionReport;
import io.hivemind.sim.partition.PartitionScenario;
import java.util.List;
import java.util.Locale;

/**
 * {@code hivemind sim partitions --json}'s document. A class of its own, not methods of the
 * command: picocli reflects over every subcommand's methods when any command starts, and a method
 * taking an {@code ObjectNode} made that load Jackson's data binding into every agent
 * (PlainAgentClassesIT; docs/benchmarks.md, "Agent footprint"). The mapper is made per call for the
 * same reason.
 */
final class PartitionReportJson {

  private PartitionReportJson() {}

  static String write(PartitionReport report) throws Exception {
    ObjectMapper mapper = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    ObjectNode root = mapper.createObjectNode();
    PartitionScenario s = report.scenario();
    ObjectNode scenario = root.putObject("scenario");
    scenario.put("seed", s.seed());
    scenario.put("nodes", s.nodes());
    scenario.put("partitions", s.partitions());
    scenario.put("backups", s.backups());
    scenario.put("zones", s.zones());
    scenario.put("events", s.events().size());
    scenario.put("max_parallel_moves", s.maxParallelMoves());
    balance(root.putObject("first_table"), report.initial());
    root.put("first_table_planning_ms", report.initialPlanningNanos() / 1e6);
    ObjectNode kinds = root.putObject("events");
    for (PartitionEvent kind : List.of(PartitionEvent.values())) {
      PartitionReport.Totals t = report.totals(kind);
      if (t.events() > 0) {
        totals(kinds.putObject(kind.name().toLowerCase(Locale.ROOT)), t);
      }
    }
    balance(root.putObject("last_table"), report.last());
    root.put("migrations_converged", report.migrationsConverged());
    return mapper.writeValueAsString(root);
  }

  private static void balance(ObjectNode node, TableBalance b) {
    node.put("owners_max_over_mean", b.ownersMaxOverMean());
    node.put("owners_floor", b.ownersFloor());
    node.put("replicas_max_over_mean", b.replicasMaxOverMean());
    node.put("replicas_floor", b.replicasFloor());
    node.put("under_replicated", b.underReplicated());
    node.put("without_owner", b.withoutOwner());
  }

  private static void totals(ObjectNode node, PartitionReport.Totals t) {
    node.put("count", t.events());
    node.put("copies", t.copies());
    node.put("minimum_copies", t.minimumCopies());
    node.put("copies_over_minimum", t.ratio());
    node.put("worst_copies_over_minimum", t.worstRatio());
    node.put("promotions", t.promotions());
    node.put("role_changes", t.roleChanges());
    node.put("lost_partitions", t.lostPartitions());
    node.put("migration_rounds", t.rounds());
    node.put("planning_ms_mean", t.totalPlanningNanos() / 1e6 / t.events());
    node.put("planning_ms_max", t.maxPlanningNanos() / 1e6);
  }
}
