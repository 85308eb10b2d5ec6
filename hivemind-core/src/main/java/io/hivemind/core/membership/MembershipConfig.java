package io.hivemind.core.membership;

import java.time.Duration;
import java.util.Locale;
import java.util.Objects;

/**
 * Tunables of the membership protocol. Start from a profile ({@link #lan()}, {@link #wan()}, {@link
 * #local()}) and change what you must through {@link #toBuilder()}.
 *
 * <p>The LAN profile starts from memberlist's {@code DefaultLANConfig} and departs from it where
 * the simulator showed a better trade-off; each constant says why.
 */
public final class MembershipConfig {

  /** memberlist LAN: one probe a second keeps about two messages per member per second. */
  public static final Duration DEFAULT_PROBE_INTERVAL = Duration.ofSeconds(1);

  /** memberlist LAN: half the interval leaves the other half for indirect probes. */
  public static final Duration DEFAULT_PROBE_TIMEOUT = Duration.ofMillis(500);

  /** memberlist LAN: three relays make a false suspicion need four lost paths. */
  public static final int DEFAULT_INDIRECT_CHECKS = 3;

  /**
   * Off by default: gossip alone needs no extra probes, and drawing for them would change every
   * seeded run. A control plane that agrees on failures sets it (issue 10): see {@link
   * #confirmationProbes()}.
   */
  public static final int DEFAULT_CONFIRMATION_PROBES = 0;

  /**
   * Scales the minimum suspicion timeout (×log10(N)×probeInterval). memberlist uses 4, which at
   * 1,000 nodes means 12 s of suspicion before anyone is declared dead. With Lifeguard's
   * confirmations shortening the timeout and the buddy system letting a suspect refute at once, 2
   * holds the false-positive target at 5 % loss and halves detection time (docs/benchmarks.md).
   */
  public static final int DEFAULT_SUSPICION_MULT = 2;

  /**
   * Lifeguard: a lone suspicion waits up to this multiple of the minimum; independent confirmations
   * shrink it towards the minimum. memberlist LAN uses 6.
   */
  public static final int DEFAULT_SUSPICION_MAX_TIMEOUT_MULT = 6;

  /**
   * Lifeguard's expected number of independent confirmations (k) that bring a suspicion to its
   * minimum timeout. memberlist derives it as suspicionMult − 2; it is its own knob here because
   * the multiplier was lowered.
   */
  public static final int DEFAULT_SUSPICION_CONFIRMATIONS = 2;

  /**
   * Lifeguard local health: probe interval and timeout stretch up to this factor (memberlist 8).
   */
  public static final int DEFAULT_AWARENESS_MAX_MULTIPLIER = 8;

  /** memberlist LAN: a gossip round every 200 ms to three members. */
  public static final Duration DEFAULT_GOSSIP_INTERVAL = Duration.ofMillis(200);

  /** memberlist LAN: three random members per gossip round. */
  public static final int DEFAULT_GOSSIP_NODES = 3;

  /**
   * Keep gossiping to a member this long after it was declared dead, so a falsely declared member
   * hears it and refutes (memberlist LAN: 30 s).
   */
  public static final Duration DEFAULT_GOSSIP_TO_THE_DEAD_TIME = Duration.ofSeconds(30);

  /**
   * Each update is sent retransmitMult × ⌈log10(N+1)⌉ times; a member misses it with probability
   * about e^−(sends). memberlist uses 4; a full join of 1,000 nodes is 10⁶ (member, observer)
   * pairs, and 4 left a handful unheard in the simulator (5 with seed 1), which memberlist leaves
   * to its frequent push-pull. Push-pull here is rarer (its bandwidth per node is held constant),
   * so 5: e^−4 ≈ 50 times fewer misses, for 25 % more gossip while members change and none when
   * they don't.
   */
  public static final int DEFAULT_RETRANSMIT_MULT = 5;

  /**
   * Anti-entropy period at up to 32 members; larger clusters stretch it (see {@link
   * #pushPullIntervalMillis(int)}). memberlist LAN: 30 s.
   */
  public static final Duration DEFAULT_PUSH_PULL_INTERVAL = Duration.ofSeconds(30);

