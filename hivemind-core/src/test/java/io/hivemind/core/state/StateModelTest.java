package io.hivemind.core.state;

import static org.assertj.core.api.Assertions.assertThat;

import io.hivemind.api.StateKeys;
import io.hivemind.core.partition.MigrationRound;
import io.hivemind.core.partition.MoveCompletion;
import io.hivemind.core.partition.MoveInFlight;
import io.hivemind.core.partition.PartitionMember;
import io.hivemind.core.partition.PartitionMove;
import io.hivemind.core.partition.PartitionTable;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/**
 * The data plane against a model of the cluster: StateNodes on a deterministic network (per-pair
 * FIFO, seeded delays, a crashed node's messages lost, {@code onPeerUnreachable} on sends to it), a
 * model control plane that commits tables as the leader does — {@link MigrationRound}s, completions
 * by {@link MoveCompletion} of the reported run only ({@code MoveInFlight}) — seeded clients
 * writing through random nodes, crashes, joins and nodes cut off from the control plane (no tables,
 * no lease; removed after 10 s like a failed member, while still running).
 *
 * <p>Invariants: every acknowledged write is readable afterwards with its value and version unless
 * a later write (or a delete that may have followed it) replaced it; when a write is acknowledged
 * the owner in the latest committed table holds it (a stale owner never acknowledges what the
 * cluster's owner lacks); at every commit each live replica the table names holds a copy when the
 * owner does. A failing seed names itself: replay with {@code -Dstate.seed=N}.
 */
class StateModelTest {

  private static final int SEEDS = 400;

  @Test
  void randomRuns_keepEveryAcknowledgedWrite() {
    String only = System.getProperty("state.seed");
    if (only != null) {
      run(Long.parseLong(only));
      return;
    }
    long seeds = Long.getLong("state.seeds", SEEDS);
    for (long seed = 1; seed <= seeds; seed++) {
      run(seed);
    }
  }

  private static void run(long seed) {
    try {
      new Run(seed).execute();
    } catch (AssertionError | RuntimeException e) {
      throw new AssertionError("seed " + seed + " failed (replay: -Dstate.seed=" + seed + ")", e);
    }
  }

  /** One seeded scenario. */
  private static final class Run {
    static final int PARTITIONS = 8;

    /** Moves in flight at once: few, so migrations take many rounds and replans. */
    static final int MAX_IN_FLIGHT = 4;

    static final long LEASE_MILLIS = 5_000;
    static final long REMOVAL_MILLIS = 10_000;
    static final long DETECTION_MILLIS = 3_000;
    static final long CHAOS_MILLIS = 60_000;

    final long seed;
    final SplittableRandom random;
    final int backups;
    final StateConfig config;
    final PriorityQueue<Event> events = new PriorityQueue<>();
    final Map<String, StateNode> nodes = new TreeMap<>();
    final Set<String> crashed = new HashSet<>();
    final Map<String, Long> cutOffSince = new HashMap<>();
    final Set<String> removed = new HashSet<>();
    final Set<String> lagging = new HashSet<>();
    final Map<String, Integer> linkEpoch = new HashMap<>();
    final Map<String, Long> linkFree = new HashMap<>();
    final Set<String> reportedUnreachable = new HashSet<>();
    final History history = new History();
    final Control control;
    long now;
    long order;
    int nextNode;
    long nextRequest = 1;

    Run(long seed) {
      this.seed = seed;
      this.random = new SplittableRandom(seed);
      this.backups = seed % 2 == 0 ? 1 : 2;
      // Every backup must hold a write before it is acknowledged: with fewer, a promotion of the
      // one backup that missed it loses it (documented; Hazelcast's sync/async backups alike).
      this.config = new StateConfig(backups, 2_000, 1_000, 1024, 2);
      this.control = new Control();
    }

    record Event(long at, long order, Runnable action) implements Comparable<Event> {
      @Override
      public int compareTo(Event o) {
        return at != o.at ? Long.compare(at, o.at) : Long.compare(order, o.order);
      }
    }

