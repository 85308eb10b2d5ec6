package io.hivemind.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.hivemind.sim.CoreCounters;
import io.hivemind.sim.FalsePositives;
import io.hivemind.sim.MembershipReport;
import io.hivemind.sim.MembershipScenario;
import io.hivemind.sim.Percentiles;
import io.hivemind.sim.Traffic;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * A {@link MembershipReport} as one JSON object: snake_case names, durations in seconds (numbers),
 * null for a figure the run never reached. Built field by field so the names are a visible contract
 * rather than a side effect of Java names.
 */
final class ReportJson {

  private static final ObjectMapper MAPPER =
      new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  private ReportJson() {}

  static String toJson(MembershipReport report) {
    ObjectNode root = MAPPER.createObjectNode();
    scenario(root.putObject("scenario"), report.scenario());
    root.put("simulated_seconds", seconds(report.simulatedMillis()));
    root.put("events", report.events());
    join(root.putObject("join"), report.join());
    crash(root.putObject("crash"), report.crash());
    falsePositives(root.putObject("false_positives"), report.falsePositives());
    ObjectNode rates = root.putObject("per_node_per_second");
    rates(rates.putObject("total"), report.total());
    rates(rates, "after_late_join", report.afterLateJoin());
    rates(rates, "steady", report.steady());
    traffic(root.putObject("traffic"), report.traffic());
    counters(root.putObject("counters"), report.counters());
    report
        .control()
        .ifPresentOrElse(
            c -> SimControlReport.putJson(root.putObject("control"), c),
            () -> root.putNull("control"));
    root.put("views_agree_at_end", report.viewsAgreeAtEnd());
    root.put("stuck_ticks", report.stuckTicks());
    root.put("sim_seconds_per_wall_second", report.simSecondsPerWallSecond());
    try {
      return MAPPER.writeValueAsString(root);
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IllegalStateException("cannot write a JSON tree built in memory", e);
    }
  }

  private static void scenario(ObjectNode node, MembershipScenario s) {
    node.put("seed", s.seed());
    node.put("nodes", s.nodes());
    node.put("profile", s.profile());
    node.put("loss", s.loss());
    node.put("latency_min_seconds", seconds(s.latency().minMillis()));
    node.put("latency_max_seconds", seconds(s.latency().maxMillis()));
    node.put("duration_seconds", seconds(s.durationMillis()));
    node.put("join_window_seconds", seconds(s.joinWindowMillis()));
    node.put("crash", s.crash());
    node.put("slow", s.slow());
    node.put("slow_delay_seconds", seconds(s.slowDelayMillis()));
    if (s.partition() == null) {
      node.putNull("partition_at_seconds");
      node.putNull("partition_length_seconds");
    } else {
      node.put("partition_at_seconds", seconds(s.partition().atMillis()));
      node.put("partition_length_seconds", seconds(s.partition().lengthMillis()));
    }
  }

  private static void join(ObjectNode node, MembershipReport.Join join) {
    node.put("joiners", join.joiners());
    node.put("converged", join.converged());
    percentiles(node.putObject("convergence_seconds"), join.convergence());
    seconds(node, "full_view_seconds", join.fullViewMillis());
    seconds(node, "late_join_seconds", join.lateJoinMillis());
  }

  private static void crash(ObjectNode node, MembershipReport.Crash crash) {
    seconds(node, "at_seconds", crash.atMillis());
    node.put("crashed", crash.crashed());
    node.put("suspected", crash.suspected());
    node.put("detected", crash.detected());
    percentiles(node.putObject("first_suspicion_seconds"), crash.firstSuspicion());
    percentiles(node.putObject("dead_everywhere_seconds"), crash.deadEverywhere());
  }

  private static void falsePositives(ObjectNode node, FalsePositives fp) {
    node.put("dead_members", fp.deadMembers());
    node.put("dead_events", fp.deadEvents());
    node.put("suspect_members", fp.suspectMembers());
    node.put("suspect_events", fp.suspectEvents());
  }

  private static void rates(
      ObjectNode parent, String field, Optional<MembershipReport.Rates> window) {
    window.ifPresentOrElse(r -> rates(parent.putObject(field), r), () -> parent.putNull(field));
  }

  private static void rates(ObjectNode node, MembershipReport.Rates r) {
    node.put("from_seconds", seconds(r.fromMillis()));
    node.put("to_seconds", seconds(r.toMillis()));
    node.put("packets", r.packetsPerNodeSecond());
    node.put("messages", r.messagesPerNodeSecond());
    node.put("streams", r.streamsPerNodeSecond());
    node.put("packet_bytes", r.packetBytesPerNodeSecond());
    node.put("stream_bytes", r.streamBytesPerNodeSecond());
    node.put("bytes", r.bytesPerNodeSecond());
  }

  private static void traffic(ObjectNode node, Traffic t) {
    node.put("packets", t.packets());
    node.put("packet_bytes", t.packetBytes());
    node.put("packets_lost", t.packetsLost());
    node.put("packets_unreachable", t.packetsUnreachable());
    node.put("streams", t.streams());
    node.put("stream_bytes", t.streamBytes());
    node.put("streams_failed", t.streamsFailed());
  }

  private static void counters(ObjectNode node, CoreCounters c) {
    node.put("messages_sent", c.messagesSent());
    node.put("probes", c.probes());
    node.put("probe_failures", c.probeFailures());
    node.put("suspicions", c.suspicions());
    node.put("refutations", c.refutations());
    node.put("dropped", c.dropped());
  }

  private static void percentiles(ObjectNode node, Percentiles p) {
    node.put("count", p.count());
    if (p.isEmpty()) {
      node.putNull("p50");
      node.putNull("p99");
      node.putNull("max");
    } else {
      node.put("p50", seconds(p.p50Millis()));
      node.put("p99", seconds(p.p99Millis()));
      node.put("max", seconds(p.maxMillis()));
    }
  }

  private static void seconds(ObjectNode node, String field, OptionalLong millis) {
    if (millis.isPresent()) {
      node.put(field, seconds(millis.getAsLong()));
    } else {
      node.putNull(field);
    }
  }

  private static double seconds(long millis) {
    return millis / 1000.0;
  }
}
