package io.hivemind.control;

import io.hivemind.api.MemberState;
import io.hivemind.core.control.ApplyResult;
import io.hivemind.core.control.BootstrapPlan;
import io.hivemind.core.control.ControlCommand;
import io.hivemind.core.control.ControlEvent;
import io.hivemind.core.control.ControlMember;
import io.hivemind.core.control.ControlView;
import io.hivemind.core.control.RemovalReason;
import io.hivemind.core.control.VoterPlan;
import io.hivemind.core.membership.Member;
import io.hivemind.server.control.ControlPeer;
import io.hivemind.server.role.ControlConfig;
import io.hivemind.server.role.RoleContext;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What the leader does periodically: writes the bootstrap entry of a new group, commits ticks while
 * the removal rule holds suspicions (its timeouts need time to pass in the log), and keeps the
 * voters at 3 or 5 by replacing a voter the cluster removed or gossip shows dead ({@link
 * VoterPlan}), and commits the next partition table when the members change, moves complete or
 * members drain ({@link PartitionTableDuty}).
 *
 * <p>Runs on the control role's duty thread only; one change in flight at a time.
 */
final class LeaderDuties {

  /**
   * Longer than the removal rule takes with observers (a few seconds), so the rule decides when it
   * can; short enough that a member gossip agreed is dead leaves the registry within half a minute.
   */
  private static final long GOSSIP_DEAD_GRACE_MILLIS = 20_000;

  /**
   * The removal rule's clock resolution while a suspicion stands, and the sessions' while one has a
   * TTL (a gap of {@code SessionTable.OUTAGE_MILLIS} between entries then means no leader).
   */
  private static final long TICK_INTERVAL_MILLIS = 500;

  /**
   * The sessions' clock resolution while one has a TTL and no suspicion stands: a TTL is at least
   * 10 s and expires at twice that, so a second is precise enough, and a gap of {@code
   * SessionTable.OUTAGE_MILLIS} between entries then means there was no leader.
   */
  private static final long SESSION_TICK_INTERVAL_MILLIS = 1_000;

  /** A duty's proposal outstanding this long is given up on (Raft's own retries end sooner). */
  private static final long DUTY_STUCK_NANOS = java.util.concurrent.TimeUnit.SECONDS.toNanos(30);

  private static final Logger log = LoggerFactory.getLogger(LeaderDuties.class);

  private final RoleContext context;
  private CompletableFuture<?> inFlight = CompletableFuture.completedFuture(null);

  /** When the duty in flight (if any) was proposed. */
  private long inFlightSince = System.nanoTime();

  private long lastTickMillis;
  private final Map<String, Long> deadSince = new HashMap<>();
  private final PartitionTableDuty tables;

  LeaderDuties(RoleContext context) {
    this.context = context;
    this.tables = PartitionTableDuty.withBackups(context.node().control().partitionBackups());
  }

  void run(RatisControlPlane running) {
    if (!inFlight.isDone() && System.nanoTime() - inFlightSince > DUTY_STUCK_NANOS) {
      // A proposal that never completes must not stop every duty for good (a table, a removal):
      // the next round plans again from the committed view, which is always safe.
      log.warn("a leader duty's proposal has not completed in 30 s; the duties go on without it");
      inFlight = CompletableFuture.completedFuture(null);
    }
    if (!running.isLeader() || !inFlight.isDone()) {
      return;
    }
    inFlightSince = System.nanoTime();
    ControlView view = running.view();
    if (view.cluster().isEmpty()) {
      inFlight =
          running
              .submit(
                  new ControlCommand.Bootstrap(
                      context.node().cluster(), context.node().environment().id()))
              .whenComplete(
                  (r, f) -> log.info("bootstrap entry {}", f == null ? r : f.getMessage()));
      return;
    }
    long now = System.currentTimeMillis();
    // The sweep first: a lone suspicion that never resolves keeps ticks due, and a tick that takes
    // longer than a duty round to commit would otherwise starve everything after it.
    if (sweepGossipDead(running, view, now)) {
      return;
    }
    long tickInterval =
        running.standingSuspicions() > 0
            ? TICK_INTERVAL_MILLIS
            : running.sessionsExpire() ? SESSION_TICK_INTERVAL_MILLIS : Long.MAX_VALUE;
    if (now - lastTickMillis >= tickInterval) {
      lastTickMillis = now;
      inFlight = running.submit(new ControlCommand.Tick());
      return;
    }
    if (proposePartitionTable(running, view)) {
      return;
    }
    planVoters(running, view);
  }

  /** Proposes the next partition table and its moves when it differs ({@link #tables}). */
  private boolean proposePartitionTable(RatisControlPlane running, ControlView view) {
    Optional<PartitionTableDuty.Planned> planned = tables.next(view);
    if (planned.isEmpty()) {
      return false;
    }
    PartitionTableDuty.Planned next = planned.get();
    long version = next.command().table().version();
    inFlight =
        running
            .submit(next.command())
            .whenComplete(
                (result, failure) -> {
                  if (failure != null || result instanceof ApplyResult.Refused) {
                    // Retried on the next round, planned again from the then committed view.
                    log.info(
                        "partition table {} not committed: {}",
                        version,
                        failure != null ? failure.toString() : result);
                  } else {
                    log.info(
                        "partition table {} committed for {} members: {} promotions, {} moves"
                            + " started, {} in flight",
                        version,
                        next.command().table().members().size(),
                        next.promotions(),
                        next.started(),
                        next.command().inFlight().size());
                  }
                });
    return true;
  }

