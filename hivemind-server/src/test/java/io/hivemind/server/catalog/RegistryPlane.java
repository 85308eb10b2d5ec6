package io.hivemind.server.catalog;

import io.hivemind.core.control.ApplyResult;
import io.hivemind.core.control.ControlCommand;
import io.hivemind.core.control.ControlMember;
import io.hivemind.core.control.ControlView;
import io.hivemind.core.membership.Address;
import io.hivemind.server.control.ControlPlane;
import io.hivemind.server.control.ControlStatus;
import io.hivemind.server.control.NoQuorumException;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;

/**
 * A control plane whose committed registry the test sets: {@link #members} publishes a view with
 * those member ids, as a commit would, to every listener.
 */
final class RegistryPlane implements ControlPlane {

  private final List<Consumer<ControlView>> listeners = new ArrayList<>();
  private ControlView view =
      new ControlView(0, 0, "", "", List.of(), new TreeMap<>(), List.of(), 1);

  /** Commits a registry of exactly {@code ids}. */
  void members(String... ids) {
    List<ControlMember> members = new ArrayList<>();
    int i = 0;
    for (String id : ids) {
      members.add(
          new ControlMember(
              id, "node-" + id, new Address("127.0.0.1", 7000 + i++), List.of(), "", "", 1, 1));
    }
    view =
        new ControlView(
            view.index() + 1,
            view.epoch() + 1,
            "c",
            "testing",
            members,
            new TreeMap<>(),
            List.of(),
            1);
    listeners.forEach(listener -> listener.accept(view));
  }

  @Override
  public ControlView view() {
    return view;
  }

  @Override
  public ControlStatus status() {
    return ControlStatus.none();
  }

  @Override
  public CompletableFuture<ApplyResult> submit(ControlCommand command) {
    return CompletableFuture.failedFuture(new NoQuorumException("test plane"));
  }

  @Override
  public CompletableFuture<ControlView> linearizableView() {
    return CompletableFuture.completedFuture(view);
  }

  @Override
  public CompletableFuture<ControlView> awaitIndexAbove(long index) {
    return new CompletableFuture<>();
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
  public void close() {}
}
