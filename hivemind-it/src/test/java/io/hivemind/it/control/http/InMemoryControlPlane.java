package io.hivemind.it.control.http;

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
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

/**
 * One replica in memory behind a real HTTP API: commands are applied to a real {@link ControlState}
 * at once, as if committed; {@link #degraded} fails writes, linearizable reads and operator calls
 * with {@link NoQuorumException}. Thread-safe: the API's event loop and the test's thread both call
 * it; waits complete outside the lock.
 */
final class InMemoryControlPlane implements ControlPlane {

  static final String LEADER = "127.0.0.1:7362";

  final List<String> transfers = new CopyOnWriteArrayList<>();
  final List<String> removals = new CopyOnWriteArrayList<>();
  volatile boolean degraded;

  private final ControlState state = ControlState.empty(RemovalPolicy.DEFAULT);
  private final List<ControlPeer> peers =
      List.of(
          new ControlPeer("node-1", LEADER, true, true),
          new ControlPeer("node-2", "127.0.0.2:7362", true, false),
          new ControlPeer("node-3", "127.0.0.3:7362", true, false));
  private final List<Waiter> waiters = new ArrayList<>();
  private long index;
  private long timeMillis = 1_700_000_000_000L;

  private record Waiter(long above, CompletableFuture<ControlView> future) {}

  InMemoryControlPlane() {
    apply(new ControlCommand.Bootstrap("main", "development"));
  }

  /** Commits {@code command} whatever {@link #degraded} says (a change made elsewhere). */
  ApplyResult apply(ControlCommand command) {
    ApplyResult result;
    ControlView view;
    List<Waiter> due = new ArrayList<>();
    synchronized (this) {
      index++;
      timeMillis += 1000;
      result = state.apply(index, ControlEntry.of(timeMillis, command));
      view = state.view();
      waiters.removeIf(w -> w.above() < view.index() && due.add(w));
    }
    due.forEach(w -> w.future().complete(view));
    return result;
  }

  @Override
  public synchronized ControlView view() {
    return state.view();
  }

  @Override
  public synchronized ControlStatus status() {
    return degraded
        ? new ControlStatus(true, "", 2, index, index, peers)
        : new ControlStatus(false, LEADER, 2, index, index, peers);
  }

  @Override
  public CompletableFuture<ApplyResult> submit(ControlCommand command) {
    return degraded ? noQuorum() : CompletableFuture.completedFuture(apply(command));
  }

  @Override
  public CompletableFuture<ControlView> linearizableView() {
    return degraded ? noQuorum() : CompletableFuture.completedFuture(view());
  }

  @Override
  public CompletableFuture<ControlView> awaitIndexAbove(long above) {
    CompletableFuture<ControlView> future = new CompletableFuture<>();
    ControlView now;
    synchronized (this) {
      now = state.view();
      if (now.index() <= above) {
        waiters.add(new Waiter(above, future));
        future.whenComplete((v, f) -> forget(future));
        return future;
      }
    }
    future.complete(now);
    return future;
  }

  synchronized int pendingWaits() {
    return waiters.size();
  }

  private synchronized void forget(CompletableFuture<ControlView> future) {
    waiters.removeIf(w -> w.future() == future);
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
