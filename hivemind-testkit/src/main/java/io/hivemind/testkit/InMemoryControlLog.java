package io.hivemind.testkit;

import io.hivemind.core.control.ApplyResult;
import io.hivemind.core.control.ControlCommand;
import io.hivemind.core.control.ControlEntry;
import io.hivemind.core.control.ControlState;
import io.hivemind.core.control.ControlView;
import io.hivemind.core.control.RemovalPolicy;
import io.hivemind.core.control.WireControlCodec;
import io.hivemind.server.control.CommittedLog;
import io.hivemind.server.control.ControlPeer;
import io.hivemind.server.control.ControlPlane;
import io.hivemind.server.control.ControlStatus;
import io.hivemind.server.control.FeedHub;
import io.hivemind.server.control.FeedSink;
import io.hivemind.server.control.NoQuorumException;
import io.hivemind.server.control.Subscription;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

/**
 * A control node without Raft, for the follow feed's tests and benchmarks: one {@link ControlState}
 * applied directly (every submit commits at once), its entries fanned out by a {@link FeedHub}, and
 * a switch that takes the leader away (degraded mode). Several gateways may serve one log, as
 * several control nodes serve one Raft log.
 *
 * <p>Thread-safe: one lock around the state, the hub and the waiters.
 */
public final class InMemoryControlLog implements CommittedLog, ControlPlane {

  private final ControlState state = ControlState.empty(RemovalPolicy.DEFAULT);
  private final FeedHub hub;
  private final int snapshotEvery;
  private final String address;
  private final List<Consumer<ControlView>> listeners = new CopyOnWriteArrayList<>();
  private final List<Waiter> waiters = new ArrayList<>();
  private volatile ControlView view = state.view();
  private volatile boolean leader = true;

  private record Waiter(long index, CompletableFuture<ControlView> future) {}

  /**
   * @param retainedEntries the feed's window ({@link FeedHub})
   * @param snapshotEvery a snapshot is taken after this many entries
   * @param address the leader address heartbeats report
   */
  public InMemoryControlLog(int retainedEntries, int snapshotEvery, String address) {
    this.hub = new FeedHub(retainedEntries);
    this.snapshotEvery = snapshotEvery;
    this.address = address;
  }

  /** The defaults: a window of {@link FeedHub#DEFAULT_RETAINED_ENTRIES}, a snapshot as often. */
  public static InMemoryControlLog create() {
    return new InMemoryControlLog(
        FeedHub.DEFAULT_RETAINED_ENTRIES, FeedHub.DEFAULT_RETAINED_ENTRIES, "127.0.0.1:7303");
  }

  /** Commits {@code command} at the next index (the leader switch is not consulted). */
  public ApplyResult append(ControlCommand command) {
    List<Waiter> done = new ArrayList<>();
    ApplyResult result;
    ControlView next;
    synchronized (this) {
      long index = state.lastAppliedIndex() + 1;
      byte[] bytes = WireControlCodec.encodeEntry(ControlEntry.of(index * 1_000, command));
      result = state.apply(index, bytes);
      next = state.view();
      view = next;
      hub.publish(index, bytes);
      if (hub.entriesSinceSnapshot() >= snapshotEvery) {
        hub.snapshotTaken(index, state.snapshot());
      }
      waiters.removeIf(w -> w.index <= index && done.add(w));
    }
    done.forEach(w -> w.future.complete(next));
    listeners.forEach(l -> l.accept(next));
    return result;
  }

  /** Takes the leader away (true) or brings it back: submits and reads fail while it is away. */
  public void setDegraded(boolean degraded) {
    leader = !degraded;
  }

  public FeedHub hub() {
    return hub;
  }

  @Override
  public ControlPlane plane() {
    return this;
  }

  @Override
  public Subscription follow(long afterIndex, FeedSink sink) {
    return hub.follow(afterIndex, sink);
  }

  @Override
  public ControlView view() {
    return view;
  }

  @Override
  public ControlStatus status() {
    long index = view.index();
    return new ControlStatus(
        !leader,
        leader ? address : "",
        1,
        index,
        index,
        List.of(new ControlPeer("memory", address, true, leader)));
  }

  @Override
  public CompletableFuture<ApplyResult> submit(ControlCommand command) {
    if (!leader) {
      return CompletableFuture.failedFuture(new NoQuorumException("the test log has no leader"));
    }
    return CompletableFuture.completedFuture(append(command));
  }

  @Override
  public CompletableFuture<ControlView> linearizableView() {
    if (!leader) {
      return CompletableFuture.failedFuture(new NoQuorumException("the test log has no leader"));
    }
    return CompletableFuture.completedFuture(view);
  }

  @Override
  public synchronized CompletableFuture<ControlView> awaitIndexAbove(long index) {
    if (view.index() > index) {
      return CompletableFuture.completedFuture(view);
    }
    CompletableFuture<ControlView> future = new CompletableFuture<>();
    waiters.add(new Waiter(index + 1, future));
    return future;
  }

  @Override
  public void addListener(Consumer<ControlView> listener) {
    listeners.add(listener);
  }

  @Override
  public CompletableFuture<Void> transferLeadership(String peerId) {
    return CompletableFuture.failedFuture(new UnsupportedOperationException("one node, no Raft"));
  }

  @Override
  public CompletableFuture<Void> removePeer(String peerId) {
    return CompletableFuture.failedFuture(new UnsupportedOperationException("one node, no Raft"));
  }

  @Override
  public CompletableFuture<Void> addPeer(String peerId, String address) {
    return CompletableFuture.failedFuture(new UnsupportedOperationException("one node, no Raft"));
  }

  @Override
  public void close() {}
}
