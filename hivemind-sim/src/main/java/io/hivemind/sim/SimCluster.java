package io.hivemind.sim;

import io.hivemind.api.Environment;
import io.hivemind.api.MemberState;
import io.hivemind.core.membership.Address;
import io.hivemind.core.membership.Member;
import io.hivemind.core.membership.MembershipConfig;
import io.hivemind.core.membership.MembershipEvent;
import io.hivemind.core.membership.MembershipNode;
import io.hivemind.core.membership.NodeIdentity;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.function.BooleanSupplier;

/**
 * A simulated cluster: hosts running the real {@link MembershipNode}, the network between them and
 * the virtual clock, all driven from one seed. Tests and scenarios add hosts, start, join, crash,
 * restart and stop them, change the network, run the clock and check invariants.
 *
 * <p>Determinism: the master seed is split, in a fixed order, into the network's random stream, one
 * stream per host (each process of the host gets its own split) and any stream {@link #newRandom}
 * hands out. Events run in time-then-scheduling order. So the same seed and the same calls replay
 * the same run.
 *
 * <p>Single-threaded: the caller's thread runs everything. Not reusable across runs.
 */
public final class SimCluster {

  /** The cluster name every simulated node announces. */
  public static final String CLUSTER_NAME = "sim";

  /** Every host listens on the same port; hosts differ by address. */
  public static final int PORT = 7946;

  private final long seed;
  private final MembershipConfig config;
  private final SplittableRandom master;
  private final EventQueue queue = new EventQueue();
  private final SimNetwork network;
  private final ViewTracker tracker = new ViewTracker(queue);
  private final List<SimNode> hosts = new ArrayList<>();
  private final Map<String, SimNode> byName = new HashMap<>();
  private final List<EventListener> listeners = new ArrayList<>();

  /** Hears every membership event of every node, as it happens; for traces and debugging. */
  @FunctionalInterface
  public interface EventListener {
    void onEvent(long atMillis, String observer, MembershipEvent event);
  }

  /** The tracker, then the listeners, hear each node's life and events. */
  private final NodeListener observer =
      new NodeListener() {
        @Override
        public void started(SimNode node) {
          tracker.started(node);
        }

        @Override
        public void stopped(SimNode node) {
          tracker.stopped(node);
        }

        @Override
        public void onEvent(SimNode node, MembershipEvent event) {
          tracker.onEvent(node, event);
          for (EventListener listener : listeners) {
            listener.onEvent(queue.now(), node.name(), event);
          }
        }
      };

  public SimCluster(long seed, MembershipConfig config) {
    this.seed = seed;
    this.config = Objects.requireNonNull(config, "config");
    this.master = new SplittableRandom(seed);
    this.network = new SimNetwork(queue, master.split());
  }

  public long seed() {
    return seed;
  }

  /** Virtual time in milliseconds since the cluster was created. */
  public long now() {
    return queue.now();
  }

  /** Events run so far. */
  public long eventsRun() {
    return queue.executed();
  }

  /** A new random stream derived from the seed, for scenario choices. */
  public SplittableRandom newRandom() {
    return master.split();
  }

  /** Adds a listener that hears every node's membership events from now on. */
  public void addEventListener(EventListener listener) {
    listeners.add(Objects.requireNonNull(listener, "listener"));
  }

  // ---- hosts ------------------------------------------------------------------------------------

  /** Adds a host (not started) and returns its name, {@code node-0000}, {@code node-0001}, ... */
  public String addNode() {
    int index = hosts.size();
    String name = String.format("node-%04d", index);
    NodeIdentity identity =
        NodeIdentity.of(name, addressOf(index), CLUSTER_NAME, Environment.DEVELOPMENT);
    SimNode host = new SimNode(index, identity, config, master.split(), queue, network, observer);
    hosts.add(host);
    byName.put(name, host);
    tracker.register(host);
    network.attach(host);
    return name;
  }

