package io.hivemind.control;

import io.hivemind.core.control.ApplyResult;
import io.hivemind.core.control.ControlCommand;
import io.hivemind.core.control.ControlDecodeException;
import io.hivemind.core.control.ControlEntry;
import io.hivemind.core.control.ControlView;
import io.hivemind.core.control.RemovalPolicy;
import io.hivemind.core.control.WireControlCodec;
import io.hivemind.server.control.ControlPlane;
import io.hivemind.server.control.ControlStatus;
import io.hivemind.server.control.FeedHub;
import io.hivemind.server.control.NoQuorumException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import java.util.function.Function;
import org.apache.ratis.client.RaftClient;
import org.apache.ratis.protocol.ClientInvocationId;
import org.apache.ratis.protocol.Message;
import org.apache.ratis.protocol.RaftClientReply;
import org.apache.ratis.protocol.RaftGroup;
import org.apache.ratis.protocol.RaftGroupId;
import org.apache.ratis.protocol.RaftPeer;
import org.apache.ratis.protocol.RaftPeerId;
import org.apache.ratis.server.RaftServer;
import org.apache.ratis.server.storage.RaftStorage;
import org.apache.ratis.thirdparty.com.google.protobuf.ByteString;
import org.apache.ratis.thirdparty.com.google.protobuf.UnsafeByteOperations;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A control node's {@link ControlPlane}: a Ratis server (gRPC transport, ADR 0003) whose state
 * machine is the pure {@link io.hivemind.core.control.ControlState}, and a Ratis client that sends
 * this node's proposals to the leader.
 *
 * <p>Lifecycle NEW → RUNNING ({@link #start}) → CLOSED ({@link #close}, idempotent). Reads come
 * from the local replica's published view; writes, linearizable reads and operator changes go to
 * the leader and fail with {@link NoQuorumException} when none answers within the submit timeout.
 * Operator changes block inside Ratis's admin API, so they run on one thread of their own ({@code
 * hivemind-control-admin}), never on the caller's.
 */
public final class RatisControlPlane implements ControlPlane {

  private static final Logger LOG = LoggerFactory.getLogger(RatisControlPlane.class);

  private enum Lifecycle {
    NEW,
    RUNNING,
    CLOSED
  }

  private final ControlConfig config;
  private final Clock clock;
  private final RaftGroupId groupId;
  private final ControlStateMachine stateMachine;
  private final RaftTls tls;
  private final ClientHolder clients;
  private final CommandBatcher batcher = new CommandBatcher(this::propose);
  private final LocalProposer local;
  private final ExecutorService admin;
  private final AtomicReference<Lifecycle> lifecycle = new AtomicReference<>(Lifecycle.NEW);
  private volatile RaftServer server;

  public RatisControlPlane(ControlConfig config) {
    this(config, Clock.systemUTC());
  }

  /** {@code clock} stamps each proposed entry (the state machine reads no clock). */
  public RatisControlPlane(ControlConfig config, Clock clock) {
    this.config = Objects.requireNonNull(config, "config");
    this.clock = Objects.requireNonNull(clock, "clock");
    this.groupId = RaftGroupId.valueOf(config.groupId());
    this.stateMachine = new ControlStateMachine(RemovalPolicy.DEFAULT);
    this.tls = RaftTls.of(config, clock.instant());
    this.clients = new ClientHolder(config, groupId, tls.parameters());
    this.local = new LocalProposer(config.nodeId(), groupId);
    this.admin =
        Executors.newSingleThreadExecutor(
            r -> {
              Thread t = new Thread(r, "hivemind-control-admin-" + config.nodeId());
              t.setDaemon(true);
              return t;
            });
  }

  /**
   * Starts the Raft server: recovers the group from the data directory when it holds one, else
   * forms it with the initial peers (or waits, with no peers, to be added by a member).
   */
  public void start() throws IOException {
    if (!lifecycle.compareAndSet(Lifecycle.NEW, Lifecycle.RUNNING)) {
      throw new IllegalStateException("control plane already started or closed");
    }
    RaftServer built =
        RaftServer.newBuilder()
            .setServerId(RaftPeerId.valueOf(config.nodeId()))
            .setGroup(initialGroup())
            .setStateMachine(stateMachine)
            .setProperties(RatisSettings.properties(config))
            .setParameters(tls.parameters())
            // RECOVER formats a missing storage and recovers an existing one (the log's
            // configuration wins over the initial peers): a node never forms a group twice.
            .setOption(RaftStorage.StartupOption.RECOVER)
            .build();
    server = built;
    try {
      built.start();
    } catch (IOException | RuntimeException e) {
      close();
      throw e;
    }
    LOG.info(
        "control node {} started on {} (group {})", config.nodeId(), config.address(), groupId);
  }

  private RaftGroup initialGroup() {
    List<RaftPeer> peers =
        config.initialPeers().stream()
            .map(p -> RaftPeer.newBuilder().setId(p.id()).setAddress(p.address()).build())
            .toList();
    return RaftGroup.valueOf(groupId, peers);
  }