    void at(long time, Runnable action) {
      events.add(new Event(time, order++, action));
    }

    void execute() {
      for (int i = 0; i < backups + 3; i++) {
        String id = startNode();
        control.members.put(id, PartitionMember.onHost(id, "h-" + id));
      }
      control.reconfigure();
      at(0, this::ticks);
      at(0, this::leases);
      at(10, this::clientOp);
      at(5_000, this::chaos);
      runUntil(CHAOS_MILLIS);
      heal();
      runUntil(now + 30_000);
      assertThat(control.done())
          .withFailMessage(
              () ->
                  "in flight after healing: "
                      + control.inFlight()
                      + " table "
                      + control.committed.replicas()
                      + " cut off "
                      + cutOffSince.keySet()
                      + " removed "
                      + removed
                      + " crashed "
                      + crashed)
          .as("migration finished after healing")
          .isTrue();
      history.check(this);
    }

    void runUntil(long end) {
      while (!events.isEmpty() && events.peek().at() <= end) {
        Event e = events.poll();
        now = e.at();
        e.action().run();
      }
      now = end;
    }

    String startNode() {
      String id = "n" + (nextNode++);
      StateNode node = new StateNode(id, config, new Output(id));
      nodes.put(id, node);
      if (control.committed != null) {
        node.onTable(control.committed, control.inFlight(), now);
      }
      return id;
    }

    boolean up(String id) {
      return nodes.containsKey(id) && !crashed.contains(id);
    }

    boolean connected(String id) {
      return up(id) && !cutOffSince.containsKey(id);
    }

    /** Whether the node learns tables as they commit (a lagging one keeps its lease meanwhile). */
    boolean current(String id) {
      return connected(id) && !lagging.contains(id);
    }

    void ticks() {
      for (Map.Entry<String, StateNode> e : nodes.entrySet()) {
        if (up(e.getKey())) {
          e.getValue().tick(now);
        }
      }
      at(now + 100, this::ticks);
    }

    void leases() {
      for (Map.Entry<String, StateNode> e : nodes.entrySet()) {
        if (connected(e.getKey())) {
          e.getValue().onLease(now + LEASE_MILLIS);
        }
      }
      for (Map.Entry<String, Long> e : new HashMap<>(cutOffSince).entrySet()) {
        if (now - e.getValue() >= REMOVAL_MILLIS && removed.add(e.getKey())) {
          control.remove(e.getKey()); // the cluster declares it failed; it keeps running
        }
      }
      at(now + 1_000, this::leases);
    }

    void send(String from, String to, StateMessage message) {
      // Through the codec, as the driver does: the model also exercises the wire.
      byte[] bytes = WireStateCodec.encode(message);
      if (!up(to)) {
        if (reportedUnreachable.add(from + ">" + to)) {
          at(now + 50, () -> deliverUnreachable(from, to));
        }
        return;
      }
      String link = from + ">" + to;
      long at = Math.max(linkFree.getOrDefault(link, 0L), now + 1 + random.nextInt(20));
      linkFree.put(link, at);
      int epoch = linkEpoch.getOrDefault(link, 0);
      at(at, () -> deliver(from, to, bytes, epoch));
    }

    void deliver(String from, String to, byte[] bytes, int epoch) {
      if (up(from) && up(to) && epoch == linkEpoch.getOrDefault(from + ">" + to, 0)) {
        nodes.get(to).onMessage(from, WireStateCodec.decode(bytes), now);
      }
    }

    void deliverUnreachable(String from, String to) {
      if (up(from)) {
        nodes.get(from).onPeerUnreachable(to, now);
      }
    }

