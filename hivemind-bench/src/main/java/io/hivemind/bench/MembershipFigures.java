package io.hivemind.bench;

import io.hivemind.sim.MembershipReport;
import io.hivemind.sim.MembershipScenario;
import io.hivemind.sim.Percentiles;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.OptionalLong;

/**
 * Scenario benchmark of the membership protocol: runs the simulator over a grid of cluster sizes
 * and loss rates and prints one Markdown table row per run (the table of docs/benchmarks.md).
 *
 * <p>Run: {@code java -cp "hivemind-bench/target/benchmarks.jar"
 * io.hivemind.bench.MembershipFigures [--nodes 100,1000,5000] [--loss 0,0.05] [--minutes 10]
 * [--crash 5] [--seed 1]}.
 *
 * <p>Each run: the nodes join through seeds over a rolling start of 20 ms per node (50 joins a
 * second: within what the default gossip carries at 1,000 nodes, about four times over it at 5,000,
 * where the broadcast queues stay backlogged until the start ends), a late node joins once all
 * agree, then {@code crash} nodes crash at once; everything but the speed column replays from the
 * seed.
 */
public final class MembershipFigures {

  /** A rolling start: 50 joins a second. */
  private static final long JOIN_WINDOW_MILLIS_PER_NODE = 20;

  private MembershipFigures() {}

  public static void main(String[] args) {
    List<Integer> sizes = List.of(100, 1_000, 5_000);
    List<Double> losses = List.of(0.0, 0.05);
    long minutes = 10;
    int crash = 5;
    long seed = 1;
    if (args.length % 2 != 0) {
      throw new IllegalArgumentException(
          "options come in pairs (--nodes 100,1000 --loss 0,0.05 ...), got "
              + String.join(" ", args));
    }
    for (int i = 0; i + 1 < args.length; i += 2) {
      String value = args[i + 1];
      switch (args[i]) {
        case "--nodes" -> sizes = parseInts(value);
        case "--loss" -> losses = parseDoubles(value);
        case "--minutes" -> minutes = Long.parseLong(value);
        case "--crash" -> crash = Integer.parseInt(value);
        case "--seed" -> seed = Long.parseLong(value);
        default -> throw new IllegalArgumentException("unknown option " + args[i]);
      }
    }
    System.out.println(header());
    for (int nodes : sizes) {
      for (double loss : losses) {
        MembershipScenario scenario =
            MembershipScenario.builder()
                .nodes(nodes)
                .loss(loss)
                .durationMillis(minutes * 60_000)
                .crash(crash)
                .joinWindowMillis(nodes * JOIN_WINDOW_MILLIS_PER_NODE)
                .seed(seed)
                .build();
        System.out.println(row(scenario.run()));
      }
    }
  }

  private static String header() {
    return "| N | loss | joiners known by all | join → known by all p50 / p99 / max |"
        + " all know all at | late join known by all | crash → first suspicion p50 / p99 |"
        + " crash → DEAD everywhere p50 / p99 / max | false DEAD (members) | false SUSPECT"
        + " (members) | steady from | steady msgs/node/s | steady bytes/node/s (UDP + stream) |"
        + " bytes/node/s after late join (UDP + stream) | views agree | sim s per wall s |\n"
        + "|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|";
  }

  private static String row(MembershipReport r) {
    MembershipReport.Join join = r.join();
    MembershipReport.Crash crash = r.crash();
    // Steady: from when every broadcast queue had drained (MembershipReport#steady); the window
    // from the late join still carries a fast start's backlog, so it is printed beside it.
    String steadyMessages = r.steady().map(w -> f1(w.messagesPerNodeSecond())).orElse("n/a");
    String steadyBytes = r.steady().map(MembershipFigures::bytes).orElse("n/a");
    String steadyFrom = r.steady().map(w -> s(w.fromMillis())).orElse("never");
    String afterLateJoin = r.afterLateJoin().map(MembershipFigures::bytes).orElse("n/a");
    List<String> cells = new ArrayList<>();
    cells.add(Integer.toString(r.scenario().nodes()));
    cells.add(String.format(Locale.ROOT, "%.0f %%", r.scenario().loss() * 100));
    cells.add(join.converged() + " / " + join.joiners());
    cells.add(three(join.convergence()));
    cells.add(seconds(join.fullViewMillis()));
    cells.add(seconds(join.lateJoinMillis()));
    cells.add(
        crash.firstSuspicion().isEmpty()
            ? "n/a"
            : s(crash.firstSuspicion().p50Millis())
                + " / "
                + s(crash.firstSuspicion().p99Millis()));
    cells.add(crash.detected() + " of " + crash.crashed() + ": " + three(crash.deadEverywhere()));
    cells.add(Integer.toString(r.falsePositives().deadMembers()));
    cells.add(Integer.toString(r.falsePositives().suspectMembers()));
    cells.add(steadyFrom);
    cells.add(steadyMessages);
    cells.add(steadyBytes);
    cells.add(afterLateJoin);
    cells.add(r.viewsAgreeAtEnd() ? "yes" : "NO");
    cells.add(f1(r.simSecondsPerWallSecond()));
    return "| " + String.join(" | ", cells) + " |";
  }

  private static String bytes(MembershipReport.Rates rates) {
    return f0(rates.bytesPerNodeSecond())
        + " ("
        + f0(rates.packetBytesPerNodeSecond())
        + " + "
        + f0(rates.streamBytesPerNodeSecond())
        + ")";
  }

  private static String three(Percentiles p) {
    if (p.isEmpty()) {
      return "n/a";
    }
    return s(p.p50Millis()) + " / " + s(p.p99Millis()) + " / " + s(p.maxMillis());
  }

  private static String seconds(OptionalLong millis) {
    return millis.isPresent() ? s(millis.getAsLong()) : "never";
  }

  private static String s(long millis) {
    return String.format(Locale.ROOT, "%.2f s", millis / 1000.0);
  }

  private static String f0(double value) {
    return String.format(Locale.ROOT, "%.0f", value);
  }

  private static String f1(double value) {
    return String.format(Locale.ROOT, "%.1f", value);
  }

  private static List<Integer> parseInts(String csv) {
    List<Integer> values = new ArrayList<>();
    for (String part : csv.split(",")) {
      values.add(Integer.parseInt(part.trim()));
    }
    return values;
  }

  private static List<Double> parseDoubles(String csv) {
    List<Double> values = new ArrayList<>();
    for (String part : csv.split(",")) {
      values.add(Double.parseDouble(part.trim()));
    }
    return values;
  }
}