  /**
   * How often to try a full-state exchange with one random DEAD member, so that the two sides of a
   * healed partition find each other (Serf's reconnect_interval is 30 s).
   */
  public static final Duration DEFAULT_RECONNECT_INTERVAL = Duration.ofSeconds(10);

  /** A DEAD member is remembered (and retried) this long, as Serf's reconnect_timeout. */
  public static final Duration DEFAULT_DEAD_REAP_TIMEOUT = Duration.ofHours(24);

  /** A LEFT member is remembered this long so stale gossip cannot revive it. */
  public static final Duration DEFAULT_LEFT_REAP_TIMEOUT = Duration.ofHours(1);

  /**
   * Most updates waiting for gossip; past it the most-sent are dropped (Serf bounds its queues at
   * 4,096). Only a storm of joins or a healing partition fills it; push-pull repairs what is lost.
   * 2,048 queued Alive updates take about half a megabyte.
   */
  public static final int DEFAULT_MAX_QUEUED_BROADCASTS = 2_048;

  /**
   * Most members a node keeps, itself and DEAD and LEFT ones included; an Alive about a new member
   * past it is refused and counted ({@link MembershipStats#membersRefused}). Twice the largest
   * cluster the simulator runs (10,000 nodes, docs/benchmarks.md), so no real cluster meets it,
   * while 20,000 forged Alives cannot grow the table further. Bytes follow from the count: a record
   * holds at most 128 bytes of name, 255 of host and 512 of metadata, so about 20 MB at the bound.
   */
  public static final int DEFAULT_MAX_MEMBERS = 20_000;

  /** Ethernet MTU less IP, UDP and encryption overhead, as memberlist's UDPBufferSize. */
  public static final int DEFAULT_MAX_PACKET_SIZE = 1_400;

  /** Cluster size up to which push-pull runs every {@code pushPullInterval}. */
  public static final int PUSH_PULL_BASE_MEMBERS = 32;

  /** Longest a stream exchange (push-pull, TCP probe) may take before it counts as failed. */
  public static final Duration DEFAULT_STREAM_TIMEOUT = Duration.ofSeconds(10);

  /** First retry delay when no seed answers; doubles on each failure. */
  public static final Duration DEFAULT_JOIN_RETRY_INITIAL = Duration.ofSeconds(1);

  /** Join retries back off to at most five minutes (project-wide reconnect rule). */
  public static final Duration DEFAULT_JOIN_RETRY_MAX = Duration.ofMinutes(5);

  /** Longest a graceful leave waits for its LEFT message to spread before it completes anyway. */
  public static final Duration DEFAULT_LEAVE_PROPAGATE_TIMEOUT = Duration.ofSeconds(5);

  private final Duration probeInterval;
  private final Duration probeTimeout;
  private final int indirectChecks;
  private final int confirmationProbes;
  private final int suspicionMult;
  private final int suspicionMaxTimeoutMult;
  private final int suspicionConfirmations;
  private final int awarenessMaxMultiplier;
  private final Duration gossipInterval;
  private final int gossipNodes;
  private final Duration gossipToTheDeadTime;
  private final int retransmitMult;
  private final Duration pushPullInterval;
  private final Duration reconnectInterval;
  private final Duration deadReapTimeout;
  private final Duration leftReapTimeout;
  private final int maxPacketSize;
  private final int maxQueuedBroadcasts;
  private final int maxMembers;
  private final Duration streamTimeout;
  private final Duration joinRetryInitial;
  private final Duration joinRetryMax;
  private final Duration leavePropagateTimeout;
  private final boolean tcpFallbackProbe;