    void clientOp() {
      if (now < CHAOS_MILLIS + 20_000) {
        List<String> candidates = new ArrayList<>();
        for (String id : nodes.keySet()) {
          if (up(id)) {
            candidates.add(id);
          }
        }
        String at = candidates.get(random.nextInt(candidates.size()));
        String key = "key-" + random.nextInt(24);
        StateOp op = history.nextOp(key, random, now);
        long version = random.nextBoolean() ? 0 : control.version;
        long id = nextRequest++;
        history.issued(id, op, now);
        nodes.get(at).onRequest(id, op, version, now);
        at(now + 1 + random.nextInt(40), this::clientOp);
      }
    }

    void chaos() {
      if (now >= CHAOS_MILLIS) {
        return;
      }
      int dice = random.nextInt(6);
      List<String> live = new ArrayList<>(control.members.keySet());
      live.removeIf(id -> !connected(id));
      // One failure at a time: a second before the first is repaired can take every replica of
      // a partition (split-brain honesty: that data is lost, as docs/protocol/state.md says).
      boolean failing = !cutOffSince.keySet().stream().allMatch(removed::contains);
      for (String id : crashed) {
        failing |= control.members.containsKey(id);
      }
      boolean settled = !failing && (control.done());
      if (dice == 0 && settled && control.fullyReplicated() && live.size() > backups + 2) {
        String victim = live.get(random.nextInt(live.size()));
        crashed.add(victim);
        at(now + DETECTION_MILLIS, () -> control.remove(victim));
      } else if (dice == 1 && nodes.size() < 12) {
        String id = startNode();
        control.members.put(id, PartitionMember.onHost(id, "h-" + id));
        control.reconfigure();
      } else if (dice == 2 && settled && control.fullyReplicated() && live.size() > backups + 2) {
        String stale = live.get(random.nextInt(live.size()));
        cutOffSince.put(stale, now);
        long back = now + 2_000 + random.nextInt(12_000);
        at(back, () -> reconnect(stale));
      } else if (dice == 4 && live.size() > 1) {
        breakLink(live.get(random.nextInt(live.size())), live.get(random.nextInt(live.size())));
      } else if (dice == 3 && !live.isEmpty()) {
        // A stale owner: it misses tables for a while but its lease runs on (a slow table feed).
        String slow = live.get(random.nextInt(live.size()));
        if (lagging.add(slow)) {
          at(now + 1_000 + random.nextInt(8_000), () -> catchUp(slow));
        }
      }
      at(now + 2_000 + random.nextInt(4_000), this::chaos);
    }

    /** A connection between two nodes breaks: what was on it is lost, both ends are told. */
    void breakLink(String a, String b) {
      if (a.equals(b)) {
        return;
      }
      linkEpoch.merge(a + ">" + b, 1, Integer::sum);
      linkEpoch.merge(b + ">" + a, 1, Integer::sum);
      at(now + 50, () -> deliverUnreachable(a, b));
      at(now + 50, () -> deliverUnreachable(b, a));
    }

    void catchUp(String id) {
      lagging.remove(id);
      if (connected(id)) {
        nodes.get(id).onTable(control.committed, control.inFlight(), now);
      }
    }

    void reconnect(String id) {
      if (removed.contains(id) || !up(id)) {
        return; // the cluster removed it: it stays out (a rejoin is a new member)
      }
      cutOffSince.remove(id);
      lagging.remove(id);
      nodes.get(id).onTable(control.committed, control.inFlight(), now);
    }

    void heal() {
      for (String id : new ArrayList<>(lagging)) {
        catchUp(id);
      }
      for (String id : new ArrayList<>(cutOffSince.keySet())) {
        reconnect(id);
      }
    }

    /** Where one node's output goes. */
    final class Output implements StateOutput {
      final String id;

      Output(String id) {
        this.id = id;
      }

      @Override
      public void send(String toId, StateMessage message) {
        Run.this.send(id, toId, message);
      }

      @Override
      public void reply(long requestId, StateResult result) {
        history.answered(requestId, result, now, Run.this);
      }

