package io.hivemind.fuzz;

import io.hivemind.api.Environment;
import io.hivemind.core.membership.Address;
import io.hivemind.core.membership.MembershipConfig;
import io.hivemind.core.membership.MembershipEvent;
import io.hivemind.core.membership.MembershipNode;
import io.hivemind.core.membership.MembershipOutput;
import io.hivemind.core.membership.NodeIdentity;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.function.Consumer;

/**
 * Real gossip, captured: five nodes wired to each other through recording outputs run a small
 * scenario in virtual time (joins, new metadata, a crash that leads to indirect probes, nacks,
 * suspicion and death, a graceful leave), and every packet, stream request and stream response they
 * exchange is kept. The fuzz targets mutate these, so they depend on the public node API and the
 * wire format only, never on the codec's classes. Deterministic: the same bytes every time.
 */
final class GossipCorpus {

  static final String CLUSTER = "fuzz";
  static final Environment ENVIRONMENT = Environment.TESTING;
  private static final int NODES = 5;
  private static final long SCENARIO_MILLIS = 25_000;

  /** At most this many packets of one shape (the same kinds of messages) are kept. */
  private static final int PER_SHAPE = 24;

  private static final GossipCorpus CAPTURED = capture();

  final List<byte[]> packets;
  final List<byte[]> streamRequests;
  final List<byte[]> streamResponses;

  /** The join push-pull n1 sent n0: primes a fuzzed node with a cluster to know. */
  final byte[] joinRequest;

  /** A Ping from n1 to n0, and its sequence number: the liveness probe after each input. */
  final byte[] ping;

  final int pingSeq;

  private GossipCorpus(Capture capture) {
    this.packets = diverse(capture.packets);
    this.streamRequests = sortedBySize(capture.streamRequests);
    this.streamResponses = sortedBySize(capture.streamResponses);
    this.joinRequest = capture.joinRequest;
    this.ping = capture.ping;
    this.pingSeq = GossipOracle.pingSeq(capture.ping, "n0");
  }

  static GossipCorpus captured() {
    return CAPTURED;
  }

  static NodeIdentity identity(int i) {
    return NodeIdentity.of("n" + i, address(i), CLUSTER, ENVIRONMENT);
  }

  static Address address(int i) {
    return new Address("10.0.0." + (i + 1), 7946);
  }

  private static GossipCorpus capture() {
    Capture capture = new Capture();
    capture.run();
    return new GossipCorpus(capture);
  }

  /** Up to {@link #PER_SHAPE} packets of each shape, smallest first overall. */
  private static List<byte[]> diverse(List<byte[]> packets) {
    Map<String, List<byte[]>> byShape = new LinkedHashMap<>();
    for (byte[] packet : sortedBySize(packets)) {
      List<byte[]> same =
          byShape.computeIfAbsent(GossipOracle.shape(packet), k -> new ArrayList<>());
      if (same.size() < PER_SHAPE) {
        same.add(packet);
      }
    }
    return sortedBySize(byShape.values().stream().flatMap(List::stream).toList());
  }

  private static List<byte[]> sortedBySize(List<byte[]> inputs) {
    Set<String> seen = new HashSet<>();
    List<byte[]> unique = new ArrayList<>();
    for (byte[] input : inputs) {
      if (seen.add(FuzzFailure.hex(input, Integer.MAX_VALUE))) {
        unique.add(input);
      }
    }
    unique.sort(Comparator.comparingInt((byte[] b) -> b.length));
    return List.copyOf(unique);
  }

  /** The scenario and its recording network: deliveries 1 ms after sending, in order. */
  private static final class Capture {

    private record Delivery(long at, long order, Runnable action) {}