  private MembershipConfig(Builder b) {
    this.probeInterval = b.probeInterval;
    this.probeTimeout = b.probeTimeout;
    this.indirectChecks = b.indirectChecks;
    this.confirmationProbes = b.confirmationProbes;
    this.suspicionMult = b.suspicionMult;
    this.suspicionMaxTimeoutMult = b.suspicionMaxTimeoutMult;
    this.suspicionConfirmations = b.suspicionConfirmations;
    this.awarenessMaxMultiplier = b.awarenessMaxMultiplier;
    this.gossipInterval = b.gossipInterval;
    this.gossipNodes = b.gossipNodes;
    this.gossipToTheDeadTime = b.gossipToTheDeadTime;
    this.retransmitMult = b.retransmitMult;
    this.pushPullInterval = b.pushPullInterval;
    this.reconnectInterval = b.reconnectInterval;
    this.deadReapTimeout = b.deadReapTimeout;
    this.leftReapTimeout = b.leftReapTimeout;
    this.maxPacketSize = b.maxPacketSize;
    this.maxQueuedBroadcasts = b.maxQueuedBroadcasts;
    this.maxMembers = b.maxMembers;
    this.streamTimeout = b.streamTimeout;
    this.joinRetryInitial = b.joinRetryInitial;
    this.joinRetryMax = b.joinRetryMax;
    this.leavePropagateTimeout = b.leavePropagateTimeout;
    this.tcpFallbackProbe = b.tcpFallbackProbe;
  }

  /** A data-centre network: sub-millisecond latency, rare loss. The defaults above. */
  public static MembershipConfig lan() {
    return new Builder().build();
  }

  /**
   * Links across regions: hundreds of milliseconds and more loss. Slower probing and longer
   * timeouts, as memberlist's {@code DefaultWANConfig}.
   */
  public static MembershipConfig wan() {
    return new Builder()
        .probeInterval(Duration.ofSeconds(5))
        .probeTimeout(Duration.ofSeconds(3))
        .suspicionMult(6)
        .suspicionConfirmations(4)
        .gossipInterval(Duration.ofMillis(500))
        .gossipNodes(4)
        .gossipToTheDeadTime(Duration.ofSeconds(60))
        .pushPullInterval(Duration.ofSeconds(60))
        .streamTimeout(Duration.ofSeconds(30))
        .build();
  }

  /**
   * One machine (loopback, tests, {@code hivemind dev}): fast probing and short timeouts, as
   * memberlist's {@code DefaultLocalConfig}, except retransmitMult 4 instead of 2: with push-pull
   * stretched by N/32, 2 left a few pairs of a 50-node join storm unheard for 10-25 s, and bytes do
   * not matter on loopback.
   */
  public static MembershipConfig local() {
    return new Builder()
        .probeInterval(Duration.ofSeconds(1))
        .probeTimeout(Duration.ofMillis(200))
        .indirectChecks(1)
        .suspicionMult(3)
        .suspicionConfirmations(1)
        .gossipInterval(Duration.ofMillis(100))
        .gossipToTheDeadTime(Duration.ofSeconds(15))
        .retransmitMult(4)
        .pushPullInterval(Duration.ofSeconds(15))
        .reconnectInterval(Duration.ofSeconds(5))
        .streamTimeout(Duration.ofSeconds(5))
        .leavePropagateTimeout(Duration.ofSeconds(2))
        .build();
  }

  /**
   * Returns the named profile.
   *
   * @throws IllegalArgumentException for a name other than lan, wan or local
   */
  public static MembershipConfig profile(String name) {
    return switch (Objects.requireNonNull(name, "profile").trim().toLowerCase(Locale.ROOT)) {
      case "lan" -> lan();
      case "wan" -> wan();
      case "local" -> local();
      default ->
          throw new IllegalArgumentException(
              "unknown profile '" + name + "': expected lan, wan or local");
    };
  }

  public Builder toBuilder() {
    return new Builder(this);
  }

  public Duration probeInterval() {
    return probeInterval;
  }

  public Duration probeTimeout() {
    return probeTimeout;
  }

  public int indirectChecks() {
    return indirectChecks;
  }

  /**
   * How many members, on average, probe a suspect out of turn when they first hear of its
   * suspicion: each such member probes with probability {@code confirmationProbes / (N − 2)}. The
   * probe carries the suspicion, so a live suspect refutes at once; a failed one is the prober's
   * own verdict ({@link MembershipEvent.Type#PROBE_FAILED}), so a control plane that needs
   * independent observers gets them in about a probe interval rather than waiting for the
   * round-robin, which at 1,000 members reaches a given member about once a second cluster-wide. 0
   * turns it off.
   */
  public int confirmationProbes() {
    return confirmationProbes;
  }

  public int suspicionMult() {
    return suspicionMult;
  }

  public int suspicionMaxTimeoutMult() {
    return suspicionMaxTimeoutMult;
  }