  /**
   * The safety net under the removal rule: a member the leader's gossip has shown DEAD or LEFT (at
   * its admitted address) for {@link #GOSSIP_DEAD_GRACE_MILLIS} is removed, even if too few
   * observers reported it (they stopped probing once gossip declared it dead, or they were
   * partitioned away). Without it a crashed member could stay in the registry, and later its
   * registrations in the catalogue, for good.
   */
  private boolean sweepGossipDead(RatisControlPlane running, ControlView view, long now) {
    Map<String, Member> gossip = new HashMap<>();
    for (Member member : context.membership().members()) {
      gossip.put(member.name(), member);
    }
    Set<String> admitted = new HashSet<>();
    for (ControlMember member : view.members()) {
      admitted.add(member.id());
      Member seen = gossip.get(member.name());
      // Only a DEAD or LEFT entry counts, never absence: a leader whose own gossip has not joined
      // anyone (restarted, seeds down) knows no one, and must not remove them all.
      boolean gone =
          seen != null
              && seen.address().equals(member.address())
              && (seen.state() == MemberState.DEAD || seen.state() == MemberState.LEFT);
      if (!gone) {
        deadSince.remove(member.id());
        continue;
      }
      long since = deadSince.computeIfAbsent(member.id(), id -> now);
      if (now - since >= GOSSIP_DEAD_GRACE_MILLIS) {
        boolean left = seen != null && seen.state() == MemberState.LEFT;
        log.info(
            "removing {}: gossip has shown it {} for {} s",
            member.name(),
            left ? "LEFT" : "DEAD",
            (now - since) / 1000);
        deadSince.remove(member.id());
        inFlight =
            running.submit(
                new ControlCommand.RemoveMember(
                    member.id(), left ? RemovalReason.LEFT : RemovalReason.FAILED, List.of()));
        return true;
      }
    }
    deadSince.keySet().retainAll(admitted);
    return false;
  }

  /** Whether the latest event about {@code name} in the retained log is its removal or leave. */
  private static boolean removedByLog(ControlView view, String name) {
    if (view.members().stream().anyMatch(m -> m.name().equals(name))) {
      return false;
    }
    for (int i = view.events().size() - 1; i >= 0; i--) {
      ControlEvent event = view.events().get(i);
      if (!event.subject().equals(name)) {
        continue;
      }
      if (event.type().equals(ControlEvent.MEMBER_REMOVED)
          || event.type().equals(ControlEvent.MEMBER_LEFT)) {
        return true;
      }
      if (event.type().equals(ControlEvent.MEMBER_ADMITTED)) {
        return false;
      }
    }
    return false;
  }

  private void planVoters(RatisControlPlane running, ControlView view) {
    List<ControlPeer> peers = running.status().peers();
    if (peers.isEmpty()) {
      return; // closing, or the configuration is not known yet: nothing to plan from
    }
    List<String> voters = peers.stream().filter(ControlPeer::voter).map(ControlPeer::id).toList();
    Map<String, String> raftAddresses = new HashMap<>();
    for (BootstrapPlan.Candidate candidate : GossipCandidates.visible(context.membership())) {
      raftAddresses.put(candidate.name(), candidate.raftAddress());
    }
    Set<String> controlMembers =
        view.members().stream()
            .filter(m -> m.hasRole(ControlConfig.CONTROL_ROLE))
            .map(ControlMember::name)
            .collect(Collectors.toSet());
    // A voter counts as a member until the cluster removes it: right after forming, voters are
    // not admitted yet, and must not be replaced for it. A voter the log removed (dead, or left)
    // drops out and is replaced by a spare control-capable member, when there is one.
    for (String voter : voters) {
      if (!removedByLog(view, voter)) {
        controlMembers.add(voter);
      }
    }
    int target = controlMembers.size() >= VoterPlan.LARGE ? VoterPlan.LARGE : VoterPlan.SMALL;
    VoterPlan plan = VoterPlan.plan(voters, controlMembers, raftAddresses.keySet(), target);
    if (plan.unchanged()) {
      return;
    }
    // Replace, never shrink: a spare is added first, and a voter leaves only once the group has
    // more voters than the plan wants. The leader's own gossip decides who is "alive" here, and a
    // leader whose gossip sees nobody (restarted, not joined yet) must not vote its peers out.
    if (plan.add().isEmpty()) {
      if (!plan.remove().isEmpty()
          && voters.size() > VoterPlan.SMALL
          && voters.size() > plan.voters().size()) {
        String gone = plan.remove().get(0);
        log.info("control voter {} leaves: voters {} → {}", gone, voters, plan.voters());
        inFlight = running.removePeer(gone);
      }
      return;
    }
    String added = plan.add().get(0);
    String address = raftAddresses.get(added);
    if (address != null) {
      log.info("adding control voter {} at {}", added, address);
      inFlight = running.addPeer(added, address);
    }
  }
}
