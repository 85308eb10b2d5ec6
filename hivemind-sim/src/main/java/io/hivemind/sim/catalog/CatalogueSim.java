package io.hivemind.sim.catalog;

import io.hivemind.api.Environment;
import io.hivemind.core.catalog.ApplyOutcome;
import io.hivemind.core.catalog.CatalogDelta;
import io.hivemind.core.catalog.CatalogMessage;
import io.hivemind.core.catalog.CatalogReplica;
import io.hivemind.core.catalog.DigestRepair;
import io.hivemind.core.catalog.OwnerLedger;
import io.hivemind.core.catalog.OwnerState;
import io.hivemind.core.catalog.OwnerVersion;
import io.hivemind.core.catalog.ServiceInstance;
import io.hivemind.core.catalog.Weights;
import io.hivemind.sim.EventQueue;
import io.hivemind.sim.Percentiles;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.ToIntFunction;

/**
 * Runs a {@link CatalogueScenario} on virtual time with the core's {@link OwnerLedger} and {@link
 * CatalogReplica}, relayed the way the agents relay them (ADR 0004): a plain agent sends its own
 * deltas to the control node it follows; a control node applies what it receives and passes on what
 * it applied, to its followers and, for its followers' and its own changes, to the other control
 * nodes; digests repair links after a reconnect and periodically, each link answering them with the
 * core's {@link DigestRepair} rule as the agents' relay does.
 *
 * <p>Single-threaded and deterministic: the same scenario gives the same report.
 */
public final class CatalogueSim {

  private static final int SERVICES = 20;

  private final CatalogueScenario scenario;
  private final ToIntFunction<CatalogMessage> sizer;
  private final EventQueue events = new EventQueue();
  private final Random random;
  private final Node[] nodes;
  private final Map<Long, Long> linkTail = new HashMap<>();
  private final Map<String, Node> byOwner = new HashMap<>();
  // Per directed link (from * nodes + to): the repair rule's memory, for the connection it is of.
  private final Map<Long, LinkRepair> repairs = new HashMap<>();
  private final Map<String, Deque<Pending>> pending = new HashMap<>();
  private final List<Long> visibility = new ArrayList<>();
  private final List<Pending> partitionChanges = new ArrayList<>();
  private long messages;
  private long repairsDeferred;
  private long changes;
  private long removedInstances;
  private long lastPartitionChangeSeenAt = -1;

  /** One change waiting to reach every live node. */
  private static final class Pending {
    final long generation;
    final long toSeq;
    final long drainedAt;
    final BitSet seen = new BitSet();
    final boolean duringPartition;
    int remaining;

    Pending(long generation, long toSeq, long drainedAt, boolean duringPartition) {
      this.generation = generation;
      this.toSeq = toSeq;
      this.drainedAt = drainedAt;
      this.duringPartition = duringPartition;
    }
  }

  /** One directed link's digest-repair memory; a new connection is a new link and starts afresh. */
  private record LinkRepair(int connection, DigestRepair rule) {}

  private final class Node {
    final int index;
    final String owner;
    final OwnerLedger ledger;
    final CatalogReplica replica = new CatalogReplica();
    boolean alive = true;
    boolean drainPending;
    int following = -1; // for a plain agent: the control node it follows, -1 while none
    int connection; // bumped at every reconnect: messages of an older connection are dropped
    long bytes;

    Node(int index) {
      this.index = index;
      this.owner = "node-" + index;
      this.ledger = new OwnerLedger(owner, 1);
    }

    boolean isControl() {
      return index < scenario.controlNodes();
    }
  }

  public CatalogueSim(CatalogueScenario scenario, ToIntFunction<CatalogMessage> sizer) {
    this.scenario = scenario;
    this.sizer = sizer;
    this.random = new Random(scenario.seed());
    this.nodes = new Node[scenario.nodes()];
    for (int i = 0; i < nodes.length; i++) {
      nodes[i] = new Node(i);
      byOwner.put(nodes[i].owner, nodes[i]);
    }
    for (Node node : nodes) {
      for (Node other : nodes) {
        node.replica.ownerAdmitted(other.owner);
      }
      if (!node.isControl()) {
        node.following = node.index % scenario.controlNodes();
      }
    }
  }

  /** Runs the scenario and reports. */
  public CatalogueReport run() {
    scheduleLoad();
    scheduleCrashes();
    schedulePartition();
    scheduleDigests();
    long quiet = scenario.durationMillis() + 2 * scenario.digestIntervalMillis() + 5_000;
    events.runUntil(quiet);
    return report();
  }

  private void scheduleLoad() {
    long perMillisTimesThousand = scenario.registrationsPerSecond();
    for (long t = 0; t < scenario.durationMillis(); t++) {
      long count = ((t + 1) * perMillisTimesThousand) / 1000 - (t * perMillisTimesThousand) / 1000;
      for (long i = 0; i < count; i++) {
        events.schedule(t, this::registerSomewhere);
      }
    }
  }

