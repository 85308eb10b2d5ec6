package io.hivemind.core.state;

import io.hivemind.api.StateKeys;
import io.hivemind.core.partition.MoveInFlight;
import io.hivemind.core.partition.PartitionTable;
import io.hivemind.core.state.StateResult.UnavailableReason;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * One agent's share of the partitioned store (issue 13, docs/protocol/state.md). Owned by one
 * thread; every method takes the time and nothing blocks.
 *
 * <p>State: the committed table this node applies and the moves in flight with it; a {@link
 * PartitionStore} per partition it holds data for; for each partition it owns and has written or
 * migrates, an {@link OwnedPartition} (the copies it feeds, the writes awaiting acks); requests
 * waiting for a newer table, and requests forwarded to an owner. The backup side lives in {@link
 * CopyReceiver}, the writes in {@link OwnerWrites}.
 *
 * <p>Invariants: a write is acknowledged only by the owner in this node's table, under a lease, and
 * only once {@code min(syncBackups, B)} backups and every started destination hold it; a copy is
 * deleted only when an applied table names this node neither as replica nor as destination.
 */
public final class StateNode {

  /** Entries looked at per purge pass: bounds the work one tick does. */
  static final int PURGE_BUDGET = 10_000;

  /** How often expired entries are purged (reads treat them as absent meanwhile). */
  static final long PURGE_INTERVAL_MILLIS = 1_000;

  private final String selfId;
  private final StateConfig config;
  private final StateOutput output;
  private final Map<Integer, PartitionStore> stores = new HashMap<>();
  private final CopyReceiver receiver;
  private final OwnerWrites owner;
  private final Map<Long, PendingForward> forwards = new HashMap<>();
  private final List<Request> held = new ArrayList<>();
  private PartitionTable table;
  private Map<Integer, List<MoveInFlight>> moving = Map.of();
  private long leaseUntilMillis = Long.MIN_VALUE;
  private long nextForwardId = 1;
  private long nextPurgeMillis = Long.MIN_VALUE;
  private int purgeCursor;
  private int ownedCount;

  /** A request sent to {@code ownerId} as a Forward. */
  private record PendingForward(Request request, String ownerId) {}

  /**
   * A node with no table yet.
   *
   * @param selfId this agent's control-plane member id (the ids the table names)
   */
  public StateNode(String selfId, StateConfig config, StateOutput output) {
    this.selfId = Objects.requireNonNull(selfId, "selfId");
    this.config = Objects.requireNonNull(config, "config");
    this.output = Objects.requireNonNull(output, "output");
    this.receiver = new CopyReceiver(stores, output, new Admission());
    this.owner = new OwnerWrites(selfId, config, output, stores);
  }

  /**
   * A committed partition table and the moves in flight with it (the destinations that are filling
   * but are not yet replicas). Tables arrive in version order; an older or equal one is ignored.
   */
  public void onTable(PartitionTable table, List<MoveInFlight> inFlight, long nowMillis) {
    Objects.requireNonNull(table, "table");
    if (this.table != null && table.version() <= this.table.version()) {
      return;
    }
    this.table = table;
    this.moving = byPartition(table, inFlight);
    dropUnnamedCopies();
    ownedCount = countOwned();
    owner.onTable(table, moving, nowMillis);
    releaseHeld(nowMillis);
  }

  /**
   * The driver's evidence that this node's table is current: it heard from the control plane's
   * quorum, so no newer table can have been committed without it learning so before {@code
   * untilMillis}. Writes are refused with NO_LEASE after it (split-brain: a minority side's owner
   * stops acknowledging).
   */
  public void onLease(long untilMillis) {
    leaseUntilMillis = Math.max(leaseUntilMillis, untilMillis);
  }

  /**
   * A request from this node's API or client. {@code tableVersion} is the version the caller routed
   * by (0 when it did not route: this node forwards to the owner). Answered once, through {@link
   * StateOutput#reply}.
   */
  public void onRequest(long requestId, StateOp op, long tableVersion, long nowMillis) {
    admit(new Origin.Local(requestId), op, tableVersion, nowMillis);
  }

  /** A message from the agent {@code fromId} (the driver authenticated the sender). */
  public void onMessage(String fromId, StateMessage message, long nowMillis) {
    Objects.requireNonNull(fromId, "fromId");
    if (message instanceof StateMessage.Forward f) {
      admit(new Origin.Remote(fromId, f.requestId()), f.op(), f.tableVersion(), nowMillis);
    } else if (message instanceof StateMessage.ForwardResult r) {
      onForwardResult(fromId, r, nowMillis);
    } else if (message instanceof StateMessage.Backup b) {
      receiver.onBackup(fromId, b);
    } else if (message instanceof StateMessage.SnapshotChunk c) {
      receiver.onChunk(fromId, c);
    } else if (table != null) {
      owner.onAnswer(fromId, message, nowMillis);
    }
  }

