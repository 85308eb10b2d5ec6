package io.hivemind.sim;

import java.util.List;

/**
 * What the modelled control plane did in a run (see {@link ControlModel}).
 *
 * @param model the model the run used
 * @param crashed nodes crashed
 * @param crashedRemoved of those, how many the control plane removed
 * @param crashToRemoval per removed crashed node: from the crash to the removal's commit
 * @param healthyRemoved nodes removed while running and not slow (must stay empty)
 * @param slow nodes made slow
 * @param slowRemoved of those, how many were removed
 * @param maxViewChangesPerSlowNode the most committed view changes about any one slow node
 * @param removals committed removals in all
 * @param entries log entries committed (observation batches and ticks)
 * @param observations probe verdicts the nodes reported
 * @param allHoldCommittedView whether, at the end, every running node had applied every committed
 *     removal (its view of the registry is the leader's)
 * @param gossipDisagreements (running node, host) pairs where the node's gossip table holds the
 *     host active but the registry does not, or the reverse: what gossip alone would still have the
 *     node believe
 */
// Justification: one flat record of figures, as MembershipReport.
public record ControlFigures(
    ControlModel model,
    int crashed,
    int crashedRemoved,
    Percentiles crashToRemoval,
    List<String> healthyRemoved,
    int slow,
    int slowRemoved,
    int maxViewChangesPerSlowNode,
    long removals,
    long entries,
    long observations,
    boolean allHoldCommittedView,
    long gossipDisagreements) {

  public ControlFigures {
    healthyRemoved = List.copyOf(healthyRemoved);
  }
}
