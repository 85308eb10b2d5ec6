package io.hivemind.sim;

import io.hivemind.core.membership.Address;
import io.hivemind.core.membership.MembershipConfig;
import io.hivemind.core.membership.MembershipEvent;
import io.hivemind.core.membership.MembershipNode;
import io.hivemind.core.membership.MembershipOutput;
import io.hivemind.core.membership.NodeIdentity;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * One simulated host: a name and address that outlive the {@link MembershipNode} processes that run
 * there (a restart is a fresh process at the same address).
 *
 * <p>It is the node's driver: every input reaches the node through the event queue, never from
 * inside another call (the node calls its output re-entrantly, so sends are queued by {@link
 * SimNetwork}); after every call it re-reads {@link MembershipNode#nextDeadlineMillis} and keeps
 * exactly one live tick scheduled. Each process has a generation number; an event addressed to an
 * older generation (a packet in flight when the node crashed) is dropped.
 *
 * <p>A slow node models an overloaded CPU: each delivery to it and each of its ticks runs {@code
 * slowDelayMillis} late.
 *
 * <p>Single-threaded, run by the {@link EventQueue}.
 */
final class SimNode implements MembershipOutput {

  /** The state of the host's current process. */
  enum Status {
    NEW,
    RUNNING,
    CRASHED,
    LEFT
  }

  private static final long NO_TICK = Long.MAX_VALUE;

  private final int index;
  private final NodeIdentity identity;
  private final MembershipConfig config;
  private final SplittableRandom randoms;
  private final EventQueue queue;
  private final SimNetwork network;
  private final NodeListener listener;

  private MembershipNode node;
  private Status status = Status.NEW;
  private int generation;
  private long tickAtMillis = NO_TICK;
  private long tickToken;
  private boolean leaveCompleted;
  private CoreCounters retired = CoreCounters.ZERO;
  private long stuckTicks;
  private long slowDelayMillis;
  private int partitionGroup;

  SimNode(
      int index,
      NodeIdentity identity,
      MembershipConfig config,
      SplittableRandom randoms,
      EventQueue queue,
      SimNetwork network,
      NodeListener listener) {
    this.index = index;
    this.identity = identity;
    this.config = config;
    this.randoms = randoms;
    this.queue = queue;
    this.network = network;
    this.listener = listener;
  }

  // ---- lifecycle, called by SimCluster ---------------------------------------------------------

  /** Starts a fresh process: the first start, or a restart after a crash or leave. */
  void start() {
    if (status == Status.RUNNING) {
      throw new IllegalStateException(name() + " is already running");
    }
    node = new MembershipNode(identity, config, randoms.split(), this);
    status = Status.RUNNING;
    generation++;
    leaveCompleted = false;
    tickAtMillis = NO_TICK;
    listener.started(this);
    call(n -> n.start(queue.now()), false);
  }

  void join(List<Address> seeds) {
    requireRunning("join");
    call(n -> n.join(seeds, queue.now()), false);
  }

  void leave() {
    requireRunning("leave");
    call(n -> n.leave(queue.now()), false);
  }

  /** The control plane's committed removal of {@code subject}, applied by the node. */
  void applyCommittedRemoval(String subject, long incarnation) {
    requireRunning("apply a committed removal on");
    call(n -> n.applyCommittedRemoval(subject, incarnation, false, queue.now()), false);
  }

  /** The process dies at once: no goodbye, and whatever is in flight to it is lost. */
  void crash() {
    requireRunning("crash");
    stop(Status.CRASHED);
  }

  private void stop(Status how) {
    retired = retired.plus(CoreCounters.of(node.stats()));
    node = null;
    status = how;
    generation++;
    tickAtMillis = NO_TICK;
    listener.stopped(this);
  }

  // ---- inputs, called by SimNetwork and the event queue ----------------------------------------

  void deliverPacket(int toGeneration, Address from, byte[] packet) {
    if (isCurrent(toGeneration)) {
      call(n -> n.onPacket(from, packet, queue.now()), false);
    }
  }

  /** Serves one stream request; null means closed without a reply. */
  byte[] serveStream(Address from, byte[] request) {
    byte[] response = callFor(n -> n.onStreamRequest(from, request, queue.now()));
    afterCall(false);
    return response;
  }

  void deliverStreamResponse(int toGeneration, long streamId, byte[] response) {
    if (isCurrent(toGeneration)) {
      call(n -> n.onStreamResponse(streamId, response, queue.now()), false);
    }
  }

  void deliverStreamFailure(int toGeneration, long streamId) {
    if (isCurrent(toGeneration)) {
      call(n -> n.onStreamFailure(streamId, queue.now()), false);
    }
  }

  private void onTick(int toGeneration, long token) {
    if (!isCurrent(toGeneration) || token != tickToken) {
      return; // A tick superseded by an earlier one, or meant for a process that is gone.
    }
    tickAtMillis = NO_TICK;
    if (queue.now() >= node.nextDeadlineMillis()) {
      call(n -> n.tick(queue.now()), true);
    } else {
      afterCall(false);
    }
  }

  // ---- MembershipOutput: called from inside the node, so only queue -----------------------------

  @Override
  public void sendPacket(Address to, byte[] packet) {
    network.sendPacket(this, to, packet);
  }

  @Override
  public void openStream(Address to, long streamId, byte[] request) {
    network.openStream(this, to, streamId, request);
  }

  @Override
  public void onEvent(MembershipEvent event) {
    if (event.type() == MembershipEvent.Type.LOCAL_LEFT) {
      leaveCompleted = true; // Stopped once the current call returns: it may still be sending.
    }
    listener.onEvent(this, event);
  }

  // ---- driving the node -------------------------------------------------------------------------

  private void call(Consumer<MembershipNode> input, boolean isTick) {
    callFor(
        n -> {
          input.accept(n);
          return null;
        });
    afterCall(isTick);
  }

  private <T> T callFor(Function<MembershipNode, T> input) {
    try {
      return input.apply(node);
    } catch (RuntimeException e) {
      throw new IllegalStateException(name() + " threw at " + queue.now() + " ms: " + e, e);
    }
  }

  /**
   * Keeps one tick scheduled at the node's next deadline (plus the slow delay). A later pending
   * tick is superseded by a token; an earlier one stays and reschedules when it fires.
   */
  private void afterCall(boolean afterTick) {
    if (leaveCompleted) {
      stop(Status.LEFT);
      return;
    }
    if (status != Status.RUNNING) {
      return;
    }
    long deadline = node.nextDeadlineMillis();
    if (deadline == Long.MAX_VALUE) {
      return;
    }
    long at = deadline + slowDelayMillis;
    long earliest = afterTick ? queue.now() + 1 : queue.now();
    if (at < earliest) {
      // After tick(now) every timer due by now has run; a deadline still due is a core bug, and
      // ticking again at the same instant would spin forever.
      stuckTicks += afterTick ? 1 : 0;
      at = earliest;
    }
    if (tickAtMillis <= at) {
      return;
    }
    tickAtMillis = at;
    long token = ++tickToken;
    int forGeneration = generation;
    queue.schedule(at, () -> onTick(forGeneration, token));
  }

  private void requireRunning(String what) {
    if (status != Status.RUNNING) {
      throw new IllegalStateException("cannot " + what + " " + name() + ": it is " + status);
    }
  }

  // ---- state ------------------------------------------------------------------------------------

  boolean isCurrent(int someGeneration) {
    return status == Status.RUNNING && generation == someGeneration;
  }

  boolean isRunning() {
    return status == Status.RUNNING;
  }

  int index() {
    return index;
  }

  String name() {
    return identity.name();
  }

  Address address() {
    return identity.address();
  }

  Status status() {
    return status;
  }

  int generation() {
    return generation;
  }

  /** The current process; null unless running. */
  MembershipNode node() {
    return node;
  }

  /** Counters of every process this host ran. */
  CoreCounters counters() {
    return node == null ? retired : retired.plus(CoreCounters.of(node.stats()));
  }

  /** Ticks after which the node still reported a deadline at or before now (should stay 0). */
  long stuckTicks() {
    return stuckTicks;
  }

  long slowDelayMillis() {
    return slowDelayMillis;
  }

  void setSlowDelayMillis(long millis) {
    slowDelayMillis = millis;
  }

  int partitionGroup() {
    return partitionGroup;
  }

  void setPartitionGroup(int group) {
    partitionGroup = group;
  }
}