  /** The committed entries as this node's control gateway serves them to followers. */
  public FeedHub feed() {
    return stateMachine.feed();
  }

  /** Suspicions the removal rule holds on this replica. */
  public int standingSuspicions() {
    return stateMachine.standingSuspicions();
  }

  /** Whether a session on this replica has a TTL, so that ticks must expire it. */
  public boolean sessionsExpire() {
    return stateMachine.sessionsExpire();
  }

  /**
   * Whether {@code dataDir} holds a control node's Raft storage (it then recovers, never forms).
   */
  public static boolean hasStorage(java.nio.file.Path dataDir) {
    java.io.File raft = RatisSettings.storageDir(dataDir);
    String[] entries = raft.list();
    return entries != null && entries.length > 0;
  }

  /**
   * TLS handshakes on the Raft port refused because the peer's certificate does not chain to the
   * cluster CA (0 without TLS).
   */
  public long refusedTlsChains() {
    return tls.refusedChains();
  }

  /**
   * Entries this node proposed straight to its own division while it led, without the Raft client
   * (see {@link LocalProposer}).
   */
  public long localProposals() {
    return local.submitted();
  }

  /** Whether this node is the Raft leader now. */
  public boolean isLeader() {
    RaftServer running = server;
    if (running == null) {
      return false;
    }
    try {
      return running.getDivision(groupId).getInfo().isLeader();
    } catch (IOException e) {
      return false;
    }
  }

  @Override
  public ControlView view() {
    return stateMachine.publisher().current();
  }

  @Override
  public ControlStatus status() {
    RaftServer running = server;
    if (running == null || lifecycle.get() != Lifecycle.RUNNING) {
      return ControlStatus.none();
    }
    try {
      return StatusReader.read(running.getDivision(groupId));
    } catch (IOException e) {
      return ControlStatus.none();
    }
  }

  @Override
  public CompletableFuture<ApplyResult> submit(ControlCommand command) {
    Objects.requireNonNull(command, "command");
    return batcher.submit(command);
  }

  /**
   * Proposes one entry (a command, or a batch of them) to the leader: straight to this node's own
   * division when it leads ({@link LocalProposer}), through the Raft client otherwise.
   */
  private CompletableFuture<ApplyResult> propose(ControlCommand command) {
    Message entry = message(WireControlCodec.encodeEntry(ControlEntry.of(clock.millis(), command)));
    RaftServer running = server;
    RaftServer.Division division;
    try {
      division = division();
    } catch (RuntimeException e) {
      return CompletableFuture.failedFuture(Failures.translate("submit", e, bound()));
    }
    CompletableFuture<ByteString> committed =
        LocalProposer.leads(division)
            ? bounded("submit", local.submit(running, entry))
                .thenCompose(reply -> localReply(division, reply, entry))
            : viaClient(entry);
    return committed.thenApply(RatisControlPlane::decodeResult);
  }

  private CompletableFuture<ByteString> viaClient(Message entry) {
    return leaderCall("submit", client -> client.async().send(entry));
  }

  /**
   * The content of a reply to a local proposal. When leadership moved under it: an entry this
   * division never appended (Ratis refused it before its retry cache saw the call) goes to the new
   * leader through the client; one it appended may yet be committed by the new leader, so proposing
   * it again could apply it twice, and the caller is told so instead (as Consul answers "leadership
   * lost while committing log").
   */
  private CompletableFuture<ByteString> localReply(
      RaftServer.Division division, RaftClientReply reply, Message entry) {
    if (reply.isSuccess()) {
      return CompletableFuture.completedFuture(reply.getMessage().getContent());
    }
    boolean leadershipMoved =
        reply.getNotLeaderException() != null || reply.getLeaderNotReadyException() != null;
    if (!leadershipMoved) {
      return CompletableFuture.failedFuture(
          Failures.translate("submit", reply.getException(), bound()));
    }
    ClientInvocationId call = ClientInvocationId.valueOf(reply.getClientId(), reply.getCallId());
    if (division.getRetryCache().getIfPresent(call) == null) {
      return viaClient(entry);
    }
    return CompletableFuture.failedFuture(
        new NoQuorumException(
            "submit: leadership moved while the entry was being committed; it may or may not have"
                + " been applied"));
  }

  @Override
  public CompletableFuture<ControlView> linearizableView() {
    return leaderCall("linearizable read", client -> client.async().sendReadOnly(Message.EMPTY))
        .thenCompose(
            content -> {
              long index = ControlStateMachine.decodeAppliedIndex(content);
              return bounded("linearizable read", awaitIndexAbove(index - 1));
            });
  }

  @Override
  public CompletableFuture<ControlView> awaitIndexAbove(long index) {
    return stateMachine.publisher().awaitIndexAbove(index);
  }

  @Override
  public void addListener(Consumer<ControlView> listener) {
    stateMachine.publisher().addListener(listener);
  }

  @Override
  public CompletableFuture<Void> transferLeadership(String peerId) {
    return adminCall(
        "transfer leadership",
        division -> {
          requireVoter(division, peerId);
          long timeoutMillis = config.submitTimeout().toMillis();
          return clients
              .client(division)
              .admin()
              .transferLeadership(RaftPeerId.valueOf(peerId), timeoutMillis);
        });
  }

