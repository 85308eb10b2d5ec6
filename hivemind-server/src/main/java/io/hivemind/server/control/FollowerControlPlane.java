package io.hivemind.server.control;

import io.hivemind.core.control.ApplyResult;
import io.hivemind.core.control.ControlCommand;
import io.hivemind.core.control.ControlDecodeException;
import io.hivemind.core.control.ControlEntry;
import io.hivemind.core.control.ControlView;
import io.hivemind.core.control.GatewayMessage;
import io.hivemind.core.control.RemovalPolicy;
import io.hivemind.core.control.WireControlCodec;
import io.hivemind.core.membership.Address;
import io.hivemind.server.loop.DriverLoop;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.Consumer;
import java.util.function.LongFunction;
import java.util.function.Supplier;
import java.util.random.RandomGenerator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The control plane of a plain agent (one that is not a control node): it follows the committed log
 * through one control node's gateway, applies it to a local {@link FollowerReplica}, and sends
 * writes and linearizable reads through the same connection. It loads no Ratis class.
 *
 * <p>Owning thread: the {@link DriverLoop} given to the constructor. Every field but the published
 * {@link #view} and {@link #status} (volatile) and the listeners is touched only there; the public
 * methods hop onto it. Connection upcalls hop too, and carry their connection so that a late call
 * from a connection already given up is ignored.
 *
 * <p>Failover: a gateway silent for {@link FollowerConfig#missedHeartbeats} heartbeat intervals, or
 * whose connection drops, is left for the next candidate (round-robin over the supplier's list,
 * which the agent fills with the control-role members it knows from gossip), followed from the last
 * applied index, so no entry is lost and none applied twice ({@link FollowerReplica}). Degraded
 * while no gateway is connected or the connected one knows no leader: submits and linearizable
 * reads fail fast with {@link NoQuorumException}, {@link #view} keeps answering.
 */
public final class FollowerControlPlane implements ControlPlane {

  private static final Logger log = LoggerFactory.getLogger(FollowerControlPlane.class);

  private final FollowerConfig config;
  private final DriverLoop loop;
  private final GatewayConnector connector;
  private final Supplier<List<Address>> candidates;
  private final FollowerReplica replica;
  private final Backoff backoff;
  private final PendingRequests requests;
  private final AppliedWaiters waiters = new AppliedWaiters();
  private final FollowerStats stats = new FollowerStats();
  private final List<Consumer<ControlView>> listeners = new CopyOnWriteArrayList<>();
  private volatile ControlView view;
  private volatile ControlStatus status = ControlStatus.none();
  private volatile boolean closed;
  private GatewayConnection connection;
  private static final int CANDIDATE_SPREAD = 1 << 16;

  private Address gateway;
  private boolean open;
  private int nextCandidate;
  private int silentIntervals;
  private GatewayMessage.Heartbeat lastHeartbeat;
  private boolean publishQueued;
  private DriverLoop.Scheduled reconnect;
  private DriverLoop.Scheduled watchdog;

  /**
   * @param candidates the gateways to try, asked afresh before each attempt (control-role members
   *     from gossip); may be empty (degraded until it is not)
   * @param random jitter of the back-off
   */
  public FollowerControlPlane(
      FollowerConfig config,
      DriverLoop loop,
      GatewayConnector connector,
      Supplier<List<Address>> candidates,
      RandomGenerator random) {
    this.config = Objects.requireNonNull(config, "config");
    this.loop = Objects.requireNonNull(loop, "loop");
    this.connector = Objects.requireNonNull(connector, "connector");
    this.candidates = Objects.requireNonNull(candidates, "candidates");
    this.replica = new FollowerReplica(RemovalPolicy.DEFAULT);
    this.backoff = new Backoff(config.minBackoff(), config.maxBackoff(), random);
    // Start at a random gateway so a cluster's followers spread over the control nodes: each
    // gateway relays its followers' catalogue changes, and one taking them all would carry the
    // whole fan-out alone.
    this.nextCandidate = random.nextInt(CANDIDATE_SPREAD);
    this.requests = new PendingRequests(loop, config.requestTimeout(), config.maxPendingRequests());
    this.view = replica.view();
  }

  /** Starts following; returns at once. */
  public void start() {
    loop.execute(
        () -> {
          connectNext();
          scheduleWatchdog();
        });
  }

  @Override
  public ControlView view() {
    return view;
  }

  @Override
  public ControlStatus status() {
    return status;
  }

  /** Counters of this follower (failovers, skipped duplicates, gaps). */
  public FollowerStats stats() {
    return stats;
  }

  /** The gateway followed now, or null. For logs, status and tests. */
  public Address gateway() {
    return gateway;
  }

  @Override
  public CompletableFuture<ApplyResult> submit(ControlCommand command) {
    return submit(command, "");
  }

  @Override
  public CompletableFuture<ApplyResult> submit(ControlCommand command, String aclToken) {
    Objects.requireNonNull(command, "command");
    Objects.requireNonNull(aclToken, "aclToken");
    // The leader stamps its own time on the entry it proposes; ours is not used.
    byte[] entry = WireControlCodec.encodeEntry(ControlEntry.of(0, command));
    if (entry.length > WireControlCodec.MAX_ENTRY_BYTES) {
      // Refused here: the gateway would close the whole connection for an oversized frame.
      return CompletableFuture.failedFuture(
          new IllegalArgumentException(
              "the command is "
                  + entry.length
                  + " bytes encoded, over the log's limit of "
                  + WireControlCodec.MAX_ENTRY_BYTES));
    }
    CompletableFuture<ApplyResult> result = new CompletableFuture<>();
    return request(result, id -> new GatewayMessage.Submit(id, entry, aclToken));
  }

  @Override
  public CompletableFuture<ControlView> linearizableView() {
    return request(new CompletableFuture<>(), GatewayMessage.ReadIndex::new);
  }

  private <T> CompletableFuture<T> request(
      CompletableFuture<T> future, LongFunction<GatewayMessage> message) {
    if (status.degraded()) {
      return CompletableFuture.failedFuture(noQuorum());
    }
    onLoop(
        future,
        () -> {
          if (!open || !leaderKnown()) {
            future.completeExceptionally(noQuorum());
            return;
          }
          try {
            connection.send(message.apply(requests.add(future)));
          } catch (RejectedExecutionException e) {
            future.completeExceptionally(e);
          }
        });
    return future;
  }

  @Override
  public CompletableFuture<ControlView> awaitIndexAbove(long index) {
    ControlView current = view;
    if (current.index() > index) {
      return CompletableFuture.completedFuture(current);
    }
    CompletableFuture<ControlView> future = new CompletableFuture<>();
    onLoop(future, () -> waiters.whenApplied(index + 1, view.index(), () -> future.complete(view)));
    return future;
  }

  @Override
  public void addListener(Consumer<ControlView> listener) {
    listeners.add(Objects.requireNonNull(listener, "listener"));
  }

  @Override
  public CompletableFuture<Void> transferLeadership(String peerId) {
    return notOnPlainAgent();
  }

  @Override
  public CompletableFuture<Void> removePeer(String peerId) {
    return notOnPlainAgent();
  }

  @Override
  public CompletableFuture<Void> addPeer(String peerId, String address) {
    return notOnPlainAgent();
  }

  private static CompletableFuture<Void> notOnPlainAgent() {
    return CompletableFuture.failedFuture(
        new UnsupportedOperationException(
            "Raft peers are managed on a control node; this agent only follows the control plane"));
  }

  /** Stops following; pending requests fail with {@link NoQuorumException}. Idempotent. */
  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    try {
      loop.execute(this::shutDown);
    } catch (RejectedExecutionException e) {
      log.debug("follower loop already shut down");
    }
  }

  private void shutDown() {
    cancel(reconnect);
    cancel(watchdog);
    if (connection != null) {
      connection.close();
      connection = null;
    }
    open = false;
    requests.failAll(id -> new NoQuorumException("the control-plane follower is closed"));
    publishStatus();
  }

  // ---- connection life, on the loop ----

  private void connectNext() {
    reconnect = null;
    if (closed) {
      return;
    }
    List<Address> known = candidates.get();
    if (known.isEmpty()) {
      log.debug("no control gateway known yet");
      scheduleReconnect();
      return;
    }
    gateway = known.get(Math.floorMod(nextCandidate++, known.size()));
    stats.connects.increment();
    GatewayConnection[] self = new GatewayConnection[1];
    try {
      self[0] = connector.connect(gateway, new Upcalls(() -> self[0]));
    } catch (RuntimeException e) {
      log.warn("cannot connect to the control gateway {}", gateway, e);
      scheduleReconnect();
      return;
    }
    connection = self[0];
  }

  private void opened(GatewayConnection from) {
    if (from != connection) {
      return;
    }
    open = true;
    silentIntervals = 0;
    from.send(new GatewayMessage.Follow(replica.lastAppliedIndex()));
    log.info(
        "following the control plane through {} from index {}",
        gateway,
        replica.lastAppliedIndex());
  }

  private void closed(GatewayConnection from, String reason) {
    if (from != connection) {
      return;
    }
    if (open) {
      log.info("lost the control gateway {}: {}", gateway, reason);
      stats.failovers.increment();
    } else {
      log.debug("cannot reach the control gateway {}: {}", gateway, reason);
    }
    connection = null;
    open = false;
    lastHeartbeat = null;
    requests.failAll(
        id ->
            new NoQuorumException(
                "lost the control gateway "
                    + gateway
                    + " before it answered; a submit may or may not have been committed"));
    publishStatus();
    scheduleReconnect();
  }

  private void scheduleReconnect() {
    if (!closed && reconnect == null) {
      reconnect = loop.schedule(this::connectNext, backoff.nextDelayMillis());
    }
  }

  /** Drops the connection on our side (silence, a gap, a bad message); then fails over. */
  private void abandon(String reason) {
    GatewayConnection dropped = connection;
    if (dropped != null) {
      dropped.close();
      closed(dropped, reason);
    }
  }

  private void scheduleWatchdog() {
    if (!closed) {
      watchdog = loop.schedule(this::watch, config.heartbeatInterval().toMillis());
    }
  }

  private void watch() {
    if (open && ++silentIntervals >= config.missedHeartbeats()) {
      stats.silentGateways.increment();
      abandon("no heartbeat for " + silentIntervals + " intervals");
    }
    scheduleWatchdog();
  }

  // ---- messages, on the loop ----

  private void received(GatewayConnection from, GatewayMessage message) {
    if (from != connection || !open) {
      return;
    }
    silentIntervals = 0;
    if (message instanceof GatewayMessage.Entry entry) {
      onReplicaOutcome(replica.entry(entry.index(), entry.entryBytes()), entry.index());
    } else if (message instanceof GatewayMessage.Snapshot snapshot) {
      FollowerReplica.Outcome outcome =
          replica.snapshot(snapshot.index(), snapshot.snapshotBytes());
      if (outcome == FollowerReplica.Outcome.APPLIED) {
        stats.snapshots.increment();
      }
      onReplicaOutcome(outcome, snapshot.index());
    } else if (message instanceof GatewayMessage.Heartbeat heartbeat) {
      lastHeartbeat = heartbeat;
      backoff.reset();
      publishStatus();
    } else if (message instanceof GatewayMessage.SubmitResult result) {
      submitted(result);
    } else if (message instanceof GatewayMessage.ReadIndexResult read) {
      readIndexed(read);
    } else if (message instanceof GatewayMessage.Failure failure) {
      requests.fail(failure.requestId(), GatewayFailures.exception(failure));
    } else {
      stats.protocolErrors.increment();
      abandon("the gateway sent a follower's message: " + message.getClass().getSimpleName());
    }
  }

  private void onReplicaOutcome(FollowerReplica.Outcome outcome, long index) {
    switch (outcome) {
      case APPLIED -> {
        stats.applied.increment();
        queuePublish();
      }
      case SKIPPED -> stats.skipped.increment();
      case GAP -> {
        stats.gaps.increment();
        abandon("entry " + index + " skips past " + (replica.lastAppliedIndex() + 1));
      }
      case UNDECODABLE -> {
        stats.protocolErrors.increment();
        abandon("the snapshot at " + index + " does not decode");
      }
    }
  }

  private void submitted(GatewayMessage.SubmitResult answer) {
    @SuppressWarnings("unchecked")
    CompletableFuture<ApplyResult> future =
        (CompletableFuture<ApplyResult>) requests.take(answer.requestId());
    if (future == null) {
      return;
    }
    ApplyResult result;
    try {
      result = WireControlCodec.decodeResult(answer.resultBytes());
    } catch (ControlDecodeException e) {
      future.completeExceptionally(new IllegalStateException("undecodable submit result", e));
      return;
    }
    // Read-your-writes: complete once our replica has applied the entry too.
    waiters.whenApplied(result.index(), view.index(), () -> future.complete(result));
  }

  private void readIndexed(GatewayMessage.ReadIndexResult answer) {
    @SuppressWarnings("unchecked")
    CompletableFuture<ControlView> future =
        (CompletableFuture<ControlView>) requests.take(answer.requestId());
    if (future != null) {
      waiters.whenApplied(answer.readIndex(), view.index(), () -> future.complete(view));
    }
  }

  /**
   * A view is published once per batch of applied entries, not per entry: building one copies the
   * KV map, and a follower catching up applies thousands of entries in a row. The task runs after
   * the messages already queued on the loop, which is what makes the batch.
   */
  private void queuePublish() {
    if (!publishQueued) {
      publishQueued = true;
      loop.execute(this::published);
    }
  }

  private void published() {
    publishQueued = false;
    ControlView next = replica.view();
    view = next;
    publishStatus();
    waiters.applied(next.index());
    for (Consumer<ControlView> listener : listeners) {
      try {
        listener.accept(next);
      } catch (RuntimeException e) {
        log.warn("a control view listener failed", e);
      }
    }
  }

  private boolean leaderKnown() {
    return lastHeartbeat != null && lastHeartbeat.leaderKnown();
  }

  private void publishStatus() {
    GatewayMessage.Heartbeat beat = lastHeartbeat;
    long applied = view.index();
    status =
        beat == null || !open
            ? new ControlStatus(true, "", 0, applied, applied, List.of())
            : new ControlStatus(
                !beat.leaderKnown(),
                beat.leaderAddress(),
                beat.term(),
                Math.max(applied, beat.commitIndex()),
                applied,
                beat.peers().stream()
                    .map(p -> new ControlPeer(p.id(), p.address(), p.voter(), p.leader()))
                    .toList());
  }

  private static NoQuorumException noQuorum() {
    return new NoQuorumException(
        "no control-plane leader is reachable from this agent (degraded): try again later");
  }

  private void onLoop(CompletableFuture<?> future, Runnable task) {
    try {
      loop.execute(task);
    } catch (RejectedExecutionException e) {
      future.completeExceptionally(
          new NoQuorumException("the control-plane follower is closed", e));
    }
  }

  private static void cancel(DriverLoop.Scheduled scheduled) {
    if (scheduled != null) {
      scheduled.cancel();
    }
  }

  /** A connection's upcalls, hopped onto the loop and tagged with their connection. */
  private final class Upcalls implements GatewayConnection.Listener {
    private final Supplier<GatewayConnection> self;

    Upcalls(Supplier<GatewayConnection> self) {
      this.self = self;
    }

    @Override
    public void onOpen() {
      hop(() -> opened(self.get()));
    }

    @Override
    public void onMessage(GatewayMessage message) {
      hop(() -> received(self.get(), message));
    }

    @Override
    public void onClosed(String reason) {
      hop(() -> closed(self.get(), reason));
    }

    private void hop(Runnable task) {
      try {
        loop.execute(task);
      } catch (RejectedExecutionException e) {
        // the follower is closed and its loop gone: nothing left to tell
      }
    }
  }
}
