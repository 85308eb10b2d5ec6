package io.hivemind.sim;

import io.hivemind.sim.SimCluster.Milestone;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.SplittableRandom;
import java.util.function.BooleanSupplier;

/**
 * Runs one {@link MembershipScenario} on a fresh {@link SimCluster} and measures it. The only place
 * in the simulator that reads a clock: the wall time of the whole run, for the speed figure.
 */
final class ScenarioRun {

  /**
   * Quiet time between phases, so that one phase's traffic does not blur the next one's figures.
   */
  static final long PAUSE_MILLIS = 1_000;

  /**
   * Longest the run waits, after the join window, for every node to see every other before it goes
   * on with the late join and the crashes anyway: a cluster that never converges still gets its
   * other figures measured.
   */
  static final long CONVERGENCE_PATIENCE_MILLIS = 60_000;

  /** Longest the run waits for the late joiner to become known before it moves on. */
  static final long LATE_JOIN_PATIENCE_MILLIS = 30_000;

  /** Joiners pick their seed among this many first nodes. */
  static final int SEEDS = 3;

  /** How often the run reads the nodes' broadcast queues to find where steady state begins. */
  static final long QUEUE_SAMPLE_MILLIS = 1_000;

  /** Counters at one instant, to take rates over a window. */
  private record Snapshot(long atMillis, Traffic traffic, CoreCounters counters, long nodeMillis) {}

  private final MembershipScenario scenario;
  private final SimCluster cluster;
  private final SplittableRandom random;
  private final List<String> initial;
  private final String late;
  private final ControlPlaneModel control;
  private int startedInitial;
  private long crashAt = -1;
  private List<String> victims = List.of();
  private Snapshot afterLateJoin;
  private Snapshot drainedSince;
  private Snapshot steadyFrom;

  ScenarioRun(MembershipScenario scenario) {
    this.scenario = scenario;
    this.cluster = new SimCluster(scenario.seed(), scenario.config());
    cluster.setLatency(scenario.latency());
    cluster.setLoss(scenario.loss());
    List<String> names = cluster.addNodes(scenario.nodes());
    this.random = cluster.newRandom();
    this.initial = names.subList(0, names.size() - 1);
    this.late = names.get(names.size() - 1);
    this.control =
        scenario.control() == null ? null : new ControlPlaneModel(cluster, scenario.control());
    if (control != null) {
      control.admitAll();
      cluster.addEventListener(control);
    }
  }

  MembershipReport run() {
    long wallStart = System.nanoTime();
    Snapshot start = snapshot();
    scheduleInitialJoins();
    schedulePartition();
    long patience = scenario.joinWindowMillis() + CONVERGENCE_PATIENCE_MILLIS;
    boolean converged =
        cluster.runUntil(this::initialViewComplete, Math.min(patience, remaining()));
    long fullView = cluster.now();
    lateJoinThenDisturb();
    runUntil(() -> false);
    double wallSeconds = (System.nanoTime() - wallStart) / 1e9;
    return report(converged ? OptionalLong.of(fullView) : OptionalLong.empty(), start, wallSeconds);
  }

  // ---- timeline ---------------------------------------------------------------------------------

  private void scheduleInitialJoins() {
    cluster.schedule(
        0,
        () -> {
          startedInitial++;
          cluster.start(initial.get(0));
        });
    int joiners = initial.size() - 1;
    long[] times = new long[joiners];
    for (int i = 0; i < joiners; i++) {
      times[i] = random.nextLong(scenario.joinWindowMillis() + 1);
    }
    Arrays.sort(times);
    for (int i = 0; i < joiners; i++) {
      String joiner = initial.get(i + 1);
      String seed = initial.get(random.nextInt(Math.min(SEEDS, i + 1)));
      cluster.schedule(
          times[i],
          () -> {
            startedInitial++;
            cluster.join(joiner, List.of(seed));
          });
    }
  }

  private void schedulePartition() {
    PartitionWindow window = scenario.partition();
    if (window == null) {
      return;
    }
    List<String> everyone = new ArrayList<>(cluster.nodeNames());
    shuffle(everyone);
    List<String> half = List.copyOf(everyone.subList(0, everyone.size() / 2));
    cluster.schedule(window.atMillis(), () -> cluster.partition(half));
    cluster.schedule(window.healAtMillis(), cluster::heal);
  }

  private boolean initialViewComplete() {
    return startedInitial == initial.size() && cluster.viewsAgree();
  }

  private void lateJoinThenDisturb() {
    if (!pause()) {
      return;
    }
    String seed = initial.get(random.nextInt(Math.min(SEEDS, initial.size())));
    cluster.join(late, List.of(seed));
    long patience = Math.min(LATE_JOIN_PATIENCE_MILLIS, remaining());
    cluster.runUntil(() -> cluster.isKnownAliveByAll(late), patience);
    afterLateJoin = snapshot();
    watchQueues();
    if (pause()) {
      disturb();
    }
  }

  /** Crashes {@code crash} random initial nodes at once and slows {@code slow} others. */
  private void disturb() {
    List<String> candidates = new ArrayList<>(initial);
    shuffle(candidates);
    victims = List.copyOf(candidates.subList(0, scenario.crash()));
    crashAt = cluster.now();
    victims.forEach(cluster::crash);
    List<String> slowed = candidates.subList(scenario.crash(), scenario.crash() + scenario.slow());
    for (String slow : slowed) {
      cluster.setSlow(slow, scenario.slowDelayMillis());
    }
    if (control != null) {
      control.markSlow(slowed);
    }
  }

