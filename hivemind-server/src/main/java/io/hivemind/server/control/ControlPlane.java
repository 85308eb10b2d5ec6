package io.hivemind.server.control;

import io.hivemind.core.control.ApplyResult;
import io.hivemind.core.control.ControlCommand;
import io.hivemind.core.control.ControlView;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;

/**
 * What the rest of the agent (HTTP, CLI, roles, the catalogue) sees of the control plane. On a
 * control node it is backed by the Ratis server (hivemind-control); on a plain agent by the follow
 * feed from a control node. Either way reads come from a local replica of the committed state.
 *
 * <p>Thread-safe; no method blocks. Futures complete on a control-plane thread: do not block in
 * their callbacks.
 */
public interface ControlPlane extends AutoCloseable {

  /** The latest committed state applied on this node (never null; index 0 before any). */
  ControlView view();

  /** Leader, term, indexes and peers as this node knows them. */
  ControlStatus status();

  /**
   * Proposes {@code command}; completes with the result every replica reaches once committed and
   * applied here, or exceptionally with {@link NoQuorumException} when no leader answers in time.
   */
  CompletableFuture<ApplyResult> submit(ControlCommand command);

  /**
   * As {@link #submit(ControlCommand)}, for a request that presented {@code aclToken} ("" for
   * none): a plane that forwards the command to a control node passes the secret on, so that node
   * checks the request's access again ({@code CommandAccess}); a plane that proposes the command
   * itself has nothing to pass it to (the agent that took the request checked it).
   */
  default CompletableFuture<ApplyResult> submit(ControlCommand command, String aclToken) {
    return submit(command);
  }

  /**
   * A view that includes every entry committed before this call (a linearizable read: the leader
   * confirms its commit index, then this node waits until it applied it). Fails with {@link
   * NoQuorumException} when there is no quorum.
   */
  CompletableFuture<ControlView> linearizableView();

  /**
   * Completes with the first view whose index is above {@code index} (at once when the current one
   * is). The API's blocking queries wait on it with their own timeout.
   */
  CompletableFuture<ControlView> awaitIndexAbove(long index);

  /** Called with each new view, on the control plane's thread; must not block. */
  void addListener(Consumer<ControlView> listener);

  /** Operators: moves leadership to {@code peerId}. */
  CompletableFuture<Void> transferLeadership(String peerId);

  /** Operators: removes {@code peerId} from the Raft group. */
  CompletableFuture<Void> removePeer(String peerId);

  /** Operators: adds a control node to the Raft group as a voter. */
  CompletableFuture<Void> addPeer(String peerId, String address);

  @Override
  void close();
}
