package io.hivemind.cli;

import io.hivemind.sim.DurationText;
import io.hivemind.sim.FalsePositives;
import io.hivemind.sim.MembershipReport;
import io.hivemind.sim.MembershipScenario;
import io.hivemind.sim.Percentiles;
import java.io.PrintWriter;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.function.Function;

/** A {@link MembershipReport} as aligned lines for a person: a label column, then figures. */
final class ReportText {

  private static final String ROW = "  %-34s %s%n";

  private ReportText() {}

  /** What is about to run and how to run it again; printed before the run, which takes a while. */
  static void printHeader(MembershipScenario s, PrintWriter out) {
    out.printf(
        Locale.ROOT,
        "Membership simulation: %d nodes, %s profile, latency %s, loss %s, %s of virtual time%n",
        s.nodes(),
        s.profile(),
        s.latency(),
        percent(s.loss()),
        DurationText.format(s.durationMillis()));
    out.printf(Locale.ROOT, "  reproduce with: %s%n%n", reproduce(s));
    out.flush();
  }

  static String reproduce(MembershipScenario s) {
    StringBuilder line = new StringBuilder("hivemind sim membership");
    line.append(" --nodes ").append(s.nodes()).append(" --seed ").append(s.seed());
    line.append(" --duration ").append(DurationText.format(s.durationMillis()));
    line.append(" --latency ").append(s.latency()).append(" --profile ").append(s.profile());
    if (s.loss() > 0) {
      line.append(" --loss ").append(s.loss());
    }
    if (s.crash() > 0) {
      line.append(" --crash ").append(s.crash());
    }
    if (s.slow() > 0) {
      line.append(" --slow ").append(s.slow());
      line.append(" --slow-delay ").append(DurationText.format(s.slowDelayMillis()));
    }
    if (s.partition() != null) {
      line.append(" --partition ").append(s.partition());
    }
    if (s.control() != null) {
      line.append(SimControlReport.flags(s.control()));
    }
    if (s.joinWindowMillis() != MembershipScenario.DEFAULT_JOIN_WINDOW_MILLIS) {
      line.append(" --join-window ").append(DurationText.format(s.joinWindowMillis()));
    }
    return line.toString();
  }

  static void printFigures(MembershipReport report, PrintWriter out) {
    printJoin(report.join(), report.scenario(), out);
    printCrash(report.crash(), out);
    printFalsePositives(report.falsePositives(), report.scenario(), out);
    report.control().ifPresent(c -> SimControlReport.printText(c, out));
    printTraffic(report, out);
    out.println("End");
    row(out, "views agree (member tables)", report.viewsAgreeAtEnd() ? "yes" : "NO");
    if (report.stuckTicks() > 0) {
      row(out, "stuck ticks (core timer bug)", Long.toString(report.stuckTicks()));
    }
    row(
        out,
        "speed",
        String.format(
            Locale.ROOT,
            "%.1f virtual s per wall s (%,d events)",
            report.simSecondsPerWallSecond(),
            report.events()));
    row(out, "seed", Long.toString(report.scenario().seed()));
  }

  private static void printJoin(MembershipReport.Join join, MembershipScenario s, PrintWriter out) {
    out.println("Join");
    row(out, "joiners known ALIVE by all", join.converged() + " of " + join.joiners());
    row(out, "join -> known ALIVE by all", percentiles(join.convergence()));
    row(out, "everyone sees everyone ALIVE", at(join.fullViewMillis(), "after the start"));
    row(out, "late joiner -> known ALIVE by all", seconds(join.lateJoinMillis()));
    out.println();
  }

  private static void printCrash(MembershipReport.Crash crash, PrintWriter out) {
    if (crash.crashed() == 0) {
      return;
    }
    out.printf(Locale.ROOT, "Crash (%d nodes at %s)%n", crash.crashed(), seconds(crash.atMillis()));
    row(out, "suspected by someone", crash.suspected() + " of " + crash.crashed());
    row(out, "crash -> first suspicion", percentiles(crash.firstSuspicion()));
    row(out, "DEAD on every running node", crash.detected() + " of " + crash.crashed());
    row(out, "crash -> DEAD everywhere", percentiles(crash.deadEverywhere()));
    out.println();
  }