      @Override
      public void movesCaughtUp(long tableVersion, List<MoveInFlight> moves) {
        if (current(id)) {
          List<MoveInFlight> copy = List.copyOf(moves);
          at(now + 5, () -> control.complete(copy));
        }
      }
    }

    /** The model control plane: commits tables as the leader's PartitionTableDuty would. */
    final class Control {
      final Map<String, PartitionMember> members = new TreeMap<>();
      PartitionTable committed;
      List<PartitionMove> moves = List.of();
      long version;

      /** The version each move's run started at, as ControlState numbers them. */
      final Map<PartitionMove, Long> since = new HashMap<>();

      List<MoveInFlight> inFlight() {
        return moves.stream().map(m -> new MoveInFlight(m, since.get(m))).toList();
      }

      /** Nothing in flight and nothing left for the leader's round to change. */
      boolean done() {
        return moves.isEmpty() && (committed == null || !round().changes(committed));
      }

      void remove(String id) {
        if (members.remove(id) != null) {
          reconfigure();
        }
      }

      void reconfigure() {
        plan();
      }

      /** A report of caught-up moves: only the runs in flight complete, as ControlState does. */
      void complete(List<MoveInFlight> runs) {
        if (committed == null) {
          return;
        }
        List<PartitionMove> current =
            runs.stream()
                .filter(r -> moves.contains(r.move()) && since.get(r.move()) == r.since())
                .map(MoveInFlight::move)
                .toList();
        if (System.getProperty("state.debug") != null) {
          System.out.println(
              "t=" + now + " report " + runs + " accepted " + current + " since " + since);
        }
        MoveCompletion.complete(committed, moves, current)
            .ifPresent(done -> commit(done.table(), done.inFlight()));
        plan();
      }

      private MigrationRound.Result round() {
        return MigrationRound.next(
            committed, moves, members.values(), Set.of(), PARTITIONS, backups, MAX_IN_FLIGHT);
      }

      /** The leader's duty: rounds until one changes nothing (drops and role changes chain). */
      private void plan() {
        for (int i = 0; i < 100; i++) {
          MigrationRound.Result round = round();
          if (!round.changes(committed)) {
            return;
          }
          commit(round.table(), round.inFlight());
        }
      }

      private void commit(PartitionTable table, List<PartitionMove> inFlight) {
        PartitionTable previous = committed;
        version = table.version();
        Map<PartitionMove, Long> runs = new HashMap<>();
        for (PartitionMove m : inFlight) {
          runs.put(m, since.getOrDefault(m, version));
        }
        since.clear();
        since.putAll(runs);
        committed = table;
        moves = List.copyOf(inFlight);
        if (System.getProperty("state.debug") != null) {
          int dp =
              System.getProperty("state.debugPartition") != null
                  ? Integer.parseInt(System.getProperty("state.debugPartition"))
                  : StateKeys.partition("m", System.getProperty("state.debug"), PARTITIONS);
          StringBuilder b =
              new StringBuilder(
                  "t="
                      + now
                      + " v"
                      + version
                      + " p"
                      + dp
                      + " "
                      + committed.replicas().get(dp)
                      + " moves "
                      + moves.stream().filter(m -> m.partition() == dp).toList()
                      + " cut "
                      + cutOffSince.keySet()
                      + " crashed "
                      + crashed);
          for (String id : nodes.keySet()) {
            StoredEntry e = nodes.get(id).peek("m", System.getProperty("state.debug"), now);
            b.append(" ")
                .append(id)
                .append(":")
                .append(nodes.get(id).sequence(dp))
                .append("/")
                .append(e == null ? "-" : e.version());
          }
          System.out.println(b);
        }
        checkCopies(previous);
        for (Map.Entry<String, StateNode> e : nodes.entrySet()) {
          if (current(e.getKey())) {
            e.getValue().onTable(committed, inFlight(), now);
          }
        }
      }