    private final PriorityQueue<Delivery> queue =
        new PriorityQueue<>(
            Comparator.comparingLong(Delivery::at).thenComparingLong(Delivery::order));
    private final Map<Address, MembershipNode> nodes = new HashMap<>();
    private final Set<Address> crashed = new HashSet<>();
    private final List<byte[]> packets = new ArrayList<>();
    private final List<byte[]> streamRequests = new ArrayList<>();
    private final List<byte[]> streamResponses = new ArrayList<>();
    private byte[] joinRequest;
    private byte[] ping;
    private long order;
    private long now;

    void run() {
      for (int i = 0; i < NODES; i++) {
        NodeIdentity identity = identity(i);
        nodes.put(
            identity.address(),
            new MembershipNode(
                identity, MembershipConfig.lan(), new SplittableRandom(i), new Output(identity)));
      }
      nodes.values().forEach(node -> node.start(0));
      for (int i = 1; i < NODES; i++) {
        MembershipNode node = node(i);
        at(5L * i, () -> node.join(List.of(address(0)), now));
      }
      at(
          2_000,
          () -> node(2).updateMeta(Set.of("catalog", "dns"), Map.of("rack", "r1"), "eu-1a", now));
      at(4_000, () -> crashed.add(address(4)));
      at(15_000, () -> node(3).leave(now));
      runUntil(SCENARIO_MILLIS);
      if (joinRequest == null || ping == null) {
        throw new IllegalStateException("the capture scenario sent no join or no ping to n0");
      }
    }

    private MembershipNode node(int i) {
      return nodes.get(address(i));
    }

    private void at(long time, Runnable action) {
      queue.add(new Delivery(time, order++, action));
    }

    private void runUntil(long until) {
      while (true) {
        long next = queue.isEmpty() ? Long.MAX_VALUE : queue.peek().at();
        for (Map.Entry<Address, MembershipNode> entry : nodes.entrySet()) {
          if (!crashed.contains(entry.getKey())) {
            next = Math.min(next, entry.getValue().nextDeadlineMillis());
          }
        }
        if (next > until) {
          return;
        }
        now = Math.max(now, next);
        while (!queue.isEmpty() && queue.peek().at() <= now) {
          queue.poll().action().run();
        }
        for (Map.Entry<Address, MembershipNode> entry : nodes.entrySet()) {
          if (!crashed.contains(entry.getKey()) && entry.getValue().nextDeadlineMillis() <= now) {
            entry.getValue().tick(now);
          }
        }
      }
    }

    /** One node's output: records, then delivers 1 ms later unless the receiver crashed. */
    private final class Output implements MembershipOutput {

      private final NodeIdentity self;

      Output(NodeIdentity self) {
        this.self = self;
      }

      @Override
      public void sendPacket(Address to, byte[] packet) {
        packets.add(packet.clone());
        if (ping == null && self.name().equals("n1") && GossipOracle.pingSeq(packet, "n0") >= 0) {
          ping = packet.clone();
        }
        deliver(to, receiver -> receiver.onPacket(self.address(), packet, now));
      }

      @Override
      public void openStream(Address to, long streamId, byte[] request) {
        streamRequests.add(request.clone());
        if (joinRequest == null && self.name().equals("n1") && to.equals(address(0))) {
          joinRequest = request.clone();
        }
        MembershipNode opener = nodes.get(self.address());
        deliver(
            to,
            receiver -> {
              byte[] response = receiver.onStreamRequest(self.address(), request, now);
              if (response == null) {
                at(now + 1, () -> opener.onStreamFailure(streamId, now));
                return;
              }
              streamResponses.add(response.clone());
              at(now + 1, () -> opener.onStreamResponse(streamId, response, now));
            });
      }

      @Override
      public void onEvent(MembershipEvent event) {}

      private void deliver(Address to, Consumer<MembershipNode> action) {
        MembershipNode receiver = nodes.get(to);
        if (receiver != null && !crashed.contains(to) && !crashed.contains(self.address())) {
          at(now + 1, () -> action.accept(receiver));
        }
      }
    }
  }
}
