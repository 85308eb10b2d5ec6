package io.hivemind.server.state;

import io.hivemind.api.StateKeys;
import io.hivemind.core.control.CommittedPartitionTable;
import io.hivemind.core.control.ControlCommand;
import io.hivemind.core.control.ControlView;
import io.hivemind.core.membership.Address;
import io.hivemind.core.partition.MoveInFlight;
import io.hivemind.core.partition.PartitionTable;
import io.hivemind.core.state.StateConfig;
import io.hivemind.core.state.StateMessage;
import io.hivemind.core.state.StateOp;
import io.hivemind.core.state.StateOutput;
import io.hivemind.core.state.StateResult;
import io.hivemind.server.control.ControlPlane;
import io.hivemind.server.loop.DriverLoop;
import java.time.Clock;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs this agent's share of the partitioned store (issue 13, docs/architecture.md "Partitioned
 * state"): the core's {@code StateNode} on one thread, the {@link DriverLoop} given at
 * construction, which owns the node and everything below. The node gets each committed partition
 * table (from the control plane's views, in version order), a lease whenever the control plane
 * shows a quorum, ticks at its next deadline, the HTTP API's requests and peers' messages; what it
 * produces is carried out here: messages go to the {@link StateSender} at the address the peer
 * announced ({@link StatePeers}), replies complete the requests' futures, caught-up moves are
 * proposed to the control plane.
 *
 * <p>Every public method is thread-safe: it queues its work on the loop and never runs the node
 * inline, so the node is never called re-entrantly.
 */
public final class StateService implements StateRequests, AutoCloseable {

  /**
   * How long a quorum's evidence lets the owner acknowledge writes: shorter than failure detection
   * plus removal (more than 10 s), so a minority-side owner stops before the majority promotes its
   * backup (docs/protocol/state.md, "Lease").
   */
  public static final long LEASE_MILLIS = 5_000;

  /** The lease is renewed this often while the control plane shows a quorum. */
  public static final long LEASE_RENEW_MILLIS = 1_000;

  /**
   * After a send found no address for a peer, further sends to it are dropped unreported for this
   * long: the node's stream time-outs re-send, and the address usually appears with gossip.
   */
  static final long NO_ADDRESS_BACKOFF_MILLIS = 1_000;

  /** Peers' messages queued for the loop before more are dropped (a wedged loop must not OOM). */
  static final int MAX_QUEUED_MESSAGES = 100_000;

  private static final Logger log = LoggerFactory.getLogger(StateService.class);

  private final DriverLoop loop;
  private final Set<MoveInFlight> caughtUp = new LinkedHashSet<>();
  private boolean proposing;
  private long caughtUpVersion;
  private final ControlPlane control;
  private final Supplier<String> selfId;
  private final StatePeers peers;
  private final Clock clock;
  private final StateEngine.Factory factory;
  private final StateServiceStats stats = new StateServiceStats();
  private final AtomicInteger queuedMessages = new AtomicInteger();
  private final Map<Long, Pending> pending = new HashMap<>();

  /** By peer without an address: until when its sends are dropped unreported (loop only). */
  private final Map<String, Long> noAddressUntil = new HashMap<>();

  private volatile StateSender sender;
  private volatile boolean closed;
  private StateEngine engine;
  private String engineSelf;
  private PartitionTable table;
  private long nextRequestId = 1;
  private DriverLoop.Scheduled tickTask;
  private long tickAtMillis = Long.MAX_VALUE;
  private DriverLoop.Scheduled leaseTask;

  private record Pending(StateOp op, CompletableFuture<StateAnswer> answer) {}

  // Justification: the loop, the control plane, who this node is, and where peers are; the clock
  // and the node's factory are the seams the tests use.
  StateService(
      DriverLoop loop,
      ControlPlane control,
      Supplier<String> selfId,
      StatePeers peers,
      Clock clock,
      StateEngine.Factory factory) {
    this.loop = loop;
    this.control = control;
    this.selfId = selfId;
    this.peers = peers;
    this.clock = clock;
    this.factory = factory;
  }

  /**
   * A service running the core's {@code StateNode} with {@code config}; call {@link #start} once
   * the transport is bound.
   */
  public static StateService create(
      DriverLoop loop,
      ControlPlane control,
      Supplier<String> selfId,
      StatePeers peers,
      Clock clock,
      StateConfig config) {
    return new StateService(loop, control, selfId, peers, clock, StateNodeEngine.factory(config));
  }

  /**
   * Starts: messages leave through {@code sender}; the control plane's current view and every later
   * one are applied; the lease timer runs.
   */
  public void start(StateSender sender) {
    this.sender = sender;
    // The current view is read now, so it reaches the node before any later one the listener
    // queues: tables arrive in version order, none skipped.
    ControlView current = control.view();
    onLoop(
        () -> {
          applyView(current);
          renewLease();
        });
    control.addListener(view -> onLoop(() -> applyView(view)));
  }

  public StateServiceStats stats() {
    return stats;
  }

  @Override
  public CompletableFuture<StateAnswer> submit(StateOp op, long routedVersion) {
    CompletableFuture<StateAnswer> answer = new CompletableFuture<>();
    if (!onLoop(() -> request(op, routedVersion, answer))) {
      answer.complete(closedAnswer());
    }
    return answer;
  }

  /** A peer's message, from the transport's thread. */
  public void deliver(String fromId, StateMessage message) {
    if (queuedMessages.incrementAndGet() > MAX_QUEUED_MESSAGES) {
      queuedMessages.decrementAndGet();
      stats.inboundDropped.increment();
      return; // the protocol's timeouts and re-sends cover a dropped message
    }
    boolean queued =
        onLoop(
            () -> {
              queuedMessages.decrementAndGet();
              stats.message("received", message);
              if (engine != null) {
                engine.onMessage(fromId, message, now());
                afterCall();
              }
            });
    if (!queued) {
      queuedMessages.decrementAndGet();
    }
  }

  /** The connection to {@code peerId} failed, from the transport's thread. */
  public void peerUnreachable(String peerId) {
    onLoop(() -> unreachable(peerId));
  }

  private void unreachable(String peerId) {
    if (engine != null) {
      engine.onPeerUnreachable(peerId, now());
      afterCall();
    }
  }

  // --- on the loop ---

  private void applyView(ControlView view) {
    ensureEngine();
    Optional<CommittedPartitionTable> committed = view.partitionTable();
    if (engine == null || committed.isEmpty()) {
      return;
    }
    PartitionTable latest = committed.get().table();
    if (table != null && latest.version() <= table.version()) {
      return;
    }
    table = latest;
    engine.onTable(latest, inFlight(view), now());
    afterCall();
  }

  /** The moves in flight with the committed table: their destinations are filling. */
  private static List<MoveInFlight> inFlight(ControlView view) {
    return view.partitionTable().map(CommittedPartitionTable::movesInFlight).orElse(List.of());
  }

  /**
   * Makes the node once this agent knows its member id, and again if the id was renewed (the
   * cluster removed this node and it rejoined as a new member: the old id's data is not its).
   */
  private void ensureEngine() {
    String id = selfId.get();
    if (id == null || id.isEmpty() || id.equals(engineSelf)) {
      return;
    }
    if (engineSelf != null) {
      log.info("member id changed from {} to {}: partitioned state starts empty", engineSelf, id);
      failPending("this agent's member id changed");
    }
    engineSelf = id;
    table = null;
    engine = factory.create(id, new Output());
  }

  private void renewLease() {
    leaseTask = null;
    if (closed) {
      return;
    }
    if (engine != null) {
      // Here, once a second, not after every call: the node's figures walk every partition it
      // holds, which per request cost more than the request itself.
      stats.publish(engine.stats());
      if (!control.status().degraded()) {
        engine.onLease(now() + LEASE_MILLIS);
        afterCall();
      }
    }
    leaseTask = loop.schedule(this::renewLease, LEASE_RENEW_MILLIS);
  }

  private void request(StateOp op, long routedVersion, CompletableFuture<StateAnswer> answer) {
    ensureEngine();
    if (engine == null) {
      answer.complete(
          answer(
              op,
              new StateResult.Unavailable(
                  StateResult.UnavailableReason.NO_TABLE,
                  "this agent has no member id yet: it has not been admitted to the cluster")));
      return;
    }
    long id = nextRequestId++;
    pending.put(id, new Pending(op, answer));
    engine.onRequest(id, op, routedVersion, now());
    afterCall();
  }

  private void reply(long requestId, StateResult result) {
    Pending request = pending.remove(requestId);
    if (request == null) {
      log.debug("reply to unknown request {} ignored", requestId);
      return;
    }
    StateAnswer answer = answer(request.op(), result);
    stats.answered(request.op(), result);
    if (answer.forwarded()) {
      stats.forwarded.increment();
    }
    request.answer().complete(answer);
  }

  private StateAnswer answer(StateOp op, StateResult result) {
    if (table == null) {
      return new StateAnswer(result, 0, "", false);
    }
    int partition = StateKeys.partition(op.map(), op.key(), table.partitionCount());
    String owner = table.owner(partition).orElse("");
    return new StateAnswer(result, table.version(), owner, !owner.equals(engineSelf));
  }

  private void send(String toId, StateMessage message) {
    stats.message("sent", message);
    if (toId.equals(engineSelf)) {
      onLoop(() -> deliverLocal(toId, message)); // queued: never re-entrant
      return;
    }
    Optional<Address> address = peers.stateAddress(toId);
    StateSender out = sender;
    if (address.isEmpty() || out == null) {
      stats.noAddress.increment();
      // Reported once per back-off, sends dropped meanwhile, as the transport does for a peer it
      // cannot dial: the node answers an unreachable peer by re-sending its streams at once, and
      // every dropped chunk reported again made a storm of tasks that filled a control node's
      // heap (5.4 million queued, 10 agents starting on 2 cores).
      long now = now();
      Long quietUntil = noAddressUntil.get(toId);
      if (quietUntil == null || now >= quietUntil) {
        noAddressUntil.put(toId, now + NO_ADDRESS_BACKOFF_MILLIS);
        onLoop(() -> unreachable(toId));
      }
      return;
    }
    if (!noAddressUntil.isEmpty()) {
      noAddressUntil.remove(toId);
    }
    out.send(toId, address.get(), message);
  }

  private void deliverLocal(String fromId, StateMessage message) {
    if (engine != null && fromId.equals(engineSelf)) {
      engine.onMessage(fromId, message, now());
      afterCall();
    }
  }

  private void movesCaughtUp(long tableVersion, List<MoveInFlight> moves) {
    stats.movesCaughtUp.add(moves.size());
    log.debug("moves caught up at table {}: {}", tableVersion, moves);
    caughtUp.addAll(moves);
    caughtUpVersion = Math.max(caughtUpVersion, tableVersion);
    proposeCaughtUp();
  }

  /**
   * Proposes the caught-up moves as one {@code CompleteMoves}, one proposal at a time: the node
   * reports each move as its snapshot is acknowledged, and a commit for each (a new table on every
   * agent) would pace a migration by the log, not by the copies. Moves reported while a proposal is
   * out go in the next. A proposal lost with a leader change or refused is not retried here: the
   * node reports a move again with every later table while it is still in flight.
   */
  private void proposeCaughtUp() {
    if (proposing || caughtUp.isEmpty() || closed) {
      return;
    }
    List<MoveInFlight> batch = List.copyOf(caughtUp);
    caughtUp.clear();
    proposing = true;
    control
        .submit(new ControlCommand.CompleteMoves(caughtUpVersion, batch))
        .whenComplete(
            (result, failure) -> {
              if (failure != null) {
                log.debug("CompleteMoves of {} moves not committed: {}", batch.size(), failure);
              }
              onLoop(
                  () -> {
                    proposing = false;
                    proposeCaughtUp();
                  });
            });
  }

  /** After every call into the node: its figures, and its next deadline on the timer. */
  private void afterCall() {
    long next = engine.nextDeadlineMillis();
    if (next == Long.MAX_VALUE || next >= tickAtMillis || closed) {
      return;
    }
    if (tickTask != null) {
      tickTask.cancel();
    }
    tickAtMillis = next;
    // A deadline already past (the node says Long.MIN_VALUE before its first purge) runs now:
    // next - now would overflow to a delay of ages, and no tick would ever run again, so held
    // requests, forwards and writes waiting on backups would never time out.
    long now = now();
    tickTask = loop.schedule(this::tick, next <= now ? 0 : next - now);
  }

  private void tick() {
    tickTask = null;
    tickAtMillis = Long.MAX_VALUE;
    if (engine != null && !closed) {
      engine.tick(now());
      afterCall();
    }
  }

  private long now() {
    return clock.millis();
  }

  /** Queues {@code task} on the loop; false when the loop or this service is shut down. */
  private boolean onLoop(Runnable task) {
    if (closed) {
      return false;
    }
    try {
      loop.execute(
          () -> {
            try {
              task.run();
            } catch (RuntimeException e) {
              // The node's bug must not stop the loop: the request times out, the next call runs.
              log.error("partitioned state task failed", e);
            }
          });
      return true;
    } catch (RejectedExecutionException e) {
      return false;
    }
  }

  private void failPending(String why) {
    for (Pending request : pending.values()) {
      request
          .answer()
          .complete(
              answer(
                  request.op(),
                  new StateResult.Unavailable(StateResult.UnavailableReason.TIMEOUT, why)));
    }
    pending.clear();
  }

  private StateAnswer closedAnswer() {
    return new StateAnswer(
        new StateResult.Unavailable(
            StateResult.UnavailableReason.TIMEOUT, "this agent's partitioned state is closed"),
        0,
        "",
        false);
  }

  /**
   * Stops: timers cancelled, open requests answered unavailable. The loop's owner shuts the loop.
   */
  @Override
  public void close() {
    if (closed) {
      return;
    }
    CompletableFuture<Void> done = new CompletableFuture<>();
    boolean queued =
        onLoop(
            () -> {
              closed = true;
              if (tickTask != null) {
                tickTask.cancel();
              }
              if (leaseTask != null) {
                leaseTask.cancel();
              }
              failPending("this agent's partitioned state is closing");
              done.complete(null);
            });
    closed = true;
    if (queued && !loop.inLoop()) {
      try {
        done.get(5, java.util.concurrent.TimeUnit.SECONDS);
      } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
        log.warn("partitioned state did not close cleanly: {}", e.toString());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }

  /** The node's outputs, called inside its methods on the loop. */
  private final class Output implements StateOutput {
    @Override
    public void send(String toId, StateMessage message) {
      StateService.this.send(toId, message);
    }

    @Override
    public void reply(long requestId, StateResult result) {
      StateService.this.reply(requestId, result);
    }

    @Override
    public void movesCaughtUp(long tableVersion, List<MoveInFlight> moves) {
      StateService.this.movesCaughtUp(tableVersion, moves);
    }
  }
}
