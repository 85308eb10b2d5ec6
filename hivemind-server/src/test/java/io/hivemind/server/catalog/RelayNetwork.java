package io.hivemind.server.catalog;

import io.hivemind.api.Environment;
import io.hivemind.core.catalog.CatalogDelta;
import io.hivemind.core.catalog.CatalogReplica;
import io.hivemind.core.catalog.OwnerLedger;
import io.hivemind.core.catalog.ServiceInstance;
import io.hivemind.core.catalog.Weights;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ScheduledExecutorService;
import java.util.function.Consumer;

/**
 * Relays of several nodes joined by in-memory links: a frame sent is queued and delivered by {@link
 * #deliverAll}, one at a time, so a test sees a flood run to its end (or not) without threads.
 */
final class RelayNetwork {

  private final Map<String, Node> nodes = new LinkedHashMap<>();
  private final Queue<Runnable> inFlight = new ArrayDeque<>();
  int delivered;
  boolean dropping;

  /** One node: its replica, ledger, relay and the links it holds. */
  final class Node implements ReplicaHost {
    final String id;
    final CatalogReplica replica = new CatalogReplica();
    final OwnerLedger ledger;
    final RelayStats stats = new RelayStats();
    final CatalogRelay relay;
    int changes;

    Node(String id) {
      this.id = id;
      this.ledger = new OwnerLedger(id, 1);
      this.relay = new CatalogRelay(this, this::replicaChanged, stats, 64 * 1024, () -> 0L);
    }

    /** Registers one instance here and sends the delta, as the local catalogue would. */
    CatalogDelta register(String instanceId) {
      ledger.put(instance(id, instanceId));
      return publish();
    }

    /** Registers {@code count} instances in one delta, as a re-admitted owner's first drain. */
    CatalogDelta registerAll(int count) {
      for (int i = 0; i < count; i++) {
        ledger.put(instance(id, "web-" + i));
      }
      return publish();
    }

    int held(String owner) {
      return (int)
          replica.view().services().getOrDefault("web", List.of()).stream()
              .filter(e -> e.instance().owner().equals(owner))
              .count();
    }

    CatalogDelta deregister(String instanceId) {
      ledger.remove(instanceId);
      return publish();
    }

    private CatalogDelta publish() {
      CatalogDelta delta = ledger.drain().orElseThrow();
      replica.apply(delta);
      relay.ownDelta(delta);
      return delta;
    }

    boolean holds(String owner, String instanceId) {
      return replica.view().services().getOrDefault("web", List.of()).stream()
          .anyMatch(
              e -> e.instance().owner().equals(owner) && e.instance().id().equals(instanceId));
    }

    @Override
    public ScheduledExecutorService executor() {
      throw new UnsupportedOperationException("the relay is driven directly in these tests");
    }

    @Override
    public String ownerId() {
      return id;
    }

    @Override
    public CatalogReplica replica() {
      return replica;
    }

    @Override
    public void replicaChanged() {
      changes++;
    }

    @Override
    public void onOwnDelta(Consumer<CatalogDelta> sink) {
      throw new UnsupportedOperationException("the tests call the relay's ownDelta");
    }
  }

  /** One end of an in-memory link. */
  final class End implements CatalogLink {
    final Node node;
    final LinkScope scope;
    final String peerId;
    final boolean dialed;
    End other;
    boolean open = true;
    final List<byte[]> sent = new ArrayList<>();

    End(Node node, LinkScope scope, String peerId, boolean dialed) {
      this.node = node;
      this.scope = scope;
      this.peerId = peerId;
      this.dialed = dialed;
    }

    @Override
    public LinkScope scope() {
      return scope;
    }

    @Override
    public String peerId() {
      return peerId;
    }

    @Override
    public boolean dialed() {
      return dialed;
    }

    @Override
    public void send(byte[] frame) {
      sent.add(frame);
      if (!open || dropping) {
        return;
      }
      End to = other;
      inFlight.add(
          () -> {
            if (to.open) {
              delivered++;
              to.node.relay.received(to, frame);
            }
          });
    }
  }

  Node node(String id) {
    return nodes.computeIfAbsent(id, Node::new);
  }

  /** Admits every node's id on every node (the control plane's committed registry). */
  void admitAll() {
    for (Node node : nodes.values()) {
      nodes.keySet().forEach(node.replica::ownerAdmitted);
    }
  }

  /** A follower's link to its gateway; the follower dials. */
  End[] follow(Node follower, Node gateway) {
    return connect(follower, LinkScope.UPLINK, gateway, LinkScope.FOLLOWER);
  }

  /** A mesh link between control nodes; {@code dialer} dials. */
  End[] mesh(Node dialer, Node acceptor) {
    return connect(dialer, LinkScope.MESH, acceptor, LinkScope.MESH);
  }

  private End[] connect(
      Node dialer, LinkScope dialerScope, Node acceptor, LinkScope acceptorScope) {
    End out = new End(dialer, dialerScope, acceptor.id, true);
    End in = new End(acceptor, acceptorScope, dialer.id, false);
    out.other = in;
    in.other = out;
    acceptor.relay.linkOpened(in);
    dialer.relay.linkOpened(out);
    return new End[] {out, in};
  }

  void cut(End[] link) {
    for (End end : link) {
      end.open = false;
      end.node.relay.linkClosed(end);
    }
  }

  /** Delivers the frame sent first of those in flight; false when none is. */
  boolean deliverNext() {
    Runnable next = inFlight.poll();
    if (next == null) {
      return false;
    }
    next.run();
    return true;
  }

  /** Delivers until nothing is in flight; fails if a flood does not stop. */
  void deliverAll() {
    int steps = 0;
    Runnable next;
    while ((next = inFlight.poll()) != null) {
      next.run();
      if (++steps > 100_000) {
        throw new AssertionError("the flood did not stop after " + steps + " deliveries");
      }
    }
  }

  static ServiceInstance instance(String owner, String id) {
    return new ServiceInstance(
        "web",
        id,
        "127.0.0.1",
        8080,
        List.of(),
        Map.of(),
        Weights.DEFAULT,
        Environment.TESTING,
        owner,
        ServiceInstance.AGENT_SESSION,
        List.of());
  }
}
