package io.hivemind.cli;

import io.hivemind.core.control.RemovalPolicy;
import io.hivemind.sim.ControlModel;
import io.hivemind.sim.Latency;
import io.hivemind.sim.MembershipReport;
import io.hivemind.sim.MembershipScenario;
import io.hivemind.sim.PartitionWindow;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import java.util.concurrent.ThreadLocalRandom;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code hivemind sim membership}: one seeded SWIM + Lifeguard run and its figures. */
@Command(
    name = "membership",
    mixinStandardHelpOptions = true,
    sortOptions = false,
    description = {
      "Simulate cluster membership (SWIM + Lifeguard) on a virtual network and report join"
          + " convergence, crash detection, false positives and traffic.",
      "",
      "Timeline: node 0 starts at 0 s; the others join within the join window, each through a"
          + " random one of the first three nodes. A second after every node sees every other"
          + " ALIVE (at the latest a minute after the join window), one late node joins (--nodes"
          + " counts it); a second after it is known (at the latest 30 s), --crash nodes crash at"
          + " once and --slow others turn slow. The run ends after --duration of virtual time.",
      "",
      "Traffic is reported over the whole run, from the late join, and in steady state: from"
          + " when every node's broadcast queue has drained (a fast start leaves a backlog that"
          + " is sent for a while after the views agree) to the end.",
      ""
    },
    footer = {
      "",
      "Formats:",
      "  durations   a whole number with a unit: 500ms, 90s, 10m, 1h, or 1m30s",
      "  latency     2ms (fixed), 1-5ms (uniform range) or 20+-5ms (mean and jitter)",
      "  partition   START+LENGTH: 60s+30s splits a random half off at 60 s for 30 s",
      "  loss        a fraction or a percentage: 0.05 or 5%%",
      "",
      "Example:",
      "  hivemind sim membership --nodes 1000 --loss 5%% --crash 5 --seed 42",
      "  hivemind sim membership --control --slow 10 --slow-delay 2s --loss 5%% --seed 5"
    })
final class SimMembershipCommand implements Callable<Integer> {

  @Spec private CommandSpec spec;

  @Option(
      names = "--nodes",
      paramLabel = "N",
      defaultValue = "100",
      description = "Nodes in all, the late joiner included (default: ${DEFAULT-VALUE}).")
  private int nodes;

  @Option(
      names = "--loss",
      paramLabel = "RATE",
      defaultValue = "0",
      converter = TextConverters.Fraction.class,
      description = "Datagram loss rate on every link (default: ${DEFAULT-VALUE}).")
  private double loss;

  @Option(
      names = "--latency",
      paramLabel = "LATENCY",
      defaultValue = "1-2ms",
      converter = TextConverters.LatencyText.class,
      description = "One-way link latency (default: ${DEFAULT-VALUE}).")
  private Latency latency;

  @Option(
      names = "--duration",
      paramLabel = "DURATION",
      defaultValue = "2m",
      converter = TextConverters.Millis.class,
      description = "Virtual time to simulate (default: ${DEFAULT-VALUE}).")
  private long durationMillis;

  @Option(
      names = "--crash",
      paramLabel = "K",
      defaultValue = "0",
      description =
          "Random nodes that crash at once after convergence (default: ${DEFAULT-VALUE}).")
  private int crash;

  @Option(
      names = "--slow",
      paramLabel = "K",
      defaultValue = "0",
      description = "Random nodes that turn slow after convergence (default: ${DEFAULT-VALUE}).")
  private int slow;

  @Option(
      names = "--slow-delay",
      paramLabel = "DURATION",
      defaultValue = "1s",
      converter = TextConverters.Millis.class,
      description =
          "How late a slow node handles each packet and timer (default: ${DEFAULT-VALUE}).")
  private long slowDelayMillis;

  @Option(
      names = "--partition",
      paramLabel = "START+LENGTH",
      converter = TextConverters.PartitionText.class,
      description = "Split the cluster in two random halves at START for LENGTH, then heal.")
  private PartitionWindow partition;

