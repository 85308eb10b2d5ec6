package io.hivemind.core.membership;

import java.util.HashMap;
import java.util.Map;

/**
 * This node's own probe verdicts, reported as {@link MembershipEvent.Type#PROBE_FAILED} and {@link
 * MembershipEvent.Type#PROBE_ANSWERED} for a control plane that wants independent observers (issue
 * 10, "agreement on failure"). Only this node's probes count, never suspicions heard by gossip: a
 * driver forwards these as observations, and observations must be independent.
 *
 * <p>Remembers, per member whose probe failed, the incarnation it failed at, until the member
 * answers a later probe or refutes (an Alive above that incarnation), or is reaped. Bounded by the
 * member table.
 *
 * <p>Owned by the node's thread.
 */
final class ProbeVerdicts {

  private final NodeContext ctx;
  private final Map<String, Long> failedAt = new HashMap<>();

  ProbeVerdicts(NodeContext ctx) {
    this.ctx = ctx;
  }

  /** A probe round of ours against {@code target} ended without an ack. */
  void failed(NodeState target) {
    failedAt.put(target.name, target.incarnation);
    ctx.emit(MembershipEvent.Type.PROBE_FAILED, target);
  }

  /** {@code target} acked a probe of ours. */
  void answered(NodeState target) {
    if (failedAt.remove(target.name) != null) {
      ctx.emit(MembershipEvent.Type.PROBE_ANSWERED, target);
    }
  }

  /**
   * {@code node} is alive at a new incarnation: a refutation of our failed probe, if it is above.
   */
  void alive(NodeState node) {
    Long failed = failedAt.get(node.name);
    if (failed != null && node.incarnation > failed) {
      failedAt.remove(node.name);
      ctx.emit(MembershipEvent.Type.PROBE_ANSWERED, node);
    }
  }

  /** The member is gone from the table (reaped) or removed by a committed decision. */
  void forget(String name) {
    failedAt.remove(name);
  }
}
