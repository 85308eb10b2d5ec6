package io.hivemind.core.state;

import io.hivemind.core.partition.MoveInFlight;
import io.hivemind.core.partition.PartitionTable;
import io.hivemind.core.state.StateResult.UnavailableReason;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The owner side of replication (docs/protocol/state.md, "Writes" rule 3 and "Migration
 * streaming"): assigns each write its partition sequence number, sends it to the copies it feeds,
 * acknowledges it once enough of them hold it, and streams snapshots to migration destinations and
 * to backups that fell behind or that this node has not fed since it became owner.
 *
 * <p>Owned by the {@link StateNode}'s thread. The node checks ownership and the lease before {@link
 * #write}; this class checks nothing about the table beyond which copies to feed.
 */
final class OwnerWrites {

  private final String selfId;
  private final StateConfig config;
  private final StateOutput output;
  private final Map<Integer, PartitionStore> stores;
  private final Map<Integer, OwnedPartition> owned = new HashMap<>();
  private final SnapshotStreamer streamer;
  private PartitionTable table;
  private Map<Integer, List<MoveInFlight>> moving = Map.of();
  private int pendingWrites;

  /**
   * No later than the earliest deadline of a pending write (earlier once that write settled): the
   * driver asks for the next deadline after every call, and walking every owned partition's writes
   * each time cost more than the write. {@link #tick} makes it exact again.
   */
  private long earliestWriteDeadline = Long.MAX_VALUE;

  private long nextReportMillis = Long.MIN_VALUE;

  OwnerWrites(
      String selfId, StateConfig config, StateOutput output, Map<Integer, PartitionStore> stores) {
    this.selfId = selfId;
    this.config = config;
    this.output = output;
    this.stores = stores;
    this.streamer = new SnapshotStreamer(config.maxParallelStreams());
  }

  void onTable(PartitionTable table, Map<Integer, List<MoveInFlight>> moving, long nowMillis) {
    this.table = table;
    this.moving = moving;
    Iterator<Map.Entry<Integer, OwnedPartition>> it = owned.entrySet().iterator();
    while (it.hasNext()) {
      Map.Entry<Integer, OwnedPartition> e = it.next();
      int p = e.getKey();
      if (!selfId.equals(owner(p))) {
        failWrites(e.getValue(), "ownership of partition " + p + " moved before backups acked");
        streamer.cancelPartition(p);
        it.remove();
      } else {
        reconcileFeeds(p, e.getValue());
      }
    }
    for (Map.Entry<Integer, List<MoveInFlight>> e : moving.entrySet()) {
      if (selfId.equals(owner(e.getKey()))) {
        partition(e.getKey());
      }
    }
    reportCaughtUp();
    startStreams(nowMillis);
    for (int p : new ArrayList<>(owned.keySet())) {
      settle(p);
    }
  }

  /** Applies a write this node, the owner under a lease, accepted; answers it when replicated. */
  void write(int p, Request r, long tableVersion, long nowMillis) {
    OwnedPartition op = partition(p);
    startStreams(nowMillis);
    PartitionStore store = stores.computeIfAbsent(p, x -> new PartitionStore());
    StateOp o = r.op();
    StoredEntry current = store.live(o.map(), o.key(), nowMillis);
    long currentVersion = current == null ? 0 : current.version();
    if (o instanceof StateOp.CompareAndSet cas && cas.expectedVersion() != currentVersion) {
      r.origin().answer(output, new StateResult.Conflict(currentVersion));
      return;
    }
    if (o instanceof StateOp.Delete && current == null) {
      r.origin().answer(output, new StateResult.Deleted(false));
      return;
    }
    long s = store.sequence() + 1;
    byte[] value = value(o);
    long ttl = ttl(o);
    long expiresAt = value == null || ttl == 0 ? 0 : nowMillis + ttl;
    store.apply(o.map(), o.key(), value, s, expiresAt);
    StateMessage.Backup backup =
        new StateMessage.Backup(p, tableVersion, s, o.map(), o.key(), value, expiresAt);
    for (Map.Entry<String, Feed> f : op.feeds.entrySet()) {
      if (f.getValue().receivesBackups()) {
        output.send(f.getKey(), backup);
      }
    }
    StateResult result = value == null ? new StateResult.Deleted(true) : new StateResult.Written(s);
    op.writes.add(new PendingWrite(s, r.origin(), result, r.deadlineMillis()));
    pendingWrites++;
    earliestWriteDeadline = Math.min(earliestWriteDeadline, r.deadlineMillis());
    settle(p);
  }

  /** A backup's or destination's answer: an ack, a gap, a refusal, or a snapshot's ack. */
  void onAnswer(String from, StateMessage message, long nowMillis) {
    if (message instanceof StateMessage.BackupAck a) {
      Feed f = feed(a.partition(), from);
      if (f != null && f.phase == Feed.Phase.LIVE) {
        f.acked = Math.max(f.acked, a.sequence());
        settle(a.partition());
      }
    } else if (message instanceof StateMessage.SnapshotAck a) {
      onSnapshotAck(from, a, nowMillis);
    } else if (message instanceof StateMessage.BackupGap g) {
      Feed f = feed(g.partition(), from);
      if (f != null && f.phase == Feed.Phase.LIVE) {
        resync(g.partition(), from, f);
        startStreams(nowMillis);
      }
    } else if (message instanceof StateMessage.BackupRefused r) {
      OwnedPartition op = owned.get(r.partition());
      if (op != null && r.tableVersion() > table.version()) {
        failWrites(op, from + " knows table " + r.tableVersion() + ", newer than this owner's");
      }
    }
  }

  void onPeerUnreachable(String peerId, long nowMillis) {
    for (Map.Entry<Integer, OwnedPartition> e : owned.entrySet()) {
      Feed f = e.getValue().feeds.get(peerId);
      if (f != null && f.phase != Feed.Phase.NEED_SNAPSHOT) {
        // Backups in flight to it are lost: it gets the partition whole again.
        streamer.cancel(e.getKey(), peerId);
        resync(e.getKey(), peerId, f);
      }
    }
    startStreams(nowMillis);
  }

  void tick(long nowMillis) {
    if (nowMillis >= nextReportMillis && table != null) {
      // A proposal lost on its way to the control plane (a leader change, a dropped link) is
      // repeated, so a move whose destination caught up never waits for an unrelated table.
      reportCaughtUp();
      nextReportMillis = nowMillis + config.requestTimeoutMillis();
    }
    for (SnapshotStreamer.Stream s : streamer.active()) {
      Feed f = feed(s.partition(), s.target());
      if (f == null) {
        streamer.finished(s.partition(), s.target());
      } else if (f.streamDeadlineMillis <= nowMillis) {
        streamer.finished(s.partition(), s.target());
        resync(s.partition(), s.target(), f);
      }
    }
    startStreams(nowMillis);
    earliestWriteDeadline = Long.MAX_VALUE;
    for (OwnedPartition op : owned.values()) {
      Iterator<PendingWrite> it = op.writes.iterator();
      while (it.hasNext()) {
        PendingWrite w = it.next();
        if (w.deadlineMillis() > nowMillis) {
          earliestWriteDeadline = Math.min(earliestWriteDeadline, w.deadlineMillis());
        } else {
          it.remove();
          pendingWrites--;
          w.origin()
              .answer(
                  output,
                  StateNode.unavailable(
                      UnavailableReason.BACKUP_TIMEOUT,
                      "backups did not acknowledge in time; the write may have been applied"));
        }
      }
    }
  }

  long nextDeadlineMillis() {
    long next = moving.isEmpty() ? Long.MAX_VALUE : nextReportMillis;
    if (pendingWrites > 0) {
      next = Math.min(next, earliestWriteDeadline);
    }
    for (SnapshotStreamer.Stream s : streamer.active()) {
      Feed f = feed(s.partition(), s.target());
      if (f != null) {
        next = Math.min(next, f.streamDeadlineMillis);
      }
    }
    return next;
  }

  int streaming() {
    return streamer.activeCount();
  }

  int pendingWrites() {
    return pendingWrites;
  }

  private void onSnapshotAck(String from, StateMessage.SnapshotAck a, long nowMillis) {
    Feed f = feed(a.partition(), from);
    if (f == null
        || f.phase != Feed.Phase.STREAMING
        || f.streamSequence != a.sequence()
        || f.streamTableVersion != a.tableVersion()) {
      return;
    }
    f.phase = Feed.Phase.LIVE;
    f.acked = Math.max(f.acked, a.sequence());
    streamer.finished(a.partition(), from);
    List<MoveInFlight> done = new ArrayList<>();
    for (MoveInFlight m : moving.getOrDefault(a.partition(), List.of())) {
      if (from.equals(m.move().destination()) && f.since == m.since()) {
        done.add(m);
      }
    }
    if (!done.isEmpty()) {
      output.movesCaughtUp(table.version(), done);
    }
    settle(a.partition());
    startStreams(nowMillis);
  }

  /** The partition's owner state, made on first need with a feed for every copy to serve. */
  private OwnedPartition partition(int p) {
    OwnedPartition op = owned.computeIfAbsent(p, x -> new OwnedPartition());
    for (Map.Entry<String, Long> target : targets(p).entrySet()) {
      if (!op.feeds.containsKey(target.getKey())) {
        op.feed(target.getKey()).since = target.getValue();
        streamer.enqueue(p, target.getKey());
      }
    }
    return op;
  }

  /**
   * Drops the feeds of copies the table no longer names, and of destinations whose move is a new
   * run (its {@link MoveInFlight#since} changed): the destination may have deleted the copy this
   * node fed in an earlier run, in a table this node skipped, so it gets a snapshot again.
   */
  private void reconcileFeeds(int p, OwnedPartition op) {
    Map<String, Long> targets = targets(p);
    Iterator<Map.Entry<String, Feed>> it = op.feeds.entrySet().iterator();
    while (it.hasNext()) {
      Map.Entry<String, Feed> feed = it.next();
      Long since = targets.get(feed.getKey());
      if (since == null || (since > 0 && since != feed.getValue().since)) {
        streamer.cancel(p, feed.getKey());
        it.remove();
      }
    }
    partition(p);
  }

  /**
   * Backups in the table and in-flight destinations: every copy the owner feeds, each with the run
   * of its move ({@link MoveInFlight#since}; 0 for a backup).
   */
  private Map<String, Long> targets(int p) {
    Map<String, Long> targets = new LinkedHashMap<>();
    List<String> replicas = table.replicas().get(p);
    for (int i = 1; i < replicas.size(); i++) {
      targets.put(replicas.get(i), 0L);
    }
    for (MoveInFlight m : moving.getOrDefault(p, List.of())) {
      if (!selfId.equals(m.move().destination())) {
        targets.put(m.move().destination(), m.since());
      }
    }
    return targets;
  }

  private void startStreams(long nowMillis) {
    SnapshotStreamer.Stream s;
    while ((s = streamer.next()) != null) {
      Feed f = feed(s.partition(), s.target());
      if (f == null) {
        streamer.finished(s.partition(), s.target());
        continue;
      }
      PartitionStore store = stores.get(s.partition());
      long sequence = store == null ? 0 : store.sequence();
      List<List<StateEntry>> chunks =
          store == null ? List.of(List.of()) : store.chunks(config.snapshotChunkBytes(), nowMillis);
      for (int i = 0; i < chunks.size(); i++) {
        output.send(
            s.target(),
            new StateMessage.SnapshotChunk(
                s.partition(),
                table.version(),
                sequence,
                i,
                i == chunks.size() - 1,
                chunks.get(i)));
      }
      f.phase = Feed.Phase.STREAMING;
      f.started = true;
      f.streamSequence = sequence;
      f.streamTableVersion = table.version();
      // One request timeout per chunk: a big partition on a slow link must not be re-sent forever.
      f.streamDeadlineMillis = nowMillis + config.requestTimeoutMillis() * chunks.size();
    }
  }

  private void resync(int p, String target, Feed f) {
    f.phase = Feed.Phase.NEED_SNAPSHOT;
    streamer.enqueue(p, target);
  }

  /** Answers, in sequence order, every write of {@code p} that enough copies now hold. */
  private void settle(int p) {
    OwnedPartition op = owned.get(p);
    if (op == null) {
      return;
    }
    while (!op.writes.isEmpty() && replicated(p, op, op.writes.peekFirst().sequence())) {
      PendingWrite w = op.writes.pollFirst();
      pendingWrites--;
      w.origin().answer(output, w.result());
    }
  }

  private boolean replicated(int p, OwnedPartition op, long s) {
    List<String> replicas = table.replicas().get(p);
    int need = Math.min(config.syncBackups(), replicas.size() - 1);
    int got = 0;
    for (int i = 1; i < replicas.size(); i++) {
      Feed f = op.feeds.get(replicas.get(i));
      got += f != null && f.holds(s) ? 1 : 0;
    }
    if (got < need) {
      return false;
    }
    // A destination that has started filling must hold every write acknowledged from then on,
    // or a move that makes it a replica would lose them.
    for (MoveInFlight m : moving.getOrDefault(p, List.of())) {
      Feed f = op.feeds.get(m.move().destination());
      if (f != null && f.started && !f.holds(s)) {
        return false;
      }
    }
    return true;
  }

  private void reportCaughtUp() {
    List<MoveInFlight> caughtUp = new ArrayList<>();
    for (Map.Entry<Integer, List<MoveInFlight>> e : moving.entrySet()) {
      OwnedPartition op = owned.get(e.getKey());
      for (MoveInFlight m : e.getValue()) {
        Feed f = op == null ? null : op.feeds.get(m.move().destination());
        if (f != null && f.phase == Feed.Phase.LIVE && f.since == m.since()) {
          caughtUp.add(m);
        }
      }
    }
    if (!caughtUp.isEmpty()) {
      output.movesCaughtUp(table.version(), caughtUp);
    }
  }

  private void failWrites(OwnedPartition op, String why) {
    for (PendingWrite w : op.writes) {
      pendingWrites--;
      w.origin()
          .answer(
              output,
              StateNode.unavailable(
                  UnavailableReason.BACKUP_TIMEOUT, why + "; the write may have been applied"));
    }
    op.writes.clear();
  }

  private Feed feed(int p, String target) {
    OwnedPartition op = owned.get(p);
    return op == null ? null : op.feeds.get(target);
  }

  private String owner(int p) {
    return table.owner(p).orElse(null);
  }

  private static byte[] value(StateOp o) {
    if (o instanceof StateOp.Put put) {
      return put.value().clone();
    }
    if (o instanceof StateOp.CompareAndSet cas) {
      return cas.value().clone();
    }
    return null;
  }

  private static long ttl(StateOp o) {
    if (o instanceof StateOp.Put put) {
      return put.ttlMillis();
    }
    if (o instanceof StateOp.CompareAndSet cas) {
      return cas.ttlMillis();
    }
    return 0;
  }
}