  /** The connection to {@code peerId} failed: whatever was in flight to it is lost. */
  public void onPeerUnreachable(String peerId, long nowMillis) {
    Iterator<PendingForward> it = forwards.values().iterator();
    while (it.hasNext()) {
      PendingForward pf = it.next();
      if (pf.ownerId().equals(peerId)) {
        it.remove();
        pf.request()
            .origin()
            .answer(
                output,
                unavailable(
                    UnavailableReason.TIMEOUT,
                    "owner " + peerId + " became unreachable; a write may have been applied"));
      }
    }
    owner.onPeerUnreachable(peerId, nowMillis);
  }

  /** Time passes: request timeouts, TTL expiry, snapshot streaming. */
  public void tick(long nowMillis) {
    expireHeld(nowMillis);
    expireForwards(nowMillis);
    owner.tick(nowMillis);
    if (nowMillis >= nextPurgeMillis) {
      purge(nowMillis);
      nextPurgeMillis = nowMillis + PURGE_INTERVAL_MILLIS;
    }
  }

  /** When {@link #tick} is next needed, or {@code Long.MAX_VALUE}. */
  public long nextDeadlineMillis() {
    long next = owner.nextDeadlineMillis();
    for (Request r : held) {
      next = Math.min(next, r.deadlineMillis());
    }
    for (PendingForward pf : forwards.values()) {
      next = Math.min(next, pf.request().deadlineMillis());
    }
    if (!stores.isEmpty()) {
      next = Math.min(next, nextPurgeMillis);
    }
    return next;
  }

  /** What this node holds and does now, for metrics and the API. */
  public StateStats stats() {
    long entries = 0;
    for (PartitionStore store : stores.values()) {
      entries += store.size();
    }
    return new StateStats(version(), ownedCount, stores.size(), entries, owner.streaming());
  }

  /** The live entry's value for a key in this node's copy, or null: for tests and diagnostics. */
  StoredEntry peek(String map, String key, long nowMillis) {
    if (table == null) {
      return null;
    }
    PartitionStore store = stores.get(StateKeys.partition(map, key, table.partitionCount()));
    return store == null ? null : store.live(map, key, nowMillis);
  }

  /** The sequence number of this node's copy of a partition, -1 when it holds none. */
  long sequence(int partition) {
    PartitionStore store = stores.get(partition);
    return store == null ? -1 : store.sequence();
  }

  private void admit(Origin origin, StateOp op, long routedVersion, long nowMillis) {
    Objects.requireNonNull(op, "op");
    if (openRequests() >= config.maxPendingRequests()) {
      origin.answer(
          output,
          unavailable(
              UnavailableReason.OVERLOADED,
              config.maxPendingRequests() + " requests are already waiting on this node"));
      return;
    }
    long deadline = nowMillis + config.requestTimeoutMillis();
    process(new Request(origin, op, routedVersion, 0, deadline), nowMillis);
  }

  private void process(Request r, long nowMillis) {
    if (r.routedVersion() > version()) {
      // Fencing: the caller knows a newer table; answering from an older one could be wrong.
      held.add(r);
      return;
    }
    if (table == null) {
      r.origin().answer(output, unavailable(UnavailableReason.NO_TABLE, "no partition table yet"));
      return;
    }
    int p = StateKeys.partition(r.op().map(), r.op().key(), table.partitionCount());
    String ownerId = table.owner(p).orElse(null);
    if (ownerId == null) {
      r.origin()
          .answer(
              output,
              unavailable(UnavailableReason.NO_OWNER, "partition " + p + " has no replica"));
    } else if (!ownerId.equals(selfId)) {
      notOwner(r, ownerId, nowMillis);
    } else if (!r.op().writes()) {
      r.origin().answer(output, read(p, r.op(), nowMillis));
    } else if (nowMillis >= leaseUntilMillis) {
      r.origin()
          .answer(
              output,
              unavailable(
                  UnavailableReason.NO_LEASE,
                  "this owner cannot reach the control plane's quorum, so it takes no writes"));
    } else {
      owner.write(p, r, version(), nowMillis);
    }
  }

  private void notOwner(Request r, String ownerId, long nowMillis) {
    boolean mayForward = !r.origin().remote() && (r.routedVersion() == 0 || r.retries() > 0);
    if (!mayForward) {
      r.origin().answer(output, new StateResult.Redirect(ownerId, version()));
      return;
    }
    long id = nextForwardId++;
    forwards.put(id, new PendingForward(r, ownerId));
    output.send(ownerId, new StateMessage.Forward(id, r.op(), version()));
  }

  private void onForwardResult(String fromId, StateMessage.ForwardResult result, long nowMillis) {
    PendingForward pf = forwards.get(result.requestId());
    if (pf == null || !pf.ownerId().equals(fromId)) {
      return; // late (timed out) or not from the node it was sent to
    }
    forwards.remove(result.requestId());
    Request r = pf.request();
    if (result.result() instanceof StateResult.Redirect redirect
        && r.retries() < Request.MAX_RETRIES
        && !redirect.ownerId().isEmpty()) {
      process(r.retried(Math.max(1, redirect.tableVersion())), nowMillis);
    } else {
      r.origin().answer(output, result.result());
    }
  }