  /** Adds {@code count} hosts and returns their names. */
  public List<String> addNodes(int count) {
    List<String> names = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      names.add(addNode());
    }
    return names;
  }

  private static Address addressOf(int index) {
    int n = index + 1;
    return new Address("10." + ((n >> 16) & 255) + "." + ((n >> 8) & 255) + "." + (n & 255), PORT);
  }

  /** The address of a host. */
  public Address address(String name) {
    return host(name).address();
  }

  /** Starts a host's process on its own: a cluster of one until someone joins it. */
  public void start(String name) {
    host(name).start();
  }

  /** Joins a host through {@code seeds} (host names), starting its process if it is not running. */
  public void join(String name, List<String> seeds) {
    SimNode host = host(name);
    if (!host.isRunning()) {
      host.start();
    }
    tracker.joined(host);
    host.join(seeds.stream().map(this::address).toList());
  }

  /** A crashed or left host comes back as a fresh process at the same address and rejoins. */
  public void restart(String name, List<String> seeds) {
    if (host(name).isRunning()) {
      throw new IllegalStateException("cannot restart " + name + ": it is running");
    }
    join(name, seeds);
  }

  /**
   * A datagram of any bytes, from {@code from} (any address, a host's or none), reaches host {@code
   * to} over the simulated network: what a forger or a corrupt sender outside the cluster sends.
   */
  public void injectPacket(String to, Address from, byte[] packet) {
    network.inject(from, host(to), packet);
  }

  /** The host's process dies at once; packets in flight to it are lost. */
  public void crash(String name) {
    host(name).crash();
  }

  /** The host leaves gracefully; its process stops once the node reports the leave done. */
  public void leave(String name) {
    host(name).leave();
  }

  /** Delays every delivery to the host and each of its ticks by {@code delayMillis} (0: normal). */
  public void setSlow(String name, long delayMillis) {
    if (delayMillis < 0) {
      throw new IllegalArgumentException("slow delay must be >= 0 ms, got " + delayMillis);
    }
    host(name).setSlowDelayMillis(delayMillis);
  }

  /**
   * The control plane's committed removal of {@code subject} reaches host {@code name} (see {@link
   * MembershipNode#applyCommittedRemoval}); nothing if the host is not running.
   */
  public void applyCommittedRemoval(String name, String subject, long incarnation) {
    SimNode host = host(name);
    if (host.isRunning()) {
      host.applyCommittedRemoval(subject, incarnation);
    }
  }

  /** How late the host handles its inputs (0 unless slow). */
  long slowDelayMillis(String name) {
    return host(name).slowDelayMillis();
  }

  /** Whether the host's process ever started. */
  boolean hasStarted(String name) {
    return host(name).status() != SimNode.Status.NEW;
  }

  // ---- network ----------------------------------------------------------------------------------

  /** Latency of every link without its own. */
  public void setLatency(Latency latency) {
    network.setLatency(Objects.requireNonNull(latency, "latency"));
  }

  /** Latency of the link between two hosts, both ways. */
  public void setLatency(String a, String b, Latency latency) {
    network.setLinkLatency(host(a), host(b), Objects.requireNonNull(latency, "latency"));
  }

  /** Probability in [0, 1) that a datagram is lost; on streams each loss costs a retransmission. */
  public void setLoss(double loss) {
    network.setLoss(loss);
  }

  /** Cuts {@code side} off from every other host, both ways, until {@link #heal}. */
  public void partition(Collection<String> side) {
    for (String name : side) {
      host(name).setPartitionGroup(1);
    }
  }

  /**
   * Packets and streams from {@code from} stop reaching {@code to}; {@code to} still reaches it.
   */
  public void blockOneWay(String from, String to) {
    network.blockOneWay(host(from), host(to));
  }

  /** Ends every partition and one-way block. */
  public void heal() {
    hosts.forEach(host -> host.setPartitionGroup(0));
    network.clearBlocks();
  }

  // ---- time -------------------------------------------------------------------------------------

  /** Runs {@code action} at virtual time {@code atMillis}. */
  public void schedule(long atMillis, Runnable action) {
    queue.schedule(atMillis, action);
  }

  /** Runs the clock forward by {@code millis}. */
  public void runFor(long millis) {
    runUntil(() -> false, millis);
  }

  /**
   * Runs until {@code condition} holds or {@code timeoutMillis} pass. The condition is checked
   * after every event, so it must be cheap: {@link #viewsAgree} is; {@link #allLiveNodesAgree} is
   * not.
   *
   * @return whether the condition holds
   */
  public boolean runUntil(BooleanSupplier condition, long timeoutMillis) {
    try {
      return queue.runUntil(condition, queue.now() + timeoutMillis);
    } catch (RuntimeException e) {
      throw new IllegalStateException(
          "simulation failed (seed " + seed + "): " + e.getMessage(), e);
    }
  }

  // ---- views and invariants ---------------------------------------------------------------------

  /**
   * O(1), from the nodes' events: every running node sees every other host that ever started as
   * expected (running ALIVE, crashed DEAD, left LEFT).
   */
  public boolean viewsAgree() {
    return tracker.viewsAgree();
  }

  /** O(1): every running node has {@code name} ALIVE. */
  public boolean isKnownAliveByAll(String name) {
    return tracker.isKnownAliveByAll(host(name));
  }

  /** O(1): {@code name} crashed and every running node has it DEAD. */
  public boolean isDeadEverywhere(String name) {
    return tracker.isDeadEverywhere(host(name));
  }

  /**
   * The invariant, read from the nodes' own member tables: every running node sees every other
   * running host ALIVE, every crashed one DEAD and every left one LEFT. O(N²).
   */
  public boolean allLiveNodesAgree() {
    return disagreements(1).isEmpty();
  }

  /** Up to {@code limit} lines like {@code node-0001 sees node-0007 SUSPECT, expected ALIVE}. */
  public List<String> disagreements(int limit) {
    List<String> found = new ArrayList<>();
    for (SimNode observer : hosts) {
      if (!observer.isRunning()) {
        continue;
      }
      for (SimNode subject : hosts) {
        String line = disagreement(observer, subject);
        if (line != null) {
          found.add(line);
          if (found.size() >= limit) {
            return found;
          }
        }
      }
    }
    return found;
  }

  private String disagreement(SimNode observer, SimNode subject) {
    MemberState expected =
        switch (subject.status()) {
          case NEW -> null;
          case RUNNING -> MemberState.ALIVE;
          case CRASHED -> MemberState.DEAD;
          case LEFT -> MemberState.LEFT;
        };
    if (subject == observer || expected == null) {
      return null;
    }
    Optional<Member> seen = observer.node().member(subject.name());
    MemberState actual = seen.map(Member::state).orElse(null);
    if (actual == expected) {
      return null;
    }
    return observer.name() + " sees " + subject.name() + " " + actual + ", expected " + expected;
  }

  /** {@code observer}'s record of {@code subject}; empty if it does not know it. */
  public Optional<Member> member(String observer, String subject) {
    return runningHost(observer).node().member(subject);
  }

  /**
   * The running node of a host, to inspect (members, stats, health). Drive it only through this
   * class: a direct call would bypass the tick scheduling.
   */
  public MembershipNode node(String name) {
    return runningHost(name).node();
  }

  public boolean isRunning(String name) {
    return host(name).isRunning();
  }

  /** Names of hosts whose process runs. */
  public List<String> runningNodes() {
    return hosts.stream().filter(SimNode::isRunning).map(SimNode::name).toList();
  }

  /** Names of all hosts in index order. */
  public List<String> nodeNames() {
    return hosts.stream().map(SimNode::name).toList();
  }

  /** How many times some node's view of {@code subject} moved into {@code state}. */
  public long timesMarked(String subject, MemberState state) {
    return tracker.marks(host(subject), state);
  }

  // ---- measurements -----------------------------------------------------------------------------

  /** Virtual time a milestone of {@code name} was reached, or empty. */
  public Optional<Long> milestone(String name, Milestone milestone) {
    SimNode host = host(name);
    long at =
        switch (milestone) {
          case JOIN_STARTED -> tracker.joinAt(host);
          case KNOWN_ALIVE_BY_ALL -> tracker.convergedAt(host);
          case CRASHED -> tracker.crashAt(host);
          case FIRST_SUSPECTED -> tracker.firstSuspectAt(host);
          case DEAD_EVERYWHERE -> tracker.allDeadAt(host);
        };
    return at == ViewTracker.NEVER ? Optional.empty() : Optional.of(at);
  }

  /** Points in a host's life the tracker times. */
  public enum Milestone {
    /** Its latest process started joining through seeds. */
    JOIN_STARTED,
    /** After that, the first instant every running node had it ALIVE. */
    KNOWN_ALIVE_BY_ALL,
    /** Its process crashed. */
    CRASHED,
    /** After that, the first instant any running node suspected it (or had it DEAD). */
    FIRST_SUSPECTED,
    /** After that, the first instant every running node had it DEAD. */
    DEAD_EVERYWHERE
  }

  /** Accusations so far against members that were running at the time. */
  public FalsePositives falsePositives() {
    return new FalsePositives(
        tracker.falselyDeadMembers(),
        tracker.falseDeadEvents(),
        tracker.falselySuspectedMembers(),
        tracker.falseSuspectEvents());
  }

  /** What the network carried so far. */
  public Traffic traffic() {
    return network.traffic();
  }

  /** The nodes' own counters, summed over every process that ran. */
  public CoreCounters coreCounters() {
    CoreCounters sum = CoreCounters.ZERO;
    for (SimNode host : hosts) {
      sum = sum.plus(host.counters());
    }
    return sum;
  }

  /** Node-milliseconds of running processes so far: the denominator of per-node rates. */
  public long liveNodeMillis() {
    return tracker.liveNodeMillis();
  }

  /**
   * The longest broadcast queue among running nodes: updates some node still has to gossip. 0 once
   * every update has been sent its retransmit limit; a join storm leaves a backlog for tens of
   * seconds. O(N).
   */
  public int longestBroadcastQueue() {
    int longest = 0;
    for (SimNode host : hosts) {
      if (host.isRunning()) {
        longest = Math.max(longest, host.node().pendingBroadcasts());
      }
    }
    return longest;
  }

  /** Ticks after which a node still had a deadline due; non-zero means a core timer bug. */
  public long stuckTicks() {
    return hosts.stream().mapToLong(SimNode::stuckTicks).sum();
  }

  private SimNode host(String name) {
    SimNode host = byName.get(name);
    if (host == null) {
      throw new IllegalArgumentException("no host named '" + name + "'");
    }
    return host;
  }

  private SimNode runningHost(String name) {
    SimNode host = host(name);
    if (!host.isRunning()) {
      throw new IllegalStateException(name + " is not running: " + host.status());
    }
    return host;
  }
}
