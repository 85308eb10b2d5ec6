package io.hivemind.sim;

import io.hivemind.core.control.ControlMember;
import io.hivemind.core.control.Observation;
import io.hivemind.core.control.RemovalDecision;
import io.hivemind.core.control.RemovalRule;
import io.hivemind.core.membership.Member;
import io.hivemind.core.membership.MembershipEvent;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The control plane as the simulator models it (issue 10, "agreement on failure"): a leader that
 * never fails, fed by every node's own probe verdicts ({@link MembershipEvent.Type#PROBE_FAILED},
 * {@link MembershipEvent.Type#PROBE_ANSWERED}), running the real {@link RemovalRule} on each
 * committed batch, and pushing committed removals to every running node ({@link
 * io.hivemind.core.membership.MembershipNode#applyCommittedRemoval}).
 *
 * <p>Timing, from {@link ControlModel}: observations wait for the next batch boundary, commit
 * {@code commitDelayMillis} later, and reach each node {@code deliveryDelayMillis} after that (a
 * slow node handles it its slow delay later still). While suspicions stand, the leader commits a
 * tick each batch so the rule's clock advances without new observations.
 *
 * <p>Every host is admitted at the start (the registry is the scenario's hosts); a removed host is
 * not readmitted: readmission is the admission path's, and a removed node that still runs is only
 * told (it refutes and raises LOCAL_DECLARED_DEAD).
 *
 * <p>Single-threaded, run by the {@link EventQueue} through {@link SimCluster#schedule}.
 */
final class ControlPlaneModel implements SimCluster.EventListener {

  private final SimCluster cluster;
  private final ControlModel model;
  private final RemovalRule rule;
  private final TreeMap<String, ControlMember> registry = new TreeMap<>();
  private List<ControlMember> members = List.of();
  private final List<Observation> pending = new ArrayList<>();
  private boolean proposalScheduled;
  private final Set<String> slow = new HashSet<>();
  private final Map<String, Long> removedAtMillis = new HashMap<>();
  private final Map<String, Integer> viewChanges = new HashMap<>();
  private final Map<String, Integer> appliedByHost = new HashMap<>();
  private final List<String> healthyRemoved = new ArrayList<>();
  private long removals;
  private long entries;
  private long observations;

  ControlPlaneModel(SimCluster cluster, ControlModel model) {
    this.cluster = cluster;
    this.model = model;
    this.rule = new RemovalRule(model.policy());
  }

  /** Admits every host of the cluster (the registry before the run starts). */
  void admitAll() {
    long index = 0;
    for (String name : cluster.nodeNames()) {
      index++;
      registry.put(
          name, new ControlMember(name, name, cluster.address(name), List.of(), "", "", 1, index));
    }
    members = List.copyOf(registry.values());
  }

  /** These hosts turned slow: a removal of them is not a healthy node removed. */
  void markSlow(List<String> names) {
    slow.addAll(names);
  }

  // ---- observations in --------------------------------------------------------------------------

  @Override
  public void onEvent(long atMillis, String observer, MembershipEvent event) {
    Observation.Kind kind =
        switch (event.type()) {
          case PROBE_FAILED -> Observation.Kind.SUSPECT;
          case PROBE_ANSWERED -> Observation.Kind.ALIVE;
          default -> null;
        };
    if (kind == null) {
      return;
    }
    Member subject = event.member();
    int health = cluster.node(observer).localHealthScore();
    pending.add(
        new Observation(
            observer,
            subject.name(),
            subject.name(),
            subject.incarnation(),
            kind,
            health,
            atMillis));
    observations++;
    scheduleProposal();
  }

  /** At the next batch boundary, the leader proposes what it collected (or a tick). */
  private void scheduleProposal() {
    if (proposalScheduled) {
      return;
    }
    proposalScheduled = true;
    long batch = model.batchMillis();
    cluster.schedule((cluster.now() / batch + 1) * batch, this::propose);
  }

  private void propose() {
    proposalScheduled = false;
    List<Observation> batch = List.copyOf(pending);
    pending.clear();
    long commitAt = cluster.now() + model.commitDelayMillis();
    cluster.schedule(commitAt, () -> apply(batch, commitAt));
  }

  // ---- the committed entry ----------------------------------------------------------------------

  /** What every replica does when the batch commits: the rule, then its removals. */
  private void apply(List<Observation> batch, long atMillis) {
    entries++;
    batch.forEach(o -> rule.observe(o, atMillis));
    for (RemovalDecision decision : rule.decide(atMillis, members)) {
      commitRemoval(decision, atMillis);
    }
    if (rule.standingSuspicions() > 0) {
      scheduleProposal(); // a tick: the rule's clock must move while suspicions stand
    }
  }

  private void commitRemoval(RemovalDecision decision, long atMillis) {
    String name = decision.memberId();
    registry.remove(name);
    members = List.copyOf(registry.values());
    removals++;
    removedAtMillis.put(name, atMillis);
    viewChanges.merge(name, 1, Integer::sum);
    if (cluster.isRunning(name) && !slow.contains(name)) {
      healthyRemoved.add(name);
    }
    for (String host : cluster.runningNodes()) {
      long at = atMillis + model.deliveryDelayMillis() + cluster.slowDelayMillis(host);
      cluster.schedule(at, () -> deliver(host, name, decision.incarnation()));
    }
  }

  private void deliver(String host, String removed, long incarnation) {
    if (cluster.isRunning(host)) {
      cluster.applyCommittedRemoval(host, removed, incarnation);
      appliedByHost.merge(host, 1, Integer::sum);
    }
  }

  // ---- figures ----------------------------------------------------------------------------------

  /** The members removed so far, by name. */
  SortedSet<String> removed() {
    return new TreeSet<>(removedAtMillis.keySet());
  }

  /** When {@code name}'s removal committed, if it did. */
  Optional<Long> removedAtMillis(String name) {
    return Optional.ofNullable(removedAtMillis.get(name));
  }

  ControlFigures figures(List<String> crashed) {
    long[] crashToRemoval =
        crashed.stream()
            .filter(removedAtMillis::containsKey)
            .mapToLong(
                name ->
                    removedAtMillis.get(name)
                        - cluster.milestone(name, SimCluster.Milestone.CRASHED).orElseThrow())
            .toArray();
    int slowRemoved = (int) slow.stream().filter(removedAtMillis::containsKey).count();
    int maxSlowChanges =
        slow.stream().mapToInt(n -> viewChanges.getOrDefault(n, 0)).max().orElse(0);
    return new ControlFigures(
        model,
        crashed.size(),
        crashToRemoval.length,
        Percentiles.of(crashToRemoval),
        healthyRemoved,
        slow.size(),
        slowRemoved,
        maxSlowChanges,
        removals,
        entries,
        observations,
        allHoldCommittedView(),
        gossipDisagreements());
  }

  private boolean allHoldCommittedView() {
    return cluster.runningNodes().stream()
        .allMatch(host -> appliedByHost.getOrDefault(host, 0) == removals);
  }

  /** O(N²): pairs where a running node's gossip table and the registry differ on membership. */
  private long gossipDisagreements() {
    long count = 0;
    List<String> hosts = cluster.nodeNames();
    for (String observer : cluster.runningNodes()) {
      for (String subject : hosts) {
        if (subject.equals(observer) || !cluster.hasStarted(subject)) {
          continue;
        }
        Optional<Member> seen = cluster.member(observer, subject);
        boolean active = seen.map(Member::isActive).orElse(false);
        if (active != registry.containsKey(subject)) {
          count++;
        }
      }
    }
    return count;
  }
}
