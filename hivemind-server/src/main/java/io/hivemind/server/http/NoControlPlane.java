package io.hivemind.server.http;

import io.hivemind.core.control.ApplyResult;
import io.hivemind.core.control.ControlCommand;
import io.hivemind.core.control.ControlView;
import io.hivemind.server.control.ControlPlane;
import io.hivemind.server.control.ControlStatus;
import io.hivemind.server.control.NoQuorumException;
import java.util.Collections;
import java.util.List;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;

/**
 * The control plane of an agent whose cluster has none: degraded for ever. Reads see an empty state
 * at index 0, blocking reads wait out their time, writes and operator calls fail with {@link
 * NoQuorumException}. Stateless, so one instance serves every agent.
 */
public final class NoControlPlane implements ControlPlane {

  /** The one instance. */
  public static final NoControlPlane INSTANCE = new NoControlPlane();

  private static final ControlView EMPTY =
      new ControlView(
          0,
          0,
          "",
          "",
          List.of(),
          Collections.unmodifiableNavigableMap(new TreeMap<>()),
          List.of(),
          0);

  private NoControlPlane() {}

  @Override
  public ControlView view() {
    return EMPTY;
  }

  @Override
  public ControlStatus status() {
    return ControlStatus.none();
  }

  @Override
  public CompletableFuture<ApplyResult> submit(ControlCommand command) {
    return CompletableFuture.failedFuture(noQuorum());
  }

  @Override
  public CompletableFuture<ControlView> linearizableView() {
    return CompletableFuture.failedFuture(noQuorum());
  }

  /** Nothing is ever committed: the future completes only if its waiter cancels it. */
  @Override
  public CompletableFuture<ControlView> awaitIndexAbove(long index) {
    return new CompletableFuture<>();
  }

  @Override
  public void addListener(Consumer<ControlView> listener) {
    // No view ever follows the empty one.
  }

  @Override
  public CompletableFuture<Void> transferLeadership(String peerId) {
    return CompletableFuture.failedFuture(noQuorum());
  }

  @Override
  public CompletableFuture<Void> removePeer(String peerId) {
    return CompletableFuture.failedFuture(noQuorum());
  }

  @Override
  public CompletableFuture<Void> addPeer(String peerId, String address) {
    return CompletableFuture.failedFuture(noQuorum());
  }

  @Override
  public void close() {
    // Holds nothing.
  }

  private static NoQuorumException noQuorum() {
    return new NoQuorumException(
        "this agent has no control plane: no node with the control role has formed a quorum");
  }
}
