package io.hivemind.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.hivemind.core.catalog.WireCatalogCodec;
import io.hivemind.sim.Latency;
import io.hivemind.sim.PartitionWindow;
import io.hivemind.sim.catalog.CatalogueReport;
import io.hivemind.sim.catalog.CatalogueScenario;
import io.hivemind.sim.catalog.CatalogueSim;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import java.util.concurrent.ThreadLocalRandom;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code hivemind sim catalogue}: one seeded run of the catalogue's replication and its figures.
 */
@Command(
    name = "catalogue",
    aliases = "catalog",
    mixinStandardHelpOptions = true,
    sortOptions = false,
    description = {
      "Simulate the service catalogue's replication on virtual time: owners' deltas relayed"
          + " through the control nodes to every replica (ADR 0004), with loss, crashes and a"
          + " partition; report how long a change takes to be visible everywhere, the bytes per"
          + " node, and convergence after a heal. Message sizes are the real wire encoding's.",
      ""
    },
    footer = {
      "",
      "Formats: durations 500ms, 90s, 10m; latency 1ms, 0-1ms, 20+-5ms; loss 0.05 or 5%%;"
          + " partition START+LENGTH (the last control node and a third of the plain agents are"
          + " cut off).",
      "",
      "Example:",
      "  hivemind sim catalogue --nodes 1000 --rate 1000 --duration 60s --seed 1"
    })
final class SimCatalogueCommand implements Callable<Integer> {

  @Spec private CommandSpec spec;

  @Option(
      names = "--nodes",
      paramLabel = "N",
      defaultValue = "1000",
      description = "Agents in all, control nodes included (default: ${DEFAULT-VALUE}).")
  private int nodes;

  @Option(
      names = "--control",
      paramLabel = "K",
      defaultValue = "3",
      description = "Control nodes, which relay (default: ${DEFAULT-VALUE}).")
  private int control;

  @Option(
      names = "--rate",
      paramLabel = "PER_SECOND",
      defaultValue = "1000",
      description =
          "Registrations and changes per second, all agents together (default:"
              + " ${DEFAULT-VALUE}).")
  private int rate;

  @Option(
      names = "--instances-per-node",
      paramLabel = "K",
      defaultValue = "10",
      description =
          "Distinct instances each agent registers and keeps changing (default:"
              + " ${DEFAULT-VALUE}).")
  private int instancesPerNode;

  @Option(
      names = "--duration",
      paramLabel = "DURATION",
      defaultValue = "60s",
      converter = TextConverters.Millis.class,
      description = "How long the load runs, in virtual time (default: ${DEFAULT-VALUE}).")
  private long durationMillis;

  @Option(
      names = "--latency",
      paramLabel = "LATENCY",
      defaultValue = "1-2ms",
      converter = TextConverters.LatencyText.class,
      description = "One-way link latency (default: ${DEFAULT-VALUE}).")
  private Latency latency;

  @Option(
      names = "--loss",
      paramLabel = "RATE",
      defaultValue = "0",
      converter = TextConverters.Fraction.class,
      description =
          "Share of messages that need a TCP retransmission, 200 ms each (default:"
              + " ${DEFAULT-VALUE}).")
  private double loss;

  @Option(
      names = "--crash",
      paramLabel = "K",
      defaultValue = "0",
      description = "Plain agents that crash, spread over the run (default: ${DEFAULT-VALUE}).")
  private int crash;

  @Option(
      names = "--removal-delay",
      paramLabel = "DURATION",
      defaultValue = "3s",
      converter = TextConverters.Millis.class,
      description =
          "From a crash to its committed removal; `sim membership --control` measures it"
              + " (default: ${DEFAULT-VALUE}).")
  private long removalDelayMillis;

  @Option(
      names = "--partition",
      paramLabel = "START+LENGTH",
      converter = TextConverters.PartitionText.class,
      description = "Cut the last control node and a third of the plain agents off, then heal.")
  private PartitionWindow partition;

  @Option(
      names = "--digest-interval",
      paramLabel = "DURATION",
      defaultValue = "10s",
      converter = TextConverters.Millis.class,
      description = "How often each link exchanges digests (default: ${DEFAULT-VALUE}).")
  private long digestIntervalMillis;

  @Option(
      names = "--seed",
      paramLabel = "SEED",
      description = "Master seed; the same seed gives the same figures (default: a random one).")
  private Long seed;

  @Option(names = "--json", description = "Print one JSON object instead of text.")
  private boolean json;

  @Override
  public Integer call() throws Exception {
    CatalogueScenario scenario;
    try {
      scenario =
          new CatalogueScenario(
              nodes,
              control,
              rate,
              instancesPerNode,
              durationMillis,
              latency,
              loss,
              crash,
              removalDelayMillis,
              partition,
              digestIntervalMillis,
              seed != null ? seed : ThreadLocalRandom.current().nextLong(1, 1_000_000_000L));
    } catch (IllegalArgumentException e) {
      throw new ParameterException(spec.commandLine(), e.getMessage(), e);
    }
    CatalogueReport report =
        new CatalogueSim(scenario, message -> WireCatalogCodec.encode(message).length).run();
    PrintWriter out = spec.commandLine().getOut();
    out.print(json ? toJson(report) + System.lineSeparator() : report.text());
    out.flush();
    return report.converged() ? 0 : 1;
  }

  static String toJson(CatalogueReport report) throws Exception {
    // Made here, not in a static field: picocli instantiates every subcommand when any command
    // starts, and a static ObjectMapper loaded Jackson's data binding (about 320 classes, 4 MB of
    // RSS) into every agent (docs/benchmarks.md, "Agent footprint").
    ObjectMapper mapper = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    ObjectNode root = mapper.createObjectNode();
    CatalogueScenario s = report.scenario();
    ObjectNode scenario = root.putObject("scenario");
    scenario.put("seed", s.seed());
    scenario.put("nodes", s.nodes());
    scenario.put("control_nodes", s.controlNodes());
    scenario.put("registrations_per_second", s.registrationsPerSecond());
    scenario.put("instances_per_node", s.instancesPerNode());
    scenario.put("duration_seconds", s.durationMillis() / 1000.0);
    scenario.put("loss", s.lossRate());
    scenario.put("crashes", s.crashes());
    ObjectNode visible = root.putObject("visible_everywhere_ms");
    visible.put("count", report.visibility().count());
    visible.put("p50", report.visibility().p50Millis());
    visible.put("p99", report.visibility().p99Millis());
    visible.put("max", report.visibility().maxMillis());
    ObjectNode bytes = root.putObject("bytes_per_node_per_second");
    bytes.put("mean", report.bytesPerNodePerSecondMean());
    bytes.put("max", report.bytesPerNodePerSecondMax());
    bytes.put("plain_max", report.bytesPerPlainNodePerSecondMax());
    root.put("repairs_deferred", report.repairsDeferred());
    root.put("messages", report.messages());
    root.put("changes", report.changes());
    if (report.healConvergenceMillis() >= 0) {
      root.put("heal_convergence_ms", report.healConvergenceMillis());
    } else {
      root.putNull("heal_convergence_ms");
    }
    root.put("removed_instances", report.removedInstances());
    root.put("converged", report.converged());
    return mapper.writeValueAsString(root);
  }
}