  private void registerSomewhere() {
    Node node = nodes[random.nextInt(nodes.length)];
    if (!node.alive) {
      return;
    }
    int id = random.nextInt(scenario.instancesPerNode());
    if (random.nextInt(10) == 0) {
      node.ledger.remove("i" + id);
    } else {
      node.ledger.put(instance(node.owner, "svc" + random.nextInt(SERVICES), "i" + id));
    }
    if (!node.drainPending) {
      node.drainPending = true;
      // After every event already due now: a loop turn's burst drains as one delta.
      events.after(0, () -> drain(node));
    }
  }

  private ServiceInstance instance(String owner, String service, String id) {
    return new ServiceInstance(
        service,
        id,
        "10.0." + random.nextInt(256) + "." + random.nextInt(256),
        1024 + random.nextInt(60_000),
        List.of("v" + random.nextInt(3)),
        Map.of(),
        Weights.DEFAULT,
        Environment.PRODUCTION,
        owner,
        ServiceInstance.AGENT_SESSION,
        List.of());
  }

  private void drain(Node node) {
    node.drainPending = false;
    if (!node.alive) {
      return;
    }
    node.ledger
        .drain()
        .ifPresent(
            delta -> {
              changes++;
              track(node, delta);
              node.replica.apply(delta);
              versionReached(node, node.owner);
              CatalogMessage message = new CatalogMessage.Deltas(List.of(delta));
              int size = sizer.applyAsInt(message);
              if (node.isControl()) {
                relay(node, -1, message, size, true);
              } else if (node.following >= 0) {
                send(node, nodes[node.following], message, size);
              }
            });
  }

  private void track(Node owner, CatalogDelta delta) {
    Pending change =
        new Pending(delta.generation(), delta.toSeq(), events.now(), partitioned(events.now()));
    for (Node node : nodes) {
      if (node.alive) {
        change.remaining++;
      }
    }
    pending.computeIfAbsent(owner.owner, key -> new ArrayDeque<>()).add(change);
  }

  /** Records that {@code node}'s replica now holds {@code owner} at its current version. */
  private void versionReached(Node node, String owner) {
    Deque<Pending> waiting = pending.get(owner);
    OwnerVersion version = node.replica.version(owner);
    if (waiting == null || version == null) {
      return;
    }
    for (Pending change : waiting) {
      if (change.generation == version.generation()
          && change.toSeq <= version.seq()
          && !change.seen.get(node.index)) {
        change.seen.set(node.index);
        change.remaining--;
      }
    }
    settle(waiting);
  }

  private void settle(Deque<Pending> waiting) {
    waiting.removeIf(
        change -> {
          if (change.remaining > 0) {
            return false;
          }
          if (change.duringPartition) {
            partitionChanges.add(change);
            lastPartitionChangeSeenAt = Math.max(lastPartitionChangeSeenAt, events.now());
          } else {
            visibility.add(events.now() - change.drainedAt);
          }
          return true;
        });
  }

  /** A control node passes on what it applied: to its followers, and maybe to its peers. */
  private void relay(Node control, int from, CatalogMessage message, int size, boolean toPeers) {
    if (toPeers) {
      for (int peer = 0; peer < scenario.controlNodes(); peer++) {
        if (peer != control.index && peer != from && nodes[peer].alive) {
          send(control, nodes[peer], message, size);
        }
      }
    }
    for (int i = scenario.controlNodes(); i < nodes.length; i++) {
      Node node = nodes[i];
      if (i != from && node.alive && node.following == control.index) {
        send(control, node, message, size);
      }
    }
  }

  private void send(Node from, Node to, CatalogMessage message, int size) {
    if (!connected(from, to)) {
      return;
    }
    long delay = scenario.latency().sample(random);
    while (random.nextDouble() < scenario.lossRate()) {
      delay += CatalogueScenario.RETRANSMIT_MILLIS;
    }
    // TCP keeps order on a connection: never deliver before the link's previous message.
    long key = (long) from.index * nodes.length + to.index;
    long at = Math.max(events.now() + delay, linkTail.getOrDefault(key, 0L));
    linkTail.put(key, at);
    int connection = connectionOf(from, to);
    from.bytes += size;
    events.schedule(
        at,
        () -> {
          if (connected(from, to) && connectionOf(from, to) == connection) {
            messages++;
            to.bytes += size;
            receive(to, from, message);
          }
        });
  }

  private int connectionOf(Node a, Node b) {
    Node follower = a.isControl() ? b : a;
    return follower.isControl() ? 0 : follower.connection;
  }

