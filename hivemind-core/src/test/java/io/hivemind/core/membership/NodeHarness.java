package io.hivemind.core.membership;

import io.hivemind.api.Environment;
import io.hivemind.api.MemberState;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.function.BooleanSupplier;

/**
 * One {@link MembershipNode} under test ("n0") with fake peers ("p1", "p2", ...) and a manual
 * clock. Time only moves through {@link #runUntil}, which ticks the node at each of its own
 * deadlines, so every timer fires at exactly the time it was set for. Peers in {@link #responsive}
 * answer the node's pings with an Ack, as a healthy member would.
 */
final class NodeHarness {

  static final String CLUSTER = "c1";
  static final Environment ENVIRONMENT = Environment.TESTING;
  static final Address SELF_ADDRESS = address(0);

  final NodeIdentity identity;
  final RecordingOutput out = new RecordingOutput();
  final MembershipNode node;
  final Map<Address, FakePeer> peers = new HashMap<>();
  final Set<String> responsive = new HashSet<>();
  long now;
  private int answered;

  NodeHarness(MembershipConfig config, long seed) {
    this.identity = NodeIdentity.of("n0", SELF_ADDRESS, CLUSTER, ENVIRONMENT);
    this.node = new MembershipNode(identity, config, new SplittableRandom(seed), out);
  }

  NodeHarness(long seed) {
    this(MembershipConfig.lan(), seed);
  }

  /** A started node that knows {@code peerCount} alive peers p1..pN (incarnation 1). */
  static NodeHarness started(MembershipConfig config, long seed, int peerCount) {
    NodeHarness harness = new NodeHarness(config, seed);
    harness.node.start(0);
    for (int i = 1; i <= peerCount; i++) {
      harness.join(i);
    }
    harness.clearOutput();
    return harness;
  }

  static NodeHarness started(long seed, int peerCount) {
    return started(MembershipConfig.lan(), seed, peerCount);
  }

  static Address address(int i) {
    return new Address("10.0." + (i / 200) + "." + (i % 200 + 1), 7946);
  }

  /** Peer {@code pI}, known to the harness (not necessarily to the node). */
  FakePeer peer(int i) {
    FakePeer peer = new FakePeer("p" + i, address(i));
    peers.putIfAbsent(peer.address(), peer);
    return peers.get(peer.address());
  }

  /** Peer {@code pI} announces itself alive at incarnation 1. */
  FakePeer join(int i) {
    FakePeer peer = peer(i);
    deliver(peer, peer.alive(1));
    return peer;
  }

  void deliver(FakePeer from, GossipMessage... messages) {
    node.onPacket(from.address(), from.packet(messages), now);
    answerPings();
  }

  /** Delivers messages encoded elsewhere, e.g. forged ones ({@link WireForgery}). */
  void deliver(FakePeer from, EncodedMessage... messages) {
    node.onPacket(from.address(), from.packet(messages), now);
    answerPings();
  }

  /** Ticks the node at each of its deadlines up to and including {@code until}. */
  void runUntil(long until) {
    int guard = 0;
    while (node.nextDeadlineMillis() <= until) {
      if (++guard > 1_000_000) {
        throw new AssertionError("timers never settle before " + until);
      }
      // A deadline already in the past (a re-armed timer) runs now: time never goes back.
      now = Math.max(now, node.nextDeadlineMillis());
      node.tick(now);
      answerPings();
    }
    now = Math.max(now, until);
  }

  /** Ticks deadline by deadline until {@code done} holds; fails after {@code limit}. */
  void runUntil(long limit, BooleanSupplier done) {
    while (!done.getAsBoolean()) {
      long next = node.nextDeadlineMillis();
      if (next > limit) {
        throw new AssertionError("condition not reached by " + limit + " (now " + now + ")");
      }
      now = Math.max(now, next);
      node.tick(now);
      answerPings();
    }
  }

  /** Every peer created so far answers the node's pings. */
  void allResponsive() {
    for (FakePeer peer : peers.values()) {
      responsive.add(peer.name());
    }
  }

  MemberState state(String name) {
    return node.member(name).orElseThrow().state();
  }

  /** The packets the node sent that carry a Ping. */
  List<RecordingOutput.SentPacket> pings() {
    return out.packetsWith(GossipMessage.Ping.class);
  }

  private void answerPings() {
    while (answered < out.packets.size()) {
      RecordingOutput.SentPacket packet = out.packets.get(answered++);
      FakePeer peer = peers.get(packet.to());
      if (peer == null || !responsive.contains(peer.name())) {
        continue;
      }
      for (GossipMessage.Ping ping : packet.all(GossipMessage.Ping.class)) {
        if (ping.target().equals(peer.name())) {
          node.onPacket(peer.address(), peer.packet(new GossipMessage.Ack(ping.seq())), now);
        }
      }
    }
  }

  /** Forgets what was answered, for tests that clear {@link #out}. */
  void clearOutput() {
    out.clear();
    answered = 0;
  }
}