  /**
   * Finds where steady state begins: the first instant after the late join from which every node's
   * broadcast queue stayed drained for {@link MembershipReport#DRAINED_HOLD_MILLIS}. A join storm
   * leaves queues backlogged for tens of seconds after the views agree (each queued update is still
   * sent its retransmit limit), so a window that starts at the late join measures how fast the
   * cluster was started as much as what it costs to run.
   */
  private void watchQueues() {
    if (cluster.longestBroadcastQueue() > MembershipReport.DRAINED_QUEUE_UPDATES) {
      drainedSince = null;
    } else if (drainedSince == null) {
      drainedSince = snapshot();
    }
    if (drainedSince != null
        && cluster.now() - drainedSince.atMillis() >= MembershipReport.DRAINED_HOLD_MILLIS) {
      steadyFrom = drainedSince;
      return;
    }
    if (remaining() > QUEUE_SAMPLE_MILLIS) {
      cluster.schedule(cluster.now() + QUEUE_SAMPLE_MILLIS, this::watchQueues);
    }
  }

  /** Runs {@link #PAUSE_MILLIS} if the run lasts that long; returns whether it does. */
  private boolean pause() {
    if (remaining() <= PAUSE_MILLIS) {
      return false;
    }
    cluster.runFor(PAUSE_MILLIS);
    return true;
  }

  private boolean runUntil(BooleanSupplier condition) {
    return cluster.runUntil(condition, remaining());
  }

  /** Fisher–Yates with the scenario's own stream (Collections.shuffle wants a java.util.Random). */
  private void shuffle(List<String> names) {
    for (int i = names.size() - 1; i > 0; i--) {
      Collections.swap(names, i, random.nextInt(i + 1));
    }
  }

  private long remaining() {
    return Math.max(0, scenario.durationMillis() - cluster.now());
  }

  // ---- figures ----------------------------------------------------------------------------------

  private Snapshot snapshot() {
    return new Snapshot(
        cluster.now(), cluster.traffic(), cluster.coreCounters(), cluster.liveNodeMillis());
  }

  private MembershipReport report(OptionalLong fullView, Snapshot start, double wallSeconds) {
    Snapshot end = snapshot();
    return new MembershipReport(
        scenario,
        cluster.now(),
        cluster.eventsRun(),
        joinFigures(fullView),
        crashFigures(),
        cluster.falsePositives(),
        rates(start, end),
        Optional.ofNullable(afterLateJoin).map(from -> rates(from, end)),
        Optional.ofNullable(steadyFrom).map(from -> rates(from, end)),
        end.traffic(),
        end.counters(),
        Optional.ofNullable(control).map(c -> c.figures(victims)),
        cluster.allLiveNodesAgree(),
        cluster.stuckTicks(),
        wallSeconds > 0 ? cluster.now() / 1000.0 / wallSeconds : 0);
  }

  private MembershipReport.Join joinFigures(OptionalLong fullView) {
    List<String> joiners = initial.subList(1, initial.size());
    long[] times = durations(joiners, Milestone.JOIN_STARTED, Milestone.KNOWN_ALIVE_BY_ALL);
    long[] lateTimes =
        durations(List.of(late), Milestone.JOIN_STARTED, Milestone.KNOWN_ALIVE_BY_ALL);
    return new MembershipReport.Join(
        joiners.size(),
        times.length,
        Percentiles.of(times),
        fullView,
        lateTimes.length == 0 ? OptionalLong.empty() : OptionalLong.of(lateTimes[0]));
  }

  private MembershipReport.Crash crashFigures() {
    long[] suspected = durations(victims, Milestone.CRASHED, Milestone.FIRST_SUSPECTED);
    long[] dead = durations(victims, Milestone.CRASHED, Milestone.DEAD_EVERYWHERE);
    return new MembershipReport.Crash(
        crashAt < 0 ? OptionalLong.empty() : OptionalLong.of(crashAt),
        victims.size(),
        suspected.length,
        dead.length,
        Percentiles.of(suspected),
        Percentiles.of(dead));
  }

  /** For each node that reached both milestones, the time from the first to the second. */
  private long[] durations(List<String> names, Milestone from, Milestone to) {
    return names.stream()
        .filter(name -> cluster.milestone(name, to).isPresent())
        .mapToLong(name -> cluster.milestone(name, to).get() - cluster.milestone(name, from).get())
        .toArray();
  }

  private static MembershipReport.Rates rates(Snapshot from, Snapshot to) {
    Traffic traffic = to.traffic().minus(from.traffic());
    CoreCounters counters = to.counters().minus(from.counters());
    double nodeSeconds = Math.max(1, to.nodeMillis() - from.nodeMillis()) / 1000.0;
    return new MembershipReport.Rates(
        from.atMillis(),
        to.atMillis(),
        traffic.packets() / nodeSeconds,
        counters.messagesSent() / nodeSeconds,
        traffic.streams() / nodeSeconds,
        traffic.packetBytes() / nodeSeconds,
        traffic.streamBytes() / nodeSeconds);
  }
}
