package io.hivemind.server.control;

import io.hivemind.core.control.ApplyResult;
import io.hivemind.core.control.ControlCommand;
import io.hivemind.core.control.ControlView;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;

/** A plane that records what it is asked to commit and answers each with an empty Applied. */
final class RecordingControlPlane implements ControlPlane {

  static final ControlView VIEW =
      new ControlView(7, 1, "c", "development", List.of(), new TreeMap<>(), List.of(), 1);

  final List<ControlCommand> submitted = new ArrayList<>();
  final List<Consumer<ControlView>> listeners = new ArrayList<>();
  boolean closed;

  @Override
  public ControlView view() {
    return VIEW;
  }

  @Override
  public ControlStatus status() {
    return new ControlStatus(false, "127.0.0.1:1", 1, 7, 7, List.of());
  }

  @Override
  public CompletableFuture<ApplyResult> submit(ControlCommand command) {
    submitted.add(command);
    return CompletableFuture.completedFuture(new ApplyResult.Applied(8, 1, List.of()));
  }

  @Override
  public CompletableFuture<ControlView> linearizableView() {
    return CompletableFuture.completedFuture(VIEW);
  }

  @Override
  public CompletableFuture<ControlView> awaitIndexAbove(long index) {
    return CompletableFuture.completedFuture(VIEW);
  }

  @Override
  public void addListener(Consumer<ControlView> listener) {
    listeners.add(listener);
  }

  @Override
  public CompletableFuture<Void> transferLeadership(String peerId) {
    return CompletableFuture.completedFuture(null);
  }

  @Override
  public CompletableFuture<Void> removePeer(String peerId) {
    return CompletableFuture.completedFuture(null);
  }

  @Override
  public CompletableFuture<Void> addPeer(String peerId, String address) {
    return CompletableFuture.completedFuture(null);
  }

  @Override
  public void close() {
    closed = true;
  }
}