  private boolean connected(Node a, Node b) {
    if (!a.alive || !b.alive || side(a) != side(b)) {
      return false;
    }
    if (a.isControl() && b.isControl()) {
      return true;
    }
    Node follower = a.isControl() ? b : a;
    Node control = a.isControl() ? a : b;
    return !follower.isControl() && follower.following == control.index;
  }

  private void receive(Node node, Node from, CatalogMessage message) {
    if (message instanceof CatalogMessage.Deltas deltas) {
      List<CatalogDelta> applied = new ArrayList<>();
      boolean gap = false;
      for (CatalogDelta delta : deltas.deltas()) {
        ApplyOutcome outcome = node.replica.apply(delta);
        if (outcome == ApplyOutcome.APPLIED) {
          applied.add(delta);
          versionReached(node, delta.owner());
        } else if (outcome == ApplyOutcome.GAP) {
          gap = true;
        }
      }
      if (gap) {
        CatalogMessage digest = new CatalogMessage.Digest(node.replica.digest(), false);
        send(node, from, digest, sizer.applyAsInt(digest));
      }
      if (node.isControl() && !applied.isEmpty()) {
        CatalogMessage onward =
            applied.size() == deltas.deltas().size() ? message : new CatalogMessage.Deltas(applied);
        relay(node, from.index, onward, sizer.applyAsInt(onward), !from.isControl());
      }
    } else if (message instanceof CatalogMessage.States states) {
      List<OwnerState> applied = new ArrayList<>();
      for (OwnerState state : states.states()) {
        if (node.replica.apply(state) == ApplyOutcome.APPLIED) {
          applied.add(state);
          versionReached(node, state.owner());
        }
      }
      if (node.isControl() && !applied.isEmpty()) {
        CatalogMessage onward = new CatalogMessage.States(applied);
        relay(node, from.index, onward, sizer.applyAsInt(onward), !from.isControl());
      }
    } else if (message instanceof CatalogMessage.Digest digest) {
      DigestRepair.Answer answer =
          repairOf(node, from)
              .answer(
                  node.replica.digest(), digest.versions(), owner -> carries(node, from, owner));
      repairsDeferred += answer.deferred();
      List<OwnerState> newer = new ArrayList<>(answer.owners().size());
      for (String owner : answer.owners()) {
        newer.add(node.replica.state(owner));
      }
      if (!newer.isEmpty()) {
        CatalogMessage states = new CatalogMessage.States(newer);
        send(node, from, states, sizer.applyAsInt(states));
      }
      if (digest.answerWithOwn()) {
        CatalogMessage own = new CatalogMessage.Digest(node.replica.digest(), false);
        send(node, from, own, sizer.applyAsInt(own));
      }
    }
  }

  /** The repair rule of the link {@code node} → {@code peer} on their current connection. */
  private DigestRepair repairOf(Node node, Node peer) {
    long key = (long) node.index * nodes.length + peer.index;
    int connection = connectionOf(node, peer);
    LinkRepair link = repairs.get(key);
    if (link == null || link.connection() != connection) {
      link = new LinkRepair(connection, new DigestRepair());
      repairs.put(key, link);
    }
    return link.rule();
  }

  /**
   * Whether {@code node} passes on changes of {@code owner} to {@code peer} as it applies them (see
   * {@link #drain} and {@link #relay}): a plain agent only its own; a control node every owner's to
   * its followers, and its own and its followers' to the other control nodes.
   */
  private boolean carries(Node node, Node peer, String owner) {
    if (!node.isControl()) {
      return owner.equals(node.owner);
    }
    if (!peer.isControl()) {
      return true;
    }
    Node source = byOwner.get(owner);
    return source == node || (source != null && source.following == node.index);
  }

  private void exchangeDigests(Node a, Node b) {
    CatalogMessage digest = new CatalogMessage.Digest(a.replica.digest(), true);
    send(a, b, digest, sizer.applyAsInt(digest));
  }

  private void scheduleDigests() {
    long end = scenario.durationMillis() + 2 * scenario.digestIntervalMillis();
    for (long t = scenario.digestIntervalMillis(); t <= end; t += scenario.digestIntervalMillis()) {
      events.schedule(
          t,
          () -> {
            for (Node node : nodes) {
              if (!node.alive) {
                continue;
              }
              if (node.isControl()) {
                for (int peer = node.index + 1; peer < scenario.controlNodes(); peer++) {
                  exchangeDigests(node, nodes[peer]);
                }
              } else if (node.following >= 0) {
                exchangeDigests(node, nodes[node.following]);
              }
            }
          });
    }
  }

  private void scheduleCrashes() {
    int plain = nodes.length - scenario.controlNodes();
    for (int k = 0; k < scenario.crashes(); k++) {
      long at = scenario.durationMillis() * (k + 1) / (scenario.crashes() + 1);
      Node victim = nodes[scenario.controlNodes() + (int) ((long) (k * 7919) % plain)];
      events.schedule(at, () -> crash(victim));
    }
  }