  public int suspicionConfirmations() {
    return suspicionConfirmations;
  }

  public int awarenessMaxMultiplier() {
    return awarenessMaxMultiplier;
  }

  public Duration gossipInterval() {
    return gossipInterval;
  }

  public int gossipNodes() {
    return gossipNodes;
  }

  public Duration gossipToTheDeadTime() {
    return gossipToTheDeadTime;
  }

  public int retransmitMult() {
    return retransmitMult;
  }

  public Duration pushPullInterval() {
    return pushPullInterval;
  }

  public Duration reconnectInterval() {
    return reconnectInterval;
  }

  public Duration deadReapTimeout() {
    return deadReapTimeout;
  }

  public Duration leftReapTimeout() {
    return leftReapTimeout;
  }

  public int maxPacketSize() {
    return maxPacketSize;
  }

  public int maxQueuedBroadcasts() {
    return maxQueuedBroadcasts;
  }

  public int maxMembers() {
    return maxMembers;
  }

  public Duration streamTimeout() {
    return streamTimeout;
  }

  public Duration joinRetryInitial() {
    return joinRetryInitial;
  }

  public Duration joinRetryMax() {
    return joinRetryMax;
  }

  public Duration leavePropagateTimeout() {
    return leavePropagateTimeout;
  }

  public boolean tcpFallbackProbe() {
    return tcpFallbackProbe;
  }

  /**
   * Minimum suspicion timeout for a cluster of {@code members}: suspicionMult × log10(max(N, 10)) ×
   * probeInterval (memberlist {@code suspicionTimeout}).
   */
  public long suspicionMinTimeoutMillis(int members) {
    double scale = Math.log10(Math.max(members, 10));
    return (long) (suspicionMult * scale * probeInterval.toMillis());
  }

  /** Maximum suspicion timeout: suspicionMaxTimeoutMult × the minimum (Lifeguard §IV-B). */
  public long suspicionMaxTimeoutMillis(int members) {
    return suspicionMaxTimeoutMult * suspicionMinTimeoutMillis(members);
  }

  /** How many times each update is sent: retransmitMult × ⌈log10(N + 1)⌉ (memberlist). */
  public int retransmitLimit(int members) {
    return retransmitMult * (int) Math.ceil(Math.log10(members + 1.0));
  }

  /**
   * The push-pull period for a cluster of {@code members}: the base interval up to {@value
   * #PUSH_PULL_BASE_MEMBERS} members, then stretched in proportion to N.
   *
   * <p>A push-pull carries the full table, O(N) bytes, so a fixed period makes each node's
   * anti-entropy traffic grow with N; memberlist's log2 stretch only slows that growth (its
   * per-node bytes still rise about tenfold from 100 to 5,000 members). Stretching the period with
   * N keeps every node's anti-entropy bandwidth constant, about the same as at 32 members, while
   * the cluster as a whole still runs one exchange every {@code pushPullInterval / 32}.
   * Dissemination does the real work; push-pull is the backstop, and reconnection to DEAD members
   * (not this period) is what merges healed partitions.
   */
  public long pushPullIntervalMillis(int members) {
    long base = pushPullInterval.toMillis();
    if (members <= PUSH_PULL_BASE_MEMBERS) {
      return base;
    }
    return base * members / PUSH_PULL_BASE_MEMBERS;
  }

  @Override
  public String toString() {
    return "MembershipConfig{probeInterval="
        + probeInterval
        + ", probeTimeout="
        + probeTimeout
        + ", indirectChecks="
        + indirectChecks
        + ", confirmationProbes="
        + confirmationProbes
        + ", suspicionMult="
        + suspicionMult
        + ", suspicionMaxTimeoutMult="
        + suspicionMaxTimeoutMult
        + ", suspicionConfirmations="
        + suspicionConfirmations
        + ", gossipInterval="
        + gossipInterval
        + ", gossipNodes="
        + gossipNodes
        + ", retransmitMult="
        + retransmitMult
        + ", pushPullInterval="
        + pushPullInterval
        + ", maxPacketSize="
        + maxPacketSize
        + "}";
  }

