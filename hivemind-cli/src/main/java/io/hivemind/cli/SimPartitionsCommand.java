package io.hivemind.cli;

import io.hivemind.core.partition.PartitionTable;
import io.hivemind.sim.partition.PartitionEvent;
import io.hivemind.sim.partition.PartitionReport;
import io.hivemind.sim.partition.PartitionScenario;
import io.hivemind.sim.partition.PartitionSim;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import java.util.concurrent.ThreadLocalRandom;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code hivemind sim partitions}: plans the partition table and its migrations for a cluster and a
 * list of membership changes, and prints the figures (issue 13).
 */
@Command(
    name = "partitions",
    mixinStandardHelpOptions = true,
    sortOptions = false,
    description = {
      "Plan the partition table (owner and backups per partition) for a cluster, then each"
          + " join, graceful leave and crash: report balance (max/mean per member), replicas"
          + " copied against the minimum, promotions, under-replicated partitions and planning"
          + " time. Migrations are stepped copy-before-drop to the end. The same seed gives the"
          + " same figures (planning times aside).",
      ""
    },
    footer = {
      "",
      "Events: a comma-separated list of join, leave, crash; NAME:K repeats one K times.",
      "",
      "Example:",
      "  hivemind sim partitions --nodes 1000 --partitions 16384 --backups 1 --zones 3"
          + " --events join:5,leave:5,crash:5 --seed 1"
    })
final class SimPartitionsCommand implements Callable<Integer> {

  @Spec private CommandSpec spec;

  @Option(
      names = "--nodes",
      paramLabel = "N",
      defaultValue = "1000",
      description = "Members at the start, one per host (default: ${DEFAULT-VALUE}).")
  private int nodes;

  @Option(
      names = "--partitions",
      paramLabel = "P",
      description = "Partition count (default: ADR 0006's, ${DEFAULT-VALUE}).")
  private int partitions = PartitionTable.DEFAULT_PARTITION_COUNT;

  @Option(
      names = "--backups",
      paramLabel = "B",
      defaultValue = "1",
      description = "Backups per partition (default: ${DEFAULT-VALUE}).")
  private int backups;

  @Option(
      names = "--zones",
      paramLabel = "Z",
      defaultValue = "0",
      description =
          "Zones the members are spread over round-robin; 0 for none (default: ${DEFAULT-VALUE}).")
  private int zones;

  @Option(
      names = "--events",
      paramLabel = "LIST",
      defaultValue = "join,leave,crash",
      description = "Membership changes, in order (default: ${DEFAULT-VALUE}).")
  private String events;

  @Option(
      names = "--parallel",
      paramLabel = "K",
      defaultValue = "16",
      description = "Most migration moves in flight at once (default: ${DEFAULT-VALUE}).")
  private int parallel;

  @Option(
      names = "--seed",
      paramLabel = "SEED",
      description = "Seed for which members leave and crash (default: a random one).")
  private Long seed;

  @Option(names = "--json", description = "Print one JSON object instead of text.")
  private boolean json;

  @Override
  public Integer call() throws Exception {
    PartitionScenario scenario;
    try {
      scenario =
          new PartitionScenario(
              nodes,
              partitions,
              backups,
              zones,
              PartitionEvent.parseList(events),
              parallel,
              seed != null ? seed : ThreadLocalRandom.current().nextLong(1, 1_000_000_000L));
    } catch (IllegalArgumentException e) {
      throw new ParameterException(spec.commandLine(), e.getMessage(), e);
    }
    PartitionReport report = new PartitionSim(scenario, System::nanoTime).run();
    PrintWriter out = spec.commandLine().getOut();
    out.print(json ? toJson(report) + System.lineSeparator() : report.text());
    out.flush();
    return report.migrationsConverged() ? 0 : 1;
  }

  static String toJson(PartitionReport report) throws Exception {
    return PartitionReportJson.write(report);
  }
}
