package io.hivemind.server.control;

import io.hivemind.core.control.ApplyResult;
import io.hivemind.core.control.ControlCommand;
import io.hivemind.core.control.ControlView;
import java.util.List;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

/**
 * The agent's one control plane reference, handed to the HTTP API and the roles at start, before
 * the plane behind it exists: a control node's Raft server starts only once bootstrap allows it, a
 * plain agent's follower once the agent runs. Until {@link #attach} it is degraded with an empty
 * view, and writes fail with {@link NoQuorumException}.
 *
 * <p>Thread-safe: the delegate is volatile and attached once; listeners added before it are
 * registered with it when it comes.
 */
public final class ControlPlaneSlot implements ControlPlane {

  private static final ControlView EMPTY =
      new ControlView(0, 0, "", "", List.of(), new TreeMap<>(), List.of(), 1);

  private final List<Consumer<ControlView>> listeners = new CopyOnWriteArrayList<>();
  private final String whyDetached;
  private volatile ControlPlane delegate;

  /**
   * @param whyDetached the NoQuorumException's message until a plane is attached
   */
  public ControlPlaneSlot(String whyDetached) {
    this.whyDetached = whyDetached;
  }

  /** Puts {@code plane} behind this slot; once. */
  public synchronized void attach(ControlPlane plane) {
    if (delegate != null) {
      throw new IllegalStateException("a control plane is attached already");
    }
    delegate = plane;
    for (Consumer<ControlView> listener : listeners) {
      plane.addListener(listener);
    }
    ControlView now = plane.view();
    for (Consumer<ControlView> listener : listeners) {
      listener.accept(now);
    }
  }

  /** The plane behind the slot, or null before {@link #attach}. */
  public ControlPlane attached() {
    return delegate;
  }

  @Override
  public ControlView view() {
    ControlPlane plane = delegate;
    return plane == null ? EMPTY : plane.view();
  }

  @Override
  public ControlStatus status() {
    ControlPlane plane = delegate;
    return plane == null ? ControlStatus.none() : plane.status();
  }

  @Override
  public CompletableFuture<ApplyResult> submit(ControlCommand command) {
    ControlPlane plane = delegate;
    return plane == null ? detached() : plane.submit(command);
  }

  @Override
  public CompletableFuture<ApplyResult> submit(ControlCommand command, String aclToken) {
    ControlPlane plane = delegate;
    return plane == null ? detached() : plane.submit(command, aclToken);
  }

  @Override
  public CompletableFuture<ControlView> linearizableView() {
    ControlPlane plane = delegate;
    return plane == null ? detached() : plane.linearizableView();
  }

  @Override
  public CompletableFuture<ControlView> awaitIndexAbove(long index) {
    ControlPlane plane = delegate;
    if (plane != null) {
      return plane.awaitIndexAbove(index);
    }
    // Nothing will be applied before a plane is attached; a blocking query waits out its time.
    return new CompletableFuture<>();
  }

  @Override
  public synchronized void addListener(Consumer<ControlView> listener) {
    listeners.add(listener);
    if (delegate != null) {
      delegate.addListener(listener);
    }
  }

  @Override
  public CompletableFuture<Void> transferLeadership(String peerId) {
    ControlPlane plane = delegate;
    return plane == null ? detached() : plane.transferLeadership(peerId);
  }

  @Override
  public CompletableFuture<Void> removePeer(String peerId) {
    ControlPlane plane = delegate;
    return plane == null ? detached() : plane.removePeer(peerId);
  }

  @Override
  public CompletableFuture<Void> addPeer(String peerId, String address) {
    ControlPlane plane = delegate;
    return plane == null ? detached() : plane.addPeer(peerId, address);
  }

  private <T> CompletableFuture<T> detached() {
    return CompletableFuture.failedFuture(new NoQuorumException(whyDetached));
  }

  @Override
  public void close() {
    ControlPlane plane = delegate;
    if (plane != null) {
      plane.close();
    }
  }
}