  private void crash(Node victim) {
    if (!victim.alive) {
      return;
    }
    victim.alive = false;
    pending.remove(victim.owner);
    for (Deque<Pending> waiting : pending.values()) {
      for (Pending change : waiting) {
        if (!change.seen.get(victim.index)) {
          change.seen.set(victim.index);
          change.remaining--;
        }
      }
      settle(waiting);
    }
    events.after(
        scenario.removalDelayMillis(),
        () -> {
          for (Node node : nodes) {
            if (node.alive) {
              removedInstances += node.replica.ownerRemoved(victim.owner);
            }
          }
        });
  }

  /** Side 1 during the partition: the last control node and every third plain agent. */
  private int side(Node node) {
    if (!partitioned(events.now())) {
      return 0;
    }
    boolean cutOff =
        node.isControl()
            ? node.index == scenario.controlNodes() - 1
            : (node.index - scenario.controlNodes()) % 3 == 0;
    return cutOff ? 1 : 0;
  }

  private boolean partitioned(long now) {
    return scenario.partition() != null
        && now >= scenario.partition().atMillis()
        && now < scenario.partition().healAtMillis();
  }

  private void schedulePartition() {
    if (scenario.partition() == null) {
      return;
    }
    events.schedule(
        scenario.partition().atMillis(),
        () -> {
          // Followers whose control node is now across the cut fail over after the heartbeats.
          for (Node node : nodes) {
            if (!node.isControl() && node.alive && node.following >= 0) {
              if (side(node) != side(nodes[node.following])) {
                node.following = -1;
                node.connection++;
                events.after(CatalogueScenario.FAILOVER_MILLIS, () -> failOver(node));
              }
            }
          }
        });
    events.schedule(
        scenario.partition().healAtMillis(),
        () -> {
          for (int a = 0; a < scenario.controlNodes(); a++) {
            for (int b = a + 1; b < scenario.controlNodes(); b++) {
              if (b == scenario.controlNodes() - 1) {
                // The link across the cut broke and reopens: like an agent's new link, it
                // remembers nothing, so its first answers hold every state the peer lacks.
                forgetRepairs(nodes[a], nodes[b]);
              }
              exchangeDigests(nodes[a], nodes[b]);
            }
          }
        });
  }

  private void forgetRepairs(Node a, Node b) {
    repairs.remove((long) a.index * nodes.length + b.index);
    repairs.remove((long) b.index * nodes.length + a.index);
  }

  private void failOver(Node node) {
    if (!node.alive) {
      return;
    }
    for (int c = 0; c < scenario.controlNodes(); c++) {
      int candidate = (node.index + c) % scenario.controlNodes();
      if (nodes[candidate].alive && side(nodes[candidate]) == side(node)) {
        node.following = candidate;
        node.connection++;
        exchangeDigests(node, nodes[candidate]);
        return;
      }
    }
    events.after(CatalogueScenario.FAILOVER_MILLIS, () -> failOver(node));
  }

  private CatalogueReport report() {
    long seconds = Math.max(1, events.now() / 1000);
    long total = 0;
    long max = 0;
    long plainMax = 0;
    for (Node node : nodes) {
      long perSecond = node.bytes / seconds;
      total += perSecond;
      max = Math.max(max, perSecond);
      if (!node.isControl()) {
        plainMax = Math.max(plainMax, perSecond);
      }
    }
    long healConvergence = -1;
    if (scenario.partition() != null) {
      boolean stillWaiting =
          pending.values().stream().flatMap(Deque::stream).anyMatch(p -> p.duringPartition);
      if (!stillWaiting) {
        healConvergence =
            Math.max(0, lastPartitionChangeSeenAt - scenario.partition().healAtMillis());
      }
    }
    return new CatalogueReport(
        scenario,
        Percentiles.of(visibility.stream().mapToLong(Long::longValue).toArray()),
        total / nodes.length,
        max,
        plainMax,
        repairsDeferred,
        messages,
        changes,
        healConvergence,
        removedInstances,
        converged());
  }

  private boolean converged() {
    for (Node node : nodes) {
      if (!node.alive) {
        continue;
      }
      for (Node owner : nodes) {
        OwnerState held = node.replica.state(owner.owner);
        if (!owner.alive) {
          if (held != null) {
            return false;
          }
          continue;
        }
        List<ServiceInstance> expected = owner.ledger.instances();
        List<ServiceInstance> actual = held == null ? List.of() : held.instances();
        if (expected.size() != actual.size() || !actual.containsAll(expected)) {
          return false;
        }
      }
    }
    return true;
  }
}