      boolean fullyReplicated() {
        for (List<String> r : committed.replicas()) {
          if (r.size() < Math.min(backups + 1, members.size())) {
            return false;
          }
        }
        return true;
      }

      /**
       * Copy before drop: every live replica the new table names holds a copy if the owner does.
       */
      private void checkCopies(PartitionTable previous) {
        for (int p = 0; p < PARTITIONS; p++) {
          List<String> replicas = committed.replicas().get(p);
          if (replicas.isEmpty() || !up(replicas.get(0))) {
            continue;
          }
          // Sequence numbers are applied in order, so holding s means holding every write up to s.
          assertThat(Math.max(0, nodes.get(replicas.get(0)).sequence(p)))
              .as(
                  "table %d: owner %s of partition %d holds every acknowledged write",
                  version, replicas.get(0), p)
              .isGreaterThanOrEqualTo(history.maxAcked.getOrDefault(p, 0L));
          if (nodes.get(replicas.get(0)).sequence(p) <= 0) {
            continue;
          }
          // A replica this table adds (a completed move) holds every acknowledged write: the
          // owner counted its acks from the moment its snapshot was sent. One that was a replica
          // before may still be catching up on writes not acknowledged yet.
          List<String> before =
              previous == null || p >= previous.partitionCount()
                  ? List.of()
                  : previous.replicas().get(p);
          for (String r : replicas) {
            if (up(r) && !crashed.contains(r) && !before.contains(r)) {
              assertThat(nodes.get(r).sequence(p))
                  .as(
                      "table %d: new replica %s of partition %d holds every acked write",
                      version, r, p)
                  .isGreaterThanOrEqualTo(Math.max(0, history.maxAcked.getOrDefault(p, 0L)));
            }
          }
        }
      }
    }
  }

  /** What clients asked and were told, and the checks on it. */
  private static final class History {
    record Issued(StateOp op, long atMillis) {}

    record Acked(long version, String value, long issuedAtMillis) {}

    final Map<Long, Issued> issued = new HashMap<>();
    final Map<String, Acked> lastAcked = new HashMap<>();
    final Map<String, List<long[]>> deletes = new HashMap<>();
    final Map<String, Set<String>> attempted = new HashMap<>();
    final Map<String, Long> knownVersion = new HashMap<>();
    final Map<Integer, Long> maxAcked = new HashMap<>();
    int counter;
    int acknowledged;

    StateOp nextOp(String key, SplittableRandom random, long now) {
      String value = key + "@" + (counter++);
      byte[] bytes = value.getBytes(StandardCharsets.UTF_8);
      int dice = random.nextInt(10);
      if (dice < 5) {
        return new StateOp.Put("m", key, bytes, 0);
      } else if (dice < 7) {
        return new StateOp.Get("m", key);
      } else if (dice < 8) {
        return new StateOp.Delete("m", key);
      }
      long expected = random.nextInt(4) == 0 ? 0 : knownVersion.getOrDefault(key, 0L);
      return new StateOp.CompareAndSet("m", key, expected, bytes, 0);
    }

    void issued(long id, StateOp op, long now) {
      issued.put(id, new Issued(op, now));
      if (op instanceof StateOp.Put p) {
        attempted.computeIfAbsent(op.key(), k -> new HashSet<>()).add(utf8(p.value()));
      } else if (op instanceof StateOp.CompareAndSet c) {
        attempted.computeIfAbsent(op.key(), k -> new HashSet<>()).add(utf8(c.value()));
      } else if (op instanceof StateOp.Delete) {
        // [issued at, answered at]; answered stays open (MAX) unless the delete surely failed
        deletes.computeIfAbsent(op.key(), k -> new ArrayList<>()).add(new long[] {now, id});
      }
    }