  /** Builds a {@link MembershipConfig}; starts from the LAN defaults. */
  public static final class Builder {
    private Duration probeInterval = DEFAULT_PROBE_INTERVAL;
    private Duration probeTimeout = DEFAULT_PROBE_TIMEOUT;
    private int indirectChecks = DEFAULT_INDIRECT_CHECKS;
    private int confirmationProbes = DEFAULT_CONFIRMATION_PROBES;
    private int suspicionMult = DEFAULT_SUSPICION_MULT;
    private int suspicionMaxTimeoutMult = DEFAULT_SUSPICION_MAX_TIMEOUT_MULT;
    private int suspicionConfirmations = DEFAULT_SUSPICION_CONFIRMATIONS;
    private int awarenessMaxMultiplier = DEFAULT_AWARENESS_MAX_MULTIPLIER;
    private Duration gossipInterval = DEFAULT_GOSSIP_INTERVAL;
    private int gossipNodes = DEFAULT_GOSSIP_NODES;
    private Duration gossipToTheDeadTime = DEFAULT_GOSSIP_TO_THE_DEAD_TIME;
    private int retransmitMult = DEFAULT_RETRANSMIT_MULT;
    private Duration pushPullInterval = DEFAULT_PUSH_PULL_INTERVAL;
    private Duration reconnectInterval = DEFAULT_RECONNECT_INTERVAL;
    private Duration deadReapTimeout = DEFAULT_DEAD_REAP_TIMEOUT;
    private Duration leftReapTimeout = DEFAULT_LEFT_REAP_TIMEOUT;
    private int maxPacketSize = DEFAULT_MAX_PACKET_SIZE;
    private int maxQueuedBroadcasts = DEFAULT_MAX_QUEUED_BROADCASTS;
    private int maxMembers = DEFAULT_MAX_MEMBERS;
    private Duration streamTimeout = DEFAULT_STREAM_TIMEOUT;
    private Duration joinRetryInitial = DEFAULT_JOIN_RETRY_INITIAL;
    private Duration joinRetryMax = DEFAULT_JOIN_RETRY_MAX;
    private Duration leavePropagateTimeout = DEFAULT_LEAVE_PROPAGATE_TIMEOUT;
    private boolean tcpFallbackProbe = true;

    public Builder() {}

    private Builder(MembershipConfig c) {
      probeInterval = c.probeInterval;
      probeTimeout = c.probeTimeout;
      indirectChecks = c.indirectChecks;
      confirmationProbes = c.confirmationProbes;
      suspicionMult = c.suspicionMult;
      suspicionMaxTimeoutMult = c.suspicionMaxTimeoutMult;
      suspicionConfirmations = c.suspicionConfirmations;
      awarenessMaxMultiplier = c.awarenessMaxMultiplier;
      gossipInterval = c.gossipInterval;
      gossipNodes = c.gossipNodes;
      gossipToTheDeadTime = c.gossipToTheDeadTime;
      retransmitMult = c.retransmitMult;
      pushPullInterval = c.pushPullInterval;
      reconnectInterval = c.reconnectInterval;
      deadReapTimeout = c.deadReapTimeout;
      leftReapTimeout = c.leftReapTimeout;
      maxPacketSize = c.maxPacketSize;
      maxQueuedBroadcasts = c.maxQueuedBroadcasts;
      maxMembers = c.maxMembers;
      streamTimeout = c.streamTimeout;
      joinRetryInitial = c.joinRetryInitial;
      joinRetryMax = c.joinRetryMax;
      leavePropagateTimeout = c.leavePropagateTimeout;
      tcpFallbackProbe = c.tcpFallbackProbe;
    }

    public Builder probeInterval(Duration value) {
      probeInterval = positive("probeInterval", value);
      return this;
    }

    public Builder probeTimeout(Duration value) {
      probeTimeout = positive("probeTimeout", value);
      return this;
    }

    public Builder confirmationProbes(int value) {
      confirmationProbes = atLeast("confirmationProbes", value, 0);
      return this;
    }

    public Builder indirectChecks(int value) {
      indirectChecks = atLeast("indirectChecks", value, 0);
      return this;
    }

    public Builder suspicionMult(int value) {
      suspicionMult = atLeast("suspicionMult", value, 1);
      return this;
    }