  private static void printFalsePositives(
      FalsePositives fp, MembershipScenario s, PrintWriter out) {
    out.println(
        "False positives (running members accused"
            + (s.partition() != null ? "; a partition makes some on purpose)" : ")"));
    row(out, "marked DEAD", fp.deadMembers() + " members, " + fp.deadEvents() + " events");
    row(out, "marked SUSPECT", fp.suspectMembers() + " members, " + fp.suspectEvents() + " events");
    out.println();
  }

  /**
   * Three windows side by side: the whole run, from the late join to the end, and steady state
   * (from when every node's broadcast queue had drained to the end); a window the run never reached
   * prints "never" and dashes.
   */
  private static void printTraffic(MembershipReport report, PrintWriter out) {
    List<Optional<MembershipReport.Rates>> windows =
        List.of(Optional.of(report.total()), report.afterLateJoin(), report.steady());
    out.printf(
        Locale.ROOT,
        "%-36s %14s %16s %14s%n",
        "Traffic per node per second",
        "whole run",
        "after late join",
        "steady");
    trafficRow(out, "window starts at", windows, r -> seconds(r.fromMillis()), "never");
    trafficRow(out, "UDP packets", windows, r -> f("%.1f", r.packetsPerNodeSecond()), "-");
    trafficRow(out, "protocol messages", windows, r -> f("%.1f", r.messagesPerNodeSecond()), "-");
    trafficRow(out, "streams opened", windows, r -> f("%.3f", r.streamsPerNodeSecond()), "-");
    trafficRow(out, "UDP bytes", windows, r -> f("%.0f B", r.packetBytesPerNodeSecond()), "-");
    trafficRow(out, "stream bytes", windows, r -> f("%.0f B", r.streamBytesPerNodeSecond()), "-");
    trafficRow(out, "all bytes", windows, r -> f("%.0f B", r.bytesPerNodeSecond()), "-");
    out.printf(
        Locale.ROOT,
        "  (steady: from when every node's broadcast queue had held at most %d updates for %s)%n",
        MembershipReport.DRAINED_QUEUE_UPDATES,
        DurationText.format(MembershipReport.DRAINED_HOLD_MILLIS));
    out.println();
  }

  private static void trafficRow(
      PrintWriter out,
      String label,
      List<Optional<MembershipReport.Rates>> windows,
      Function<MembershipReport.Rates, String> figure,
      String missing) {
    out.printf(
        Locale.ROOT,
        "  %-34s %14s %16s %14s%n",
        label,
        windows.get(0).map(figure).orElse(missing),
        windows.get(1).map(figure).orElse(missing),
        windows.get(2).map(figure).orElse(missing));
  }

  private static String f(String format, double value) {
    return String.format(Locale.ROOT, format, value);
  }

  private static void row(PrintWriter out, String label, String value) {
    out.printf(Locale.ROOT, ROW, label, value);
  }

  private static String percentiles(Percentiles p) {
    if (p.isEmpty()) {
      return "-";
    }
    return String.format(
        Locale.ROOT,
        "p50 %s   p99 %s   max %s",
        seconds(p.p50Millis()),
        seconds(p.p99Millis()),
        seconds(p.maxMillis()));
  }

  private static String at(OptionalLong millis, String suffix) {
    return millis.isPresent() ? seconds(millis.getAsLong()) + " " + suffix : "never";
  }

  private static String seconds(OptionalLong millis) {
    return millis.isPresent() ? seconds(millis.getAsLong()) : "never";
  }

  private static String seconds(long millis) {
    return String.format(Locale.ROOT, "%.3f s", millis / 1000.0);
  }

  private static String percent(double fraction) {
    return String.format(Locale.ROOT, "%.4g%%", fraction * 100).replaceAll("\\.?0+%$", "%");
  }
}
