package io.hivemind.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.hivemind.core.control.RemovalPolicy;
import io.hivemind.sim.ControlFigures;
import io.hivemind.sim.ControlModel;
import io.hivemind.sim.DurationText;
import io.hivemind.sim.Percentiles;
import java.io.PrintWriter;
import java.util.Locale;

/** The modelled control plane's figures of a {@code hivemind sim membership --control} run. */
final class SimControlReport {

  private static final String ROW = "  %-34s %s%n";

  private SimControlReport() {}

  /** The flags that reproduce the model, for the header's "reproduce with" line. */
  static String flags(ControlModel m) {
    RemovalPolicy p = m.policy();
    return " --control --batch "
        + DurationText.format(m.batchMillis())
        + " --commit-delay "
        + DurationText.format(m.commitDelayMillis())
        + " --confirm "
        + DurationText.format(p.confirmMillis())
        + " --required-observers "
        + p.requiredObservers()
        + " --confirmation-probes "
        + m.confirmationProbes();
  }

  static void printText(ControlFigures c, PrintWriter out) {
    ControlModel m = c.model();
    RemovalPolicy p = m.policy();
    out.printf(
        Locale.ROOT,
        "Control plane (model: batch %s, commit %s, delivery %s; rule: %d observers with local"
            + " health <= %d for %s, timeout %s)%n",
        DurationText.format(m.batchMillis()),
        DurationText.format(m.commitDelayMillis()),
        DurationText.format(m.deliveryDelayMillis()),
        p.requiredObservers(),
        p.maxLocalHealth(),
        DurationText.format(p.confirmMillis()),
        DurationText.format(p.suspicionTimeoutMillis()));
    row(out, "crashed nodes removed", c.crashedRemoved() + " of " + c.crashed());
    row(out, "crash -> committed removal", percentiles(c.crashToRemoval()));
    row(
        out,
        "healthy nodes removed",
        c.healthyRemoved().size() + (c.healthyRemoved().isEmpty() ? "" : " " + c.healthyRemoved()));
    row(out, "slow nodes removed", c.slowRemoved() + " of " + c.slow());
    row(out, "view changes per slow node (max)", Integer.toString(c.maxViewChangesPerSlowNode()));
    row(out, "committed removals", Long.toString(c.removals()));
    row(
        out,
        "entries / observations",
        String.format(Locale.ROOT, "%,d / %,d", c.entries(), c.observations()));
    row(out, "every live node holds the view", c.allHoldCommittedView() ? "yes" : "NO");
    row(out, "gossip tables differing from it", c.gossipDisagreements() + " (node, member) pairs");
    out.println();
  }

  static void putJson(ObjectNode node, ControlFigures c) {
    ControlModel m = c.model();
    node.put("batch_seconds", m.batchMillis() / 1000.0);
    node.put("commit_delay_seconds", m.commitDelayMillis() / 1000.0);
    node.put("delivery_delay_seconds", m.deliveryDelayMillis() / 1000.0);
    node.put("confirm_seconds", m.policy().confirmMillis() / 1000.0);
    node.put("suspicion_timeout_seconds", m.policy().suspicionTimeoutMillis() / 1000.0);
    node.put("required_observers", m.policy().requiredObservers());
    node.put("max_local_health", m.policy().maxLocalHealth());
    node.put("crashed", c.crashed());
    node.put("crashed_removed", c.crashedRemoved());
    ObjectNode p = node.putObject("crash_to_removal_seconds");
    p.put("count", c.crashToRemoval().count());
    if (!c.crashToRemoval().isEmpty()) {
      p.put("p50", c.crashToRemoval().p50Millis() / 1000.0);
      p.put("p99", c.crashToRemoval().p99Millis() / 1000.0);
      p.put("max", c.crashToRemoval().maxMillis() / 1000.0);
    }
    node.put("healthy_removed", c.healthyRemoved().size());
    node.put("slow", c.slow());
    node.put("slow_removed", c.slowRemoved());
    node.put("max_view_changes_per_slow_node", c.maxViewChangesPerSlowNode());
    node.put("removals", c.removals());
    node.put("entries", c.entries());
    node.put("observations", c.observations());
    node.put("all_hold_committed_view", c.allHoldCommittedView());
    node.put("gossip_disagreements", c.gossipDisagreements());
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
        "p50 %.3f s   p99 %.3f s   max %.3f s",
        p.p50Millis() / 1000.0,
        p.p99Millis() / 1000.0,
        p.maxMillis() / 1000.0);
  }
}
