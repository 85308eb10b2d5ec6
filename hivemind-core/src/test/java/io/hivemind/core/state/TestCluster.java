package io.hivemind.core.state;

import io.hivemind.api.StateKeys;
import io.hivemind.core.partition.MoveInFlight;
import io.hivemind.core.partition.PartitionMember;
import io.hivemind.core.partition.PartitionMove;
import io.hivemind.core.partition.PartitionTable;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Predicate;

/**
 * A few StateNodes on a FIFO in-memory link with a manual clock, for the unit tests: messages wait
 * in one queue until {@link #deliver} (optionally dropping or holding some), replies are recorded.
 */
final class TestCluster {

  record Sent(String from, String to, StateMessage message) {}

  static final StateConfig CONFIG = new StateConfig(1, 1_000, 100, 1024, 2);

  final Map<String, StateNode> nodes = new TreeMap<>();
  final Map<String, Map<Long, StateResult>> replies = new HashMap<>();
  final Map<String, List<PartitionMove>> caughtUp = new HashMap<>();
  final Deque<Sent> queue = new ArrayDeque<>();
  final List<Sent> log = new ArrayList<>();
  long now = 1_000;
  private long nextRequest = 1;

  TestCluster(StateConfig config, String... ids) {
    for (String id : ids) {
      replies.put(id, new HashMap<>());
      caughtUp.put(id, new ArrayList<>());
      nodes.put(id, new StateNode(id, config, output(id)));
    }
  }

  TestCluster(String... ids) {
    this(CONFIG, ids);
  }

  private StateOutput output(String id) {
    return new StateOutput() {
      @Override
      public void send(String toId, StateMessage message) {
        Sent s = new Sent(id, toId, message);
        queue.add(s);
        log.add(s);
      }

      @Override
      public void reply(long requestId, StateResult result) {
        if (replies.get(id).put(requestId, result) != null) {
          throw new AssertionError("request " + requestId + " answered twice at " + id);
        }
      }

      @Override
      public void movesCaughtUp(long tableVersion, List<MoveInFlight> moves) {
        moves.forEach(m -> caughtUp.get(id).add(m.move()));
      }
    };
  }

  StateNode node(String id) {
    return nodes.get(id);
  }

  /**
   * A table over {@code partitions} partitions of the given replica lists, members are the nodes.
   */
  static PartitionTable table(long version, int backups, List<List<String>> replicas) {
    List<PartitionMember> members = new ArrayList<>();
    for (String id : new java.util.TreeSet<>(flatten(replicas))) {
      members.add(PartitionMember.onHost(id, "h-" + id));
    }
    return new PartitionTable(version, replicas.size(), backups, members, replicas);
  }

  private static List<String> flatten(List<List<String>> replicas) {
    List<String> all = new ArrayList<>();
    replicas.forEach(all::addAll);
    return all;
  }

  void table(PartitionTable table, List<PartitionMove> moves) {
    for (StateNode n : nodes.values()) {
      n.onTable(table, runs(table, moves), now);
    }
  }

  /**
   * The moves as runs, as the control plane numbers them: a move already in flight with an earlier
   * table keeps its start, a new one starts at {@code table}'s version.
   */
  List<MoveInFlight> runs(PartitionTable table, List<PartitionMove> moves) {
    Map<PartitionMove, Long> next = new HashMap<>();
    for (PartitionMove m : moves) {
      next.put(m, since.getOrDefault(m, table.version()));
    }
    since.clear();
    since.putAll(next);
    return moves.stream().map(m -> new MoveInFlight(m, next.get(m))).toList();
  }

  private final Map<PartitionMove, Long> since = new HashMap<>();

  void lease() {
    for (StateNode n : nodes.values()) {
      n.onLease(now + 5_000);
    }
  }

  long request(String at, StateOp op, long version) {
    long id = nextRequest++;
    nodes.get(at).onRequest(id, op, version, now);
    return id;
  }

  StateResult reply(String at, long id) {
    return replies.get(at).get(id);
  }

  /** Delivers queued messages (and those they cause) until none is left, dropping {@code drop}. */
  void deliver(Predicate<Sent> drop) {
    while (!queue.isEmpty()) {
      Sent s = queue.poll();
      if (!drop.test(s) && nodes.containsKey(s.to())) {
        nodes.get(s.to()).onMessage(s.from(), s.message(), now);
      }
    }
  }

  void deliver() {
    deliver(s -> false);
  }

  void advance(long millis) {
    now += millis;
    for (StateNode n : nodes.values()) {
      n.tick(now);
    }
  }

  /** A key of {@code map} that falls in partition {@code p} of {@code count}. */
  static String keyIn(int p, int count) {
    for (int i = 0; ; i++) {
      String key = "k" + i;
      if (StateKeys.partition("m", key, count) == p) {
        return key;
      }
    }
  }

  static byte[] bytes(String s) {
    return s.getBytes(java.nio.charset.StandardCharsets.UTF_8);
  }
}
