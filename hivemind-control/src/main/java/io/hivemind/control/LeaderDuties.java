package io.hivemind.control;

import io.hivemind.core.control.BootstrapPlan;
import io.hivemind.core.control.ControlCommand;
import io.hivemind.core.control.ControlEvent;
import io.hivemind.core.control.ControlMember;
import io.hivemind.core.control.ControlView;
import io.hivemind.core.control.VoterPlan;
import io.hivemind.server.control.ControlPeer;
import io.hivemind.server.role.ControlConfig;
import io.hivemind.server.role.RoleContext;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What the leader does periodically: writes the bootstrap entry of a new group, commits ticks while
 * the removal rule holds suspicions (its timeouts need time to pass in the log), and keeps the
 * voters at 3 or 5 by replacing a voter the cluster removed or gossip shows dead ({@link
 * VoterPlan}).
 *
 * <p>Runs on the control role's duty thread only; one change in flight at a time.
 */
final class LeaderDuties {

  /** The removal rule's clock resolution while a suspicion stands. */
  private static final long TICK_INTERVAL_MILLIS = 500;

  private static final Logger log = LoggerFactory.getLogger(LeaderDuties.class);

  private final RoleContext context;
  private final RatisControlPlane plane;
  private CompletableFuture<?> inFlight = CompletableFuture.completedFuture(null);
  private long lastTickMillis;

  LeaderDuties(RoleContext context, RatisControlPlane plane) {
    this.context = context;
    this.plane = plane;
  }

  void run(RatisControlPlane running) {
    if (!running.isLeader() || !inFlight.isDone()) {
      return;
    }
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
    if (running.standingSuspicions() > 0 && now - lastTickMillis >= TICK_INTERVAL_MILLIS) {
      lastTickMillis = now;
      inFlight = running.submit(new ControlCommand.Tick());
      return;
    }
    planVoters(running, view);
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
    if (!plan.remove().isEmpty()) {
      String gone = plan.remove().get(0);
      log.info("replacing control voter {}: voters {} → {}", gone, voters, plan.voters());
      inFlight = running.removePeer(gone);
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