  @Override
  public CompletableFuture<Void> removePeer(String peerId) {
    return adminCall(
        "remove peer",
        division -> {
          requireVoter(division, peerId);
          List<RaftPeer> next =
              StatusReader.voters(division).stream()
                  .filter(p -> !p.getId().toString().equals(peerId))
                  .toList();
          return clients.client(division).admin().setConfiguration(next);
        });
  }

  @Override
  public CompletableFuture<Void> addPeer(String peerId, String address) {
    PeerAddress added = new PeerAddress(peerId, address);
    return adminCall(
        "add peer",
        division -> {
          List<RaftPeer> next =
              new ArrayList<>(
                  StatusReader.voters(division).stream()
                      .filter(p -> !p.getId().toString().equals(peerId))
                      .toList());
          next.add(RaftPeer.newBuilder().setId(added.id()).setAddress(added.address()).build());
          // The List form: Ratis 3.3's array form throws a NullPointerException.
          return clients.client(division).admin().setConfiguration(next);
        });
  }

  @Override
  public void close() {
    Lifecycle before = lifecycle.getAndSet(Lifecycle.CLOSED);
    if (before == Lifecycle.CLOSED) {
      return;
    }
    admin.shutdownNow();
    clients.close();
    local.close();
    RaftServer running = server;
    if (running != null) {
      try {
        running.close();
      } catch (IOException e) {
        LOG.warn("control node {}: closing the Raft server failed", config.nodeId(), e);
      }
    }
    stateMachine.publisher().close(new IllegalStateException("control plane closed"));
    LOG.info("control node {} closed", config.nodeId());
  }

  /** This node's Raft address (host:port), as peers dial it. */
  public String address() {
    return config.address();
  }

  /** Sends one request to the leader and bounds the wait; answers the reply's content. */
  private CompletableFuture<ByteString> leaderCall(
      String operation, Function<RaftClient, CompletableFuture<RaftClientReply>> call) {
    CompletableFuture<RaftClientReply> sent;
    try {
      RaftClient client = clients.client(division());
      sent =
          call.apply(client)
              .whenComplete(
                  (reply, failure) -> {
                    if (failure != null && Failures.breaksClient(failure)) {
                      clients.discard(client);
                    }
                  });
    } catch (RuntimeException e) {
      return CompletableFuture.failedFuture(Failures.translate(operation, e, bound()));
    }
    return bounded(operation, sent)
        .thenApply(
            reply -> {
              if (!reply.isSuccess()) {
                throw Failures.translate(operation, reply.getException(), bound());
              }
              return reply.getMessage().getContent();
            });
  }

  private <T> CompletableFuture<T> bounded(String operation, CompletableFuture<T> future) {
    return future
        .orTimeout(bound().toMillis(), TimeUnit.MILLISECONDS)
        .handle(
            (value, failure) -> {
              if (failure != null) {
                throw Failures.translate(operation, failure, bound());
              }
              return value;
            });
  }

  private CompletableFuture<Void> adminCall(String operation, AdminCall call) {
    CompletableFuture<Void> done = new CompletableFuture<>();
    try {
      admin.execute(() -> runAdmin(operation, call, done));
    } catch (RejectedExecutionException closed) {
      done.completeExceptionally(new IllegalStateException("control plane closed"));
    }
    return done;
  }

  private void runAdmin(String operation, AdminCall call, CompletableFuture<Void> done) {
    try {
      RaftClientReply reply = call.run(division());
      if (reply.isSuccess()) {
        done.complete(null);
      } else {
        done.completeExceptionally(Failures.translate(operation, reply.getException(), bound()));
      }
    } catch (IOException | RuntimeException e) {
      done.completeExceptionally(Failures.translate(operation, e, bound()));
    }
  }

  private RaftServer.Division division() {
    RaftServer running = server;
    if (running == null || lifecycle.get() != Lifecycle.RUNNING) {
      throw new IllegalStateException("control plane not running");
    }
    try {
      return running.getDivision(groupId);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static void requireVoter(RaftServer.Division division, String peerId) {
    boolean known =
        StatusReader.voters(division).stream().anyMatch(p -> p.getId().toString().equals(peerId));
    if (!known) {
      throw new IllegalArgumentException("no voter named " + peerId + " in the Raft group");
    }
  }

  private Duration bound() {
    return config.submitTimeout();
  }

  private static Message message(byte[] bytes) {
    return Message.valueOf(UnsafeByteOperations.unsafeWrap(bytes));
  }

  private static ApplyResult decodeResult(ByteString content) {
    try {
      return WireControlCodec.decodeResult(content.toByteArray());
    } catch (ControlDecodeException e) {
      throw new IllegalStateException("the leader's apply result does not decode", e);
    }
  }

  /** One blocking operator request, run on the admin thread. */
  @FunctionalInterface
  private interface AdminCall {
    RaftClientReply run(RaftServer.Division division) throws IOException;
  }
}
