package io.hivemind.server.state;

import io.hivemind.core.control.ControlCommand;
import io.hivemind.core.control.ControlMember;
import io.hivemind.core.control.ControlView;
import io.hivemind.server.control.ControlPlane;
import io.hivemind.server.loop.DriverLoop;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A graceful leave's first step (issue 13): asks the control plane to move every partition off this
 * member ({@code DrainMember}) and waits, bounded, until the committed table says it holds none, so
 * its data is copied away before it goes rather than recovered from backups after. The wait polls
 * the control plane's view on the state loop; it never fails the leave: a drain that cannot be
 * proposed or does not finish in time is logged and the leave goes on (the cluster then promotes
 * backups, as after a crash). It also ends once every other member is draining too (a whole cluster
 * stopped at once), since no table can then move anything off this one.
 */
public final class StateDrain {

  /** Longest wait: migrating a member's share takes seconds; a minute bounds a stuck one. */
  public static final long MAX_WAIT_MILLIS = 60_000;

  /** How often the view is checked while waiting. */
  static final long POLL_MILLIS = 250;

  private static final Logger log = LoggerFactory.getLogger(StateDrain.class);

  private final ControlPlane control;
  private final DriverLoop loop;

  public StateDrain(ControlPlane control, DriverLoop loop) {
    this.control = control;
    this.loop = loop;
  }

  /**
   * Drains {@code memberId} out of the partition table; completes (never exceptionally) once it
   * holds nothing, or after {@link #MAX_WAIT_MILLIS}.
   */
  public CompletableFuture<Void> drain(String memberId) {
    CompletableFuture<Void> done = new CompletableFuture<>();
    if (memberId == null || !control.view().holdsPartitions(memberId)) {
      done.complete(null);
      return done;
    }
    log.info("leaving: draining partitions off member {} (at most {} s)", memberId, seconds());
    control
        .submit(new ControlCommand.DrainMember(memberId))
        .whenComplete(
            (result, failure) -> {
              if (failure != null) {
                log.warn("leaving without draining partitions: {}", failure.getMessage());
                done.complete(null);
              } else {
                poll(memberId, done, 0);
              }
            });
    return done;
  }

  private void poll(String memberId, CompletableFuture<Void> done, long waitedMillis) {
    if (!control.view().holdsPartitions(memberId)) {
      log.info("member {} holds no partitions: drained after {} ms", memberId, waitedMillis);
      done.complete(null);
      return;
    }
    if (nowhereToGo(control.view(), memberId)) {
      // The whole cluster (or all that is left of it) stopping at once: every other member drains
      // too, so the planner has no one to give the partitions and waiting would only add the bound
      // to every node's shutdown. Its copies stay on the others until each of them goes.
      log.info(
          "member {} still holds partitions, but every other member is leaving too: leaving with"
              + " them after {} ms",
          memberId,
          waitedMillis);
      done.complete(null);
      return;
    }
    if (waitedMillis >= MAX_WAIT_MILLIS) {
      log.warn(
          "member {} still holds partitions after {} s: leaving anyway (backups take over)",
          memberId,
          seconds());
      done.complete(null);
      return;
    }
    try {
      loop.schedule(() -> poll(memberId, done, waitedMillis + POLL_MILLIS), POLL_MILLIS);
    } catch (RejectedExecutionException e) {
      done.complete(null); // the agent is closing: nothing to wait for
    }
  }

  /** Whether no admitted member but {@code memberId} is left that is not draining. */
  static boolean nowhereToGo(ControlView view, String memberId) {
    for (ControlMember member : view.members()) {
      if (!member.id().equals(memberId) && !view.draining(member.id())) {
        return false;
      }
    }
    return true;
  }

  private static long seconds() {
    return MAX_WAIT_MILLIS / 1000;
  }
}