  private StateResult read(int p, StateOp op, long nowMillis) {
    PartitionStore store = stores.get(p);
    StoredEntry e = store == null ? null : store.live(op.map(), op.key(), nowMillis);
    if (e == null) {
      return new StateResult.Absent();
    }
    return new StateResult.Found(e.value().clone(), e.version(), e.expiresAtMillis());
  }

  private void releaseHeld(long nowMillis) {
    List<Request> ready = new ArrayList<>();
    held.removeIf(
        r -> {
          if (r.routedVersion() <= version()) {
            ready.add(r);
            return true;
          }
          return false;
        });
    for (Request r : ready) {
      process(r, nowMillis);
    }
  }

  private void expireHeld(long nowMillis) {
    List<Request> expired = new ArrayList<>();
    held.removeIf(
        r -> {
          if (r.deadlineMillis() <= nowMillis) {
            expired.add(r);
            return true;
          }
          return false;
        });
    for (Request r : expired) {
      r.origin()
          .answer(
              output,
              unavailable(
                  UnavailableReason.TIMEOUT,
                  "the table version " + r.routedVersion() + " did not arrive in time"));
    }
  }

  private void expireForwards(long nowMillis) {
    Iterator<PendingForward> it = forwards.values().iterator();
    while (it.hasNext()) {
      PendingForward pf = it.next();
      if (pf.request().deadlineMillis() <= nowMillis) {
        it.remove();
        pf.request()
            .origin()
            .answer(
                output,
                unavailable(
                    UnavailableReason.TIMEOUT,
                    "owner "
                        + pf.ownerId()
                        + " did not answer in time; a write may have been applied"));
      }
    }
  }

  /** Removes expired entries from the next partitions in turn, at most the budget's worth. */
  private void purge(long nowMillis) {
    List<Integer> partitions = new ArrayList<>(stores.keySet());
    partitions.sort(null);
    int seen = 0;
    int start = 0;
    while (start < partitions.size() && partitions.get(start) < purgeCursor) {
      start++;
    }
    for (int i = 0; i < partitions.size() && seen < PURGE_BUDGET; i++) {
      int p = partitions.get((start + i) % partitions.size());
      seen += stores.get(p).purgeExpired(nowMillis);
      purgeCursor = p + 1;
    }
  }

  private void dropUnnamedCopies() {
    Iterator<Map.Entry<Integer, PartitionStore>> it = stores.entrySet().iterator();
    while (it.hasNext()) {
      Map.Entry<Integer, PartitionStore> e = it.next();
      int p = e.getKey();
      // A copy sent at a newer table than this one is kept: that table decides, once it arrives
      // (this node may apply tables late and skip some; an owner that already counted the copy
      // must find it there).
      if (!named(p) && e.getValue().fenceVersion() <= table.version()) {
        // The committed table no longer names this node: the move that replaced it is done.
        it.remove();
        receiver.forget(p);
      }
    }
  }

  private boolean named(int p) {
    if (p >= table.partitionCount()) {
      return false;
    }
    if (table.replicas().get(p).contains(selfId)) {
      return true;
    }
    for (MoveInFlight m : moving.getOrDefault(p, List.of())) {
      if (selfId.equals(m.move().destination())) {
        return true;
      }
    }
    return false;
  }

  private int countOwned() {
    int n = 0;
    for (List<String> replicas : table.replicas()) {
      n += !replicas.isEmpty() && replicas.get(0).equals(selfId) ? 1 : 0;
    }
    return n;
  }

  private int openRequests() {
    return held.size() + forwards.size() + owner.pendingWrites();
  }

  private long version() {
    return table == null ? 0 : table.version();
  }

  private static Map<Integer, List<MoveInFlight>> byPartition(
      PartitionTable table, List<MoveInFlight> inFlight) {
    Map<Integer, List<MoveInFlight>> map = new HashMap<>();
    for (MoveInFlight m : inFlight) {
      int p = m.move().partition();
      if (p < table.partitionCount() && m.move().copies()) {
        map.computeIfAbsent(p, x -> new ArrayList<>()).add(m);
      }
    }
    return map;
  }

  static StateResult.Unavailable unavailable(UnavailableReason code, String reason) {
    return new StateResult.Unavailable(code, reason);
  }

  /** Copies come from the owner in this node's table, or from anyone with a newer table. */
  private final class Admission implements CopyReceiver.Admission {
    @Override
    public boolean admits(String fromId, int partition, long tableVersion) {
      if (table == null || tableVersion > table.version()) {
        return true; // this node's table will catch up; the copy is kept or dropped then
      }
      return partition < table.partitionCount()
          && fromId.equals(table.owner(partition).orElse(null))
          && named(partition);
    }

    @Override
    public long version() {
      return StateNode.this.version();
    }
  }
}