    void answered(long id, StateResult result, long now, Run run) {
      Issued req = issued.get(id);
      assertThat(req).as("answer to a known request %d", id).isNotNull();
      String key = req.op().key();
      if (result instanceof StateResult.Written w) {
        acknowledged++;
        String value =
            utf8(
                req.op() instanceof StateOp.Put p
                    ? p.value()
                    : ((StateOp.CompareAndSet) req.op()).value());
        Acked previous = lastAcked.get(key);
        if (previous == null || previous.version() < w.version()) {
          lastAcked.put(key, new Acked(w.version(), value, req.atMillis()));
        }
        knownVersion.put(key, w.version());
        maxAcked.merge(StateKeys.partition("m", key, Run.PARTITIONS), w.version(), Math::max);
        if (key.equals(System.getProperty("state.debug"))) {
          System.out.println("t=" + now + " acked " + key + " v" + w.version());
        }
        checkOwnerHolds(key, w.version(), run);
        checkOwnerHoldsValue(key, w.version(), value, run);
      } else if (result instanceof StateResult.Found f) {
        knownVersion.put(key, f.version());
      }
    }

    /** Fencing: the owner in the latest committed table holds every write acknowledged now. */
    private void checkOwnerHolds(String key, long version, Run run) {
      int p = StateKeys.partition("m", key, Run.PARTITIONS);
      String owner = run.control.committed.owner(p).orElse(null);
      if (owner == null || !run.up(owner)) {
        return;
      }
      assertThat(run.nodes.get(owner).sequence(p))
          .as("owner %s of partition %d holds acknowledged write %d of %s", owner, p, version, key)
          .isGreaterThanOrEqualTo(version);
    }

    /**
     * The committed owner's entry for the key is this write or a later one (a sequence number says
     * nothing if two owners reused it: the values tell).
     */
    private void checkOwnerHoldsValue(String key, long version, String value, Run run) {
      int p = StateKeys.partition("m", key, Run.PARTITIONS);
      String owner = run.control.committed.owner(p).orElse(null);
      if (owner == null || !run.up(owner)) {
        return;
      }
      StoredEntry entry = run.nodes.get(owner).peek("m", key, run.now);
      if (entry == null) {
        return; // a delete sequenced after it
      }
      assertThat(entry.version())
          .as(
              "owner %s holds %s at v%d, older than acknowledged v%d",
              owner, key, entry.version(), version)
          .isGreaterThanOrEqualTo(version);
      if (entry.version() == version) {
        assertThat(utf8(entry.value()))
            .as("owner %s holds another write of %s under v%d", owner, key, version)
            .isEqualTo(value);
      }
    }

    void check(Run run) {
      assertThat(acknowledged).as("the run acknowledged writes").isPositive();
      for (Map.Entry<String, Acked> e : lastAcked.entrySet()) {
        String key = e.getKey();
        Acked acked = e.getValue();
        int p = StateKeys.partition("m", key, Run.PARTITIONS);
        String owner = run.control.committed.owner(p).orElseThrow();
        StoredEntry now = run.nodes.get(owner).peek("m", key, run.now);
        if (now == null) {
          assertThat(deletedAfter(key, acked.issuedAtMillis()))
              .as(
                  "acknowledged %s=%s (v%d) is absent with no delete after it",
                  key, acked.value(), acked.version())
              .isTrue();
        } else if (now.version() == acked.version()) {
          assertThat(utf8(now.value())).isEqualTo(acked.value());
        } else {
          assertThat(now.version())
              .as("%s holds an older version than acknowledged", key)
              .isGreaterThan(acked.version());
          assertThat(attempted.get(key)).contains(utf8(now.value()));
        }
      }
    }

    private boolean deletedAfter(String key, long putIssuedAt) {
      // A delete issued before the put's issue could still be sequenced after it only if it was
      // in flight; issue times bound that well enough for the model's short delays.
      for (long[] d : deletes.getOrDefault(key, List.of())) {
        if (d[0] + 4_000 >= putIssuedAt) {
          return true;
        }
      }
      return false;
    }

    private static String utf8(byte[] b) {
      return new String(b, StandardCharsets.UTF_8);
    }
  }
}
