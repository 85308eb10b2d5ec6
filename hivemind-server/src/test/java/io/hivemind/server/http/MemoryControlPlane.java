package io.hivemind.server.http;

import io.hivemind.core.control.ApplyResult;
import io.hivemind.core.control.ControlCommand;
import io.hivemind.core.control.ControlEntry;
import io.hivemind.core.control.ControlState;
import io.hivemind.core.control.ControlView;
import io.hivemind.core.control.RemovalPolicy;
import io.hivemind.server.control.ControlPeer;
import io.hivemind.server.control.ControlPlane;
import io.hivemind.server.control.ControlStatus;
import io.hivemind.server.control.NoQuorumException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;

/**
 * A control plane of one replica in memory: commands are applied to a real {@link ControlState} at
 * once, as if committed; {@link #degraded} makes every write, linearizable read and operator call
 * fail with {@link NoQuorumException}, as a node on the minority side of a partition does. Records
 * the operator calls and the waits it hands out. Called on the test's thread only.
 */
final class MemoryControlPlane implements ControlPlane {

  static final String LEADER = "10.0.0.1:7362";
  static final long TERM = 3;

  final List<String> transfers = new ArrayList<>();
  final List<String> removals = new ArrayList<>();
  final List<CompletableFuture<ControlView>> waits = new ArrayList<>();
  boolean degraded;

  /** Writes never complete: a wedged control plane, which the API must not wait on for ever. */
  boolean wedged;

  long timeMillis = 1_700_000_000_000L;

  private final ControlState state = ControlState.empty(RemovalPolicy.DEFAULT);
  private final List<ControlPeer> peers =
      List.of(
          new ControlPeer("node-1", LEADER, true, true),
          new ControlPeer("node-2", "10.0.0.2:7362", true, false),
          new ControlPeer("node-3", "10.0.0.3:7362", false, false));
  private long index;

  /** A plane whose log starts with the bootstrap entry of cluster "main". */
  MemoryControlPlane() {
    this(true);
  }

  /** A plane with an empty log when {@code bootstrapped} is false: every command is refused. */
  MemoryControlPlane(boolean bootstrapped) {
    if (bootstrapped) {
      apply(new ControlCommand.Bootstrap("main", "development"));
    }
  }

  /** Waits handed out and neither completed nor cancelled. */
  long pendingWaits() {
    return waits.stream().filter(w -> !w.isDone()).count();
  }

  /** Waits handed out and cancelled (their request gave up or its client went away). */
  long cancelledWaits() {
    return waits.stream().filter(CompletableFuture::isCancelled).count();
  }

  /** Commits {@code command} whatever {@link #degraded} says (a change made elsewhere). */
  ApplyResult apply(ControlCommand command) {
    index++;
    ApplyResult result = state.apply(index, ControlEntry.of(timeMillis, command));
    ControlView view = state.view();
    for (CompletableFuture<ControlView> wait : waits) {
      wait.complete(view);
    }
    return result;
  }

  @Override
  public ControlView view() {
    return state.view();
  }

  @Override
  public ControlStatus status() {
    return degraded
        ? new ControlStatus(true, "", TERM, index, index, peers)
        : new ControlStatus(false, LEADER, TERM, index, index, peers);
  }

  @Override
  public CompletableFuture<ApplyResult> submit(ControlCommand command) {
    if (wedged) {
      return new CompletableFuture<>();
    }
    return degraded ? noQuorum() : CompletableFuture.completedFuture(apply(command));
  }

  @Override
  public CompletableFuture<ControlView> linearizableView() {
    return degraded ? noQuorum() : CompletableFuture.completedFuture(view());
  }

  @Override
  public CompletableFuture<ControlView> awaitIndexAbove(long above) {
    CompletableFuture<ControlView> wait = new CompletableFuture<>();
    waits.add(wait);
    if (view().index() > above) {
      wait.complete(view());
    }
    return wait;
  }

  @Override
  public void addListener(Consumer<ControlView> listener) {
    throw new UnsupportedOperationException("the HTTP API must not register listeners");
  }

  @Override
  public CompletableFuture<Void> transferLeadership(String peerId) {
    if (degraded) {
      return noQuorum();
    }
    transfers.add(peerId);
    return known(peerId);
  }

  @Override
  public CompletableFuture<Void> removePeer(String peerId) {
    if (degraded) {
      return noQuorum();
    }
    removals.add(peerId);
    return known(peerId);
  }

  @Override
  public CompletableFuture<Void> addPeer(String peerId, String address) {
    throw new UnsupportedOperationException("no endpoint adds peers");
  }

  @Override
  public void close() {}

  private CompletableFuture<Void> known(String peerId) {
    return peers.stream().anyMatch(p -> p.id().equals(peerId))
        ? CompletableFuture.completedFuture(null)
        : CompletableFuture.failedFuture(
            new IllegalArgumentException("no peer " + peerId + " in the Raft group"));
  }

  private static <T> CompletableFuture<T> noQuorum() {
    return CompletableFuture.failedFuture(
        new NoQuorumException("no leader: 1 of 3 voters reachable"));
  }
}
