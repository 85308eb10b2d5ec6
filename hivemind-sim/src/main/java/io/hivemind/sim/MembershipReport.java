package io.hivemind.sim;

import java.util.Optional;
import java.util.OptionalLong;

/**
 * What a {@link MembershipScenario} run measured. Times are virtual milliseconds; everything but
 * {@link #simSecondsPerWallSecond} depends only on the scenario, seed included.
 *
 * @param scenario what was run
 * @param simulatedMillis virtual time covered
 * @param events simulator events run
 * @param join how fast nodes became known
 * @param crash how fast crashes were detected
 * @param falsePositives accusations against running members
 * @param total traffic per node-second over the whole run
 * @param afterLateJoin traffic per node-second from the late join's convergence to the end (crashes
 *     included); empty if the cluster never got there. After a fast start it still carries the join
 *     storm's backlog: queued updates are sent their retransmit limit for tens of seconds more
 * @param steady traffic per node-second from when, after the late join, every node's broadcast
 *     queue had stayed drained ({@link #DRAINED_QUEUE_UPDATES}) for {@link #DRAINED_HOLD_MILLIS},
 *     to the end; empty if the queues never drained. Crashes and slow nodes after that instant are
 *     included: detection is part of steady operation
 * @param traffic what the network carried in all
 * @param counters the nodes' own counters, summed
 * @param control what the modelled control plane did; empty for gossip alone
 * @param viewsAgreeAtEnd whether, read from the member tables at the end, every running node saw
 *     every running node ALIVE, every crashed one DEAD and every left one LEFT
 * @param stuckTicks ticks after which a node still had a deadline due (a core timer bug if not 0)
 * @param simSecondsPerWallSecond speed of the run: the only figure that varies between runs
 */
// Justification: one flat record of figures reads better in the CLI and JSON than more nesting.
public record MembershipReport(
    MembershipScenario scenario,
    long simulatedMillis,
    long events,
    Join join,
    Crash crash,
    FalsePositives falsePositives,
    Rates total,
    Optional<Rates> afterLateJoin,
    Optional<Rates> steady,
    Traffic traffic,
    CoreCounters counters,
    Optional<ControlFigures> control,
    boolean viewsAgreeAtEnd,
    long stuckTicks,
    double simSecondsPerWallSecond) {

  /**
   * A node's broadcast queue counts as drained at this many updates or fewer: less than one gossip
   * packet's worth (a 1,400-byte packet carries about 17 Alive updates), so nothing waits behind a
   * backlog. Not zero: a crash or a flapping slow node keeps a few updates in every queue, and that
   * is steady operation.
   */
  public static final int DRAINED_QUEUE_UPDATES = 16;

  /** How long every queue must stay drained before the steady window is taken to begin. */
  public static final long DRAINED_HOLD_MILLIS = 10_000;

  /**
   * Join figures.
   *
   * @param joiners nodes that joined through a seed during the join window
   * @param converged of those, how many became known ALIVE by every running node
   * @param convergence per converged joiner: from its join until every running node had it ALIVE
   * @param fullViewMillis from the start until every node saw every other ALIVE
   * @param lateJoinMillis the late node: from its join until every running node had it ALIVE
   */
  public record Join(
      int joiners,
      int converged,
      Percentiles convergence,
      OptionalLong fullViewMillis,
      OptionalLong lateJoinMillis) {}

  /**
   * Crash figures.
   *
   * @param atMillis when the nodes crashed; empty if the run never got there
   * @param crashed nodes crashed
   * @param suspected of those, how many some node suspected
   * @param detected of those, how many every running node marked DEAD
   * @param firstSuspicion per suspected node: from the crash to the first suspicion anywhere
   * @param deadEverywhere per detected node: from the crash until every running node had it DEAD
   */
  public record Crash(
      OptionalLong atMillis,
      int crashed,
      int suspected,
      int detected,
      Percentiles firstSuspicion,
      Percentiles deadEverywhere) {}

  /**
   * Traffic sent per running node per second of a window. Datagrams and stream bytes are counted on
   * the network; messages (protocol messages, several to a compound packet) by the nodes.
   */
  public record Rates(
      long fromMillis,
      long toMillis,
      double packetsPerNodeSecond,
      double messagesPerNodeSecond,
      double streamsPerNodeSecond,
      double packetBytesPerNodeSecond,
      double streamBytesPerNodeSecond) {

    /** Datagram and stream bytes together. */
    public double bytesPerNodeSecond() {
      return packetBytesPerNodeSecond + streamBytesPerNodeSecond;
    }
  }

  /** This report with the speed figure zeroed: equal for equal scenarios. */
  public MembershipReport withoutSpeed() {
    return new MembershipReport(
        scenario,
        simulatedMillis,
        events,
        join,
        crash,
        falsePositives,
        total,
        afterLateJoin,
        steady,
        traffic,
        counters,
        control,
        viewsAgreeAtEnd,
        stuckTicks,
        0);
  }
}
