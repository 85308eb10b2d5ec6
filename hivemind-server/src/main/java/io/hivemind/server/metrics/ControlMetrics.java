package io.hivemind.server.metrics;

import io.hivemind.server.agreement.ControlMembershipBridge;
import io.hivemind.server.control.ControlPlane;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import java.util.Locale;
import java.util.function.Supplier;

/**
 * The control plane as this agent sees it: degraded or not, the term, commit and applied indexes,
 * the epoch, admitted members and this node's admission. Every meter reads the plane's published
 * status or view at scrape time. Names: docs/metrics.md.
 */
public final class ControlMetrics implements MeterBinder {

  private final ControlPlane plane;
  private final Supplier<ControlMembershipBridge.AdmissionStatus> admission;

  /**
   * @param admission this node's admission status (null before the bridge runs)
   */
  public ControlMetrics(
      ControlPlane plane, Supplier<ControlMembershipBridge.AdmissionStatus> admission) {
    this.plane = plane;
    this.admission = admission;
  }

  @Override
  public void bindTo(MeterRegistry registry) {
    Gauge.builder("hivemind.control.degraded", plane, p -> p.status().degraded() ? 1 : 0)
        .description("1 when no control-plane leader is reachable: writes fail, reads are local")
        .strongReference(true)
        .register(registry);
    Gauge.builder("hivemind.control.term", plane, p -> p.status().term())
        .description("The Raft term this agent knows")
        .strongReference(true)
        .register(registry);
    Gauge.builder("hivemind.control.commit.index", plane, p -> p.status().commitIndex())
        .description("The highest log index this agent knows is committed")
        .strongReference(true)
        .register(registry);
    Gauge.builder("hivemind.control.applied.index", plane, p -> p.view().index())
        .description("The log index of this agent's replica")
        .strongReference(true)
        .register(registry);
    Gauge.builder("hivemind.control.epoch", plane, p -> p.view().epoch())
        .description("The cluster epoch: advances with every admission and removal")
        .strongReference(true)
        .register(registry);
    Gauge.builder("hivemind.control.members", plane, p -> p.view().members().size())
        .description("Members the control plane admitted")
        .strongReference(true)
        .register(registry);
    for (ControlMembershipBridge.Admission state : ControlMembershipBridge.Admission.values()) {
      Gauge.builder("hivemind.control.admission", admission, a -> is(a, state))
          .description("1 for this node's admission state (admitted, waiting_for_roles, ...)")
          .tag("state", state.name().toLowerCase(Locale.ROOT))
          .strongReference(true)
          .register(registry);
    }
  }

  private static double is(
      Supplier<ControlMembershipBridge.AdmissionStatus> admission,
      ControlMembershipBridge.Admission state) {
    ControlMembershipBridge.AdmissionStatus now = admission.get();
    return now != null && now.admission() == state ? 1 : 0;
  }
}
