package io.hivemind.sim;

import io.hivemind.core.membership.MembershipConfig;
import java.util.Objects;

/**
 * A seeded membership run on the simulator, and how to run it ({@link #run}).
 *
 * <p>The timeline: node 0 starts alone at 0 s; the other initial nodes join at random instants
 * within the join window, each through one seed picked at random among the first three nodes. A
 * second after every node sees every other ALIVE (or, if that never happens, a minute after the
 * join window), one late node joins and the run times until all know it. A second after that (or
 * after 30 s without), {@code crash} random nodes crash at once and {@code slow} others turn slow.
 * The partition, if any, splits a random half from the rest at a fixed time and heals after its
 * length. The run stops at {@code duration}.
 *
 * @param nodes hosts in all, the late joiner included (at least 2)
 * @param loss probability in [0, 1) that a datagram is lost
 * @param latency one-way delay of every link
 * @param durationMillis virtual time the run lasts
 * @param crash nodes that crash after convergence
 * @param slow nodes that turn slow after convergence
 * @param slowDelayMillis how late a slow node handles each input
 * @param partition when to split the cluster in halves and for how long; null for never
 * @param joinWindowMillis the initial joins are spread over this long
 * @param seed the master seed of every random choice
 * @param profile membership profile: lan, wan or local
 * @param control the modelled control plane (issue 10) that agrees on removals; null for gossip
 *     alone
 */
// Justification: twelve independent settings of one run; the Builder is how callers set them.
public record MembershipScenario(
    int nodes,
    double loss,
    Latency latency,
    long durationMillis,
    int crash,
    int slow,
    long slowDelayMillis,
    PartitionWindow partition,
    long joinWindowMillis,
    long seed,
    String profile,
    ControlModel control) {

  /** Large enough to show steady state and a crash detected at 1,000 nodes. */
  public static final long DEFAULT_DURATION_MILLIS = 120_000;

  /** A data-centre network. */
  public static final Latency DEFAULT_LATENCY = Latency.between(1, 2);

  /**
   * An overloaded CPU answers a second late: longer than the LAN probe timeout, so without
   * Lifeguard's stretched timeouts a slow node would fail every probe it sends.
   */
  public static final long DEFAULT_SLOW_DELAY_MILLIS = 1_000;

  /** A rolling start of a thousand nodes takes seconds, not an instant. */
  public static final long DEFAULT_JOIN_WINDOW_MILLIS = 5_000;

  /**
   * Memory grows as N² (every node keeps a record of every other): 10,000 nodes need tens of GB of
   * heap, which is the practical ceiling of one simulating JVM.
   */
  public static final int MAX_NODES = 10_000;

  public MembershipScenario {
    Objects.requireNonNull(latency, "latency");
    Objects.requireNonNull(profile, "profile");
    MembershipConfig.profile(profile);
    require(nodes >= 2 && nodes <= MAX_NODES, "nodes must be 2.." + MAX_NODES + ", got " + nodes);
    require(loss >= 0 && loss < 1, "loss must be in [0, 1), got " + loss);
    require(durationMillis > 0, "duration must be positive, got " + durationMillis + " ms");
    require(crash >= 0 && slow >= 0, "crash and slow must be >= 0, got " + crash + " and " + slow);
    require(
        crash + slow <= nodes - 2,
        "crash + slow must leave a healthy node besides the late joiner: at most "
            + (nodes - 2)
            + " of "
            + nodes
            + " nodes, got "
            + (crash + slow));
    require(slowDelayMillis >= 0, "slow delay must be >= 0 ms, got " + slowDelayMillis);
    require(joinWindowMillis >= 0, "join window must be >= 0 ms, got " + joinWindowMillis);
  }

  private static void require(boolean condition, String message) {
    if (!condition) {
      throw new IllegalArgumentException(message);
    }
  }

  public static Builder builder() {
    return new Builder();
  }

  /** Runs the scenario; the same scenario gives the same report but for the speed figure. */
  public MembershipReport run() {
    return new ScenarioRun(this).run();
  }

  /** The membership configuration of the profile (with the control model's probes, if any). */
  public MembershipConfig config() {
    MembershipConfig base = MembershipConfig.profile(profile);
    if (control == null) {
      return base;
    }
    return base.toBuilder().confirmationProbes(control.confirmationProbes()).build();
  }

  /** Sets a scenario's fields; unset ones take the defaults above (seed 1, LAN profile). */
  public static final class Builder {
    private int nodes = 100;
    private double loss;
    private Latency latency = DEFAULT_LATENCY;
    private long durationMillis = DEFAULT_DURATION_MILLIS;
    private int crash;
    private int slow;
    private long slowDelayMillis = DEFAULT_SLOW_DELAY_MILLIS;
    private PartitionWindow partition;
    private long joinWindowMillis = DEFAULT_JOIN_WINDOW_MILLIS;
    private long seed = 1;
    private String profile = "lan";
    private ControlModel control;

    private Builder() {}

    public Builder nodes(int value) {
      nodes = value;
      return this;
    }

    public Builder loss(double value) {
      loss = value;
      return this;
    }

    public Builder latency(Latency value) {
      latency = value;
      return this;
    }

    public Builder durationMillis(long value) {
      durationMillis = value;
      return this;
    }

    public Builder crash(int value) {
      crash = value;
      return this;
    }

    public Builder slow(int value) {
      slow = value;
      return this;
    }

    public Builder slowDelayMillis(long value) {
      slowDelayMillis = value;
      return this;
    }

    /** Null for no partition. */
    public Builder partition(PartitionWindow value) {
      partition = value;
      return this;
    }

    public Builder joinWindowMillis(long value) {
      joinWindowMillis = value;
      return this;
    }

    public Builder seed(long value) {
      seed = value;
      return this;
    }

    public Builder profile(String value) {
      profile = value;
      return this;
    }

    /** Null for gossip alone (the default). */
    public Builder control(ControlModel value) {
      control = value;
      return this;
    }

    /**
     * @throws IllegalArgumentException naming the first setting out of range
     */
    public MembershipScenario build() {
      return new MembershipScenario(
          nodes,
          loss,
          latency,
          durationMillis,
          crash,
          slow,
          slowDelayMillis,
          partition,
          joinWindowMillis,
          seed,
          profile,
          control);
    }
  }
}