  @Option(
      names = "--join-window",
      paramLabel = "DURATION",
      defaultValue = "5s",
      converter = TextConverters.Millis.class,
      description = "The initial joins are spread over this long (default: ${DEFAULT-VALUE}).")
  private long joinWindowMillis;

  @Option(
      names = "--seed",
      paramLabel = "SEED",
      description = "Master seed; the same seed gives the same figures (default: a random one).")
  private Long seed;

  @Option(
      names = "--profile",
      paramLabel = "PROFILE",
      defaultValue = "lan",
      description = "Membership profile: lan, wan or local (default: ${DEFAULT-VALUE}).")
  private String profile;

  @Option(
      names = "--control",
      description =
          "Model the control plane (issue 10): nodes report their own probe verdicts, the real"
              + " removal rule decides on each committed batch, and committed removals reach"
              + " every node. Adds the \"Control plane\" figures.")
  private boolean control;

  @Option(
      names = "--batch",
      paramLabel = "DURATION",
      defaultValue = "100ms",
      converter = TextConverters.Millis.class,
      description =
          "With --control: the leader proposes a batch this often (default: ${DEFAULT-VALUE}).")
  private long batchMillis;

  @Option(
      names = "--commit-delay",
      paramLabel = "DURATION",
      defaultValue = "20ms",
      converter = TextConverters.Millis.class,
      description = "With --control: from proposal to commit (default: ${DEFAULT-VALUE}).")
  private long commitDelayMillis;

  @Option(
      names = "--confirm",
      paramLabel = "DURATION",
      converter = TextConverters.Millis.class,
      description =
          "With --control: how long agreeing observers' suspicion must stand (default: the"
              + " agents' policy).")
  private Long confirmMillis;

  @Option(
      names = "--required-observers",
      paramLabel = "K",
      description = "With --control: independent observers to agree (default: the agents' policy).")
  private Integer requiredObservers;

  @Option(
      names = "--confirmation-probes",
      paramLabel = "K",
      defaultValue = "3",
      description =
          "With --control: members that probe a suspect out of turn on hearing of it"
              + " (default: ${DEFAULT-VALUE}).")
  private int confirmationProbes;

  @Option(names = "--json", description = "Print one JSON object instead of text.")
  private boolean json;

  @Override
  public Integer call() {
    MembershipScenario scenario = scenario();
    PrintWriter out = spec.commandLine().getOut();
    if (!json) {
      ReportText.printHeader(scenario, out);
    }
    MembershipReport report = scenario.run();
    if (json) {
      out.println(ReportJson.toJson(report));
    } else {
      ReportText.printFigures(report, out);
    }
    out.flush();
    return 0;
  }

  private ControlModel controlModel() {
    RemovalPolicy d = RemovalPolicy.DEFAULT;
    RemovalPolicy policy =
        new RemovalPolicy(
            confirmMillis != null ? confirmMillis : d.confirmMillis(),
            Math.max(d.suspicionTimeoutMillis(), confirmMillis != null ? confirmMillis : 0),
            requiredObservers != null ? requiredObservers : d.requiredObservers(),
            d.maxLocalHealth());
    return ControlModel.DEFAULT
        .withBatchMillis(batchMillis)
        .withCommitDelayMillis(commitDelayMillis)
        .withConfirmationProbes(confirmationProbes)
        .withPolicy(policy);
  }

  private MembershipScenario scenario() {
    try {
      return MembershipScenario.builder()
          .nodes(nodes)
          .loss(loss)
          .latency(latency)
          .durationMillis(durationMillis)
          .crash(crash)
          .slow(slow)
          .slowDelayMillis(slowDelayMillis)
          .partition(partition)
          .joinWindowMillis(joinWindowMillis)
          .seed(seed != null ? seed : ThreadLocalRandom.current().nextLong(1, 1_000_000_000L))
          .profile(profile)
          .control(control ? controlModel() : null)
          .build();
    } catch (IllegalArgumentException e) {
      throw new ParameterException(spec.commandLine(), e.getMessage(), e);
    }
  }
}
