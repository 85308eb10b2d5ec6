package io.hivemind.sim;

import io.hivemind.core.membership.Address;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.random.RandomGenerator;

/**
 * The simulated network between {@link SimNode}s: per-link latency, uniform datagram loss, two-way
 * partitions (groups that cannot reach each other) and one-way blocks.
 *
 * <p>Datagrams are fire-and-forget and may vanish. Streams behave like TCP: a lost segment costs a
 * retransmission delay instead of the data; a crashed target refuses the connection after one round
 * trip; an unreachable one makes the connect time out. Every byte array is delivered exactly as the
 * sender's encoder produced it, so the byte counts are true.
 *
 * <p>Single-threaded, run by the {@link EventQueue}.
 */
final class SimNetwork {

  /**
   * How long a connect to an unreachable host takes to fail: a short connect timeout, as drivers
   * set one far below the kernel's two-minute SYN retry budget.
   */
  static final long CONNECT_TIMEOUT_MILLIS = 3_000;

  /** A lost TCP segment is resent after Linux's minimum retransmission timeout, 200 ms. */
  static final long RETRANSMIT_DELAY_MILLIS = 200;

  /** Bounds the retransmissions of one segment, so that a loss rate near 1 cannot loop for long. */
  private static final int MAX_RETRANSMISSIONS = 15;

  private final EventQueue queue;
  private final RandomGenerator random;
  private final Map<Address, SimNode> nodes = new HashMap<>();
  private final Map<Long, Latency> linkLatency = new HashMap<>();
  private final Set<Long> blocked = new HashSet<>();
  private Latency latency = Latency.fixed(1);
  private double loss;

  private long packets;
  private long packetBytes;
  private long packetsLost;
  private long packetsUnreachable;
  private long streams;
  private long streamBytes;
  private long streamsFailed;

  SimNetwork(EventQueue queue, RandomGenerator random) {
    this.queue = queue;
    this.random = random;
  }

  void attach(SimNode node) {
    nodes.put(node.address(), node);
  }

  // ---- conditions -------------------------------------------------------------------------------

  void setLatency(Latency value) {
    latency = value;
  }

  void setLinkLatency(SimNode a, SimNode b, Latency value) {
    linkLatency.put(link(a, b), value);
    linkLatency.put(link(b, a), value);
  }

  void setLoss(double value) {
    if (!(value >= 0 && value < 1)) {
      throw new IllegalArgumentException("loss must be in [0, 1), got " + value);
    }
    loss = value;
  }

  /**
   * Datagrams and streams from {@code from} no longer reach {@code to}; the reverse still works.
   */
  void blockOneWay(SimNode from, SimNode to) {
    blocked.add(link(from, to));
  }

  /** Lifts every one-way block; partition groups are reset by the caller. */
  void clearBlocks() {
    blocked.clear();
  }

  boolean canReach(SimNode from, SimNode to) {
    return from.partitionGroup() == to.partitionGroup()
        && (blocked.isEmpty() || !blocked.contains(link(from, to)));
  }

  // ---- datagrams --------------------------------------------------------------------------------

  void sendPacket(SimNode from, Address to, byte[] packet) {
    packets++;
    packetBytes += packet.length;
    SimNode target = nodes.get(to);
    if (target == null || !target.isRunning() || !canReach(from, target)) {
      packetsUnreachable++;
      return;
    }
    if (loss > 0 && random.nextDouble() < loss) {
      packetsLost++;
      return;
    }
    long delay = latency(from, target) + target.slowDelayMillis();
    int generation = target.generation();
    Address sender = from.address();
    queue.after(delay, () -> target.deliverPacket(generation, sender, packet));
  }

  /**
   * A datagram from outside the simulated hosts (a forger, a corrupt sender) claiming to come from
   * {@code from}: it takes the network's latency and loss like any other, and reaches {@code to} if
   * it runs. Counted with the rest of the traffic.
   */
  void inject(Address from, SimNode to, byte[] packet) {
    packets++;
    packetBytes += packet.length;
    if (!to.isRunning()) {
      packetsUnreachable++;
      return;
    }
    if (loss > 0 && random.nextDouble() < loss) {
      packetsLost++;
      return;
    }
    long delay = latency.sample(random) + to.slowDelayMillis();
    int generation = to.generation();
    queue.after(delay, () -> to.deliverPacket(generation, from, packet));
  }

  // ---- streams ----------------------------------------------------------------------------------

  void openStream(SimNode from, Address to, long streamId, byte[] request) {
    streams++;
    int fromGeneration = from.generation();
    SimNode target = nodes.get(to);
    if (target == null || !target.isRunning()) {
      // Connection refused: the RST comes back after one round trip.
      long roundTrip = 2 * (target == null ? latency.sample(random) : latency(from, target));
      fail(from, fromGeneration, streamId, roundTrip);
    } else if (!canReach(from, target) || !canReach(target, from)) {
      fail(from, fromGeneration, streamId, CONNECT_TIMEOUT_MILLIS);
    } else {
      streamBytes += request.length; // Only a connected stream puts its request on the wire.
      long delay = segmentDelay(from, target) + target.slowDelayMillis();
      int targetGeneration = target.generation();
      queue.after(
          delay,
          () ->
              serve(
                  new StreamEnds(from, fromGeneration, target, targetGeneration),
                  streamId,
                  request));
    }
  }

  /** Both ends of a stream with the process generations that opened and accepted it. */
  private record StreamEnds(
      SimNode opener, int openerGeneration, SimNode target, int targetGeneration) {}

  private void serve(StreamEnds ends, long streamId, byte[] request) {
    SimNode opener = ends.opener();
    SimNode target = ends.target();
    if (!opener.isCurrent(ends.openerGeneration())) {
      return; // Nobody left to read a response.
    }
    if (!target.isCurrent(ends.targetGeneration())) {
      fail(opener, ends.openerGeneration(), streamId, latency(target, opener)); // Reset.
      return;
    }
    byte[] response = target.serveStream(opener.address(), request);
    if (response == null) {
      fail(opener, ends.openerGeneration(), streamId, latency(target, opener)); // Closed.
      return;
    }
    streamBytes += response.length;
    if (!canReach(target, opener)) {
      return; // A partition cut the connection: the opener's own stream timeout ends it.
    }
    long delay = segmentDelay(target, opener) + opener.slowDelayMillis();
    int generation = ends.openerGeneration();
    queue.after(delay, () -> opener.deliverStreamResponse(generation, streamId, response));
  }

  private void fail(SimNode opener, int generation, long streamId, long afterMillis) {
    streamsFailed++;
    long delay = afterMillis + opener.slowDelayMillis();
    queue.after(delay, () -> opener.deliverStreamFailure(generation, streamId));
  }

  // ---- delays -----------------------------------------------------------------------------------

  private long latency(SimNode from, SimNode to) {
    Latency link = linkLatency.isEmpty() ? null : linkLatency.get(link(from, to));
    return (link == null ? latency : link).sample(random);
  }

  /** One TCP segment: the link latency plus a retransmission delay for each loss. */
  private long segmentDelay(SimNode from, SimNode to) {
    long delay = latency(from, to);
    for (int i = 0; i < MAX_RETRANSMISSIONS && loss > 0 && random.nextDouble() < loss; i++) {
      delay += RETRANSMIT_DELAY_MILLIS;
    }
    return delay;
  }

  private static long link(SimNode from, SimNode to) {
    return ((long) from.index() << 32) | to.index();
  }

  Traffic traffic() {
    return new Traffic(
        packets, packetBytes, packetsLost, packetsUnreachable, streams, streamBytes, streamsFailed);
  }
}