    public Builder suspicionMaxTimeoutMult(int value) {
      suspicionMaxTimeoutMult = atLeast("suspicionMaxTimeoutMult", value, 1);
      return this;
    }

    public Builder suspicionConfirmations(int value) {
      suspicionConfirmations = atLeast("suspicionConfirmations", value, 0);
      return this;
    }

    public Builder awarenessMaxMultiplier(int value) {
      awarenessMaxMultiplier = atLeast("awarenessMaxMultiplier", value, 1);
      return this;
    }

    public Builder gossipInterval(Duration value) {
      gossipInterval = positive("gossipInterval", value);
      return this;
    }

    public Builder gossipNodes(int value) {
      gossipNodes = atLeast("gossipNodes", value, 1);
      return this;
    }

    public Builder gossipToTheDeadTime(Duration value) {
      gossipToTheDeadTime = nonNegative("gossipToTheDeadTime", value);
      return this;
    }

    public Builder retransmitMult(int value) {
      retransmitMult = atLeast("retransmitMult", value, 1);
      return this;
    }

    public Builder pushPullInterval(Duration value) {
      pushPullInterval = positive("pushPullInterval", value);
      return this;
    }

    public Builder reconnectInterval(Duration value) {
      reconnectInterval = positive("reconnectInterval", value);
      return this;
    }

    public Builder deadReapTimeout(Duration value) {
      deadReapTimeout = positive("deadReapTimeout", value);
      return this;
    }

    public Builder leftReapTimeout(Duration value) {
      leftReapTimeout = positive("leftReapTimeout", value);
      return this;
    }

    public Builder maxPacketSize(int value) {
      if (value < 512 || value > 65_000) {
        throw new IllegalArgumentException("maxPacketSize must be 512..65000, got " + value);
      }
      maxPacketSize = value;
      return this;
    }

    public Builder maxQueuedBroadcasts(int value) {
      maxQueuedBroadcasts = atLeast("maxQueuedBroadcasts", value, 16);
      return this;
    }

    /** At least 2: the node itself and one other. */
    public Builder maxMembers(int value) {
      maxMembers = atLeast("maxMembers", value, 2);
      return this;
    }

    public Builder streamTimeout(Duration value) {
      streamTimeout = positive("streamTimeout", value);
      return this;
    }

    public Builder joinRetryInitial(Duration value) {
      joinRetryInitial = positive("joinRetryInitial", value);
      return this;
    }

    public Builder joinRetryMax(Duration value) {
      joinRetryMax = positive("joinRetryMax", value);
      return this;
    }

    public Builder leavePropagateTimeout(Duration value) {
      leavePropagateTimeout = nonNegative("leavePropagateTimeout", value);
      return this;
    }

    public Builder tcpFallbackProbe(boolean value) {
      tcpFallbackProbe = value;
      return this;
    }

    /**
     * Checks the rules between fields and returns the configuration.
     *
     * @throws IllegalArgumentException naming the fields that disagree
     */
    public MembershipConfig build() {
      if (probeTimeout.compareTo(probeInterval) >= 0) {
        throw new IllegalArgumentException(
            "probeTimeout ("
                + probeTimeout
                + ") must be shorter than probeInterval ("
                + probeInterval
                + ") to leave time for indirect probes");
      }
      if (joinRetryInitial.compareTo(joinRetryMax) > 0) {
        throw new IllegalArgumentException(
            "joinRetryInitial ("
                + joinRetryInitial
                + ") exceeds joinRetryMax ("
                + joinRetryMax
                + ")");
      }
      return new MembershipConfig(this);
    }

    private static Duration positive(String name, Duration value) {
      Objects.requireNonNull(value, name);
      if (value.isNegative() || value.isZero()) {
        throw new IllegalArgumentException(name + " must be positive, got " + value);
      }
      return value;
    }

    private static Duration nonNegative(String name, Duration value) {
      Objects.requireNonNull(value, name);
      if (value.isNegative()) {
        throw new IllegalArgumentException(name + " must not be negative, got " + value);
      }
      return value;
    }

    private static int atLeast(String name, int value, int min) {
      if (value < min) {
        throw new IllegalArgumentException(name + " must be at least " + min + ", got " + value);
      }
      return value;
    }
  }
}
