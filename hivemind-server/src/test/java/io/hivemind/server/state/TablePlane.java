package io.hivemind.server.state;

import io.hivemind.core.acl.AclTokens;
import io.hivemind.core.control.ApplyResult;
import io.hivemind.core.control.CommittedPartitionTable;
import io.hivemind.core.control.ControlCommand;
import io.hivemind.core.control.ControlMember;
import io.hivemind.core.control.ControlView;
import io.hivemind.core.control.ExternalCatalog;
import io.hivemind.core.membership.Address;
import io.hivemind.core.partition.PartitionTable;
import io.hivemind.server.control.ControlPlane;
import io.hivemind.server.control.ControlStatus;
import io.hivemind.server.control.NoQuorumException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;

/** A control plane whose committed members, partition table and quorum the test sets. */
final class TablePlane implements ControlPlane {

  private final List<Consumer<ControlView>> listeners = new ArrayList<>();
  private ControlView view = view(1, List.of(), Optional.empty());
  boolean degraded;

  /** Commands submitted; {@link #accepting} says whether they are applied or fail (no quorum). */
  final List<ControlCommand> submitted = new ArrayList<>();

  boolean accepting;

  /** Commits {@code table} with members named {@code node-<id>} for each of its member ids. */
  void commit(PartitionTable table) {
    commit(table, List.of());
  }

  /** As {@link #commit(PartitionTable)}, with {@code draining} recorded as draining. */
  void commit(PartitionTable table, List<String> draining) {
    List<ControlMember> members = new ArrayList<>();
    for (var member : table.members()) {
      members.add(
          new ControlMember(
              member.id(),
              "node-" + member.id(),
              new Address("127.0.0.1", 7000),
              List.of(),
              "",
              "",
              1,
              1));
    }
    long index = view.index() + 1;
    view =
        view(
            index,
            members,
            Optional.of(new CommittedPartitionTable(table, index, List.of(), draining)));
    listeners.forEach(listener -> listener.accept(view));
  }

  private static ControlView view(
      long index, List<ControlMember> members, Optional<CommittedPartitionTable> table) {
    return new ControlView(
        index,
        1,
        "c",
        "testing",
        members,
        new TreeMap<>(),
        List.of(),
        1,
        ExternalCatalog.EMPTY,
        AclTokens.EMPTY,
        table);
  }

  @Override
  public ControlView view() {
    return view;
  }

  @Override
  public ControlStatus status() {
    return new ControlStatus(degraded, "", 1, view.index(), view.index(), List.of());
  }

  @Override
  public CompletableFuture<ApplyResult> submit(ControlCommand command) {
    submitted.add(command);
    if (accepting) {
      return CompletableFuture.completedFuture(
          new ApplyResult.Applied(view.index() + 1, 1, List.of()));
    }
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
    return new CompletableFuture<>();
  }

  @Override
  public CompletableFuture<Void> removePeer(String peerId) {
    return new CompletableFuture<>();
  }

  @Override
  public CompletableFuture<Void> addPeer(String peerId, String address) {
    return new CompletableFuture<>();
  }

  @Override
  public void close() {}
}
