package io.hivemind.server.control;

import io.hivemind.core.control.ApplyResult;
import io.hivemind.core.control.ControlCommand;
import io.hivemind.core.control.ControlView;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;

/**
 * The checks a control node makes before it proposes a command that came from outside: an admission
 * must prove the join token (when the cluster has one), and the proof is stripped so the log never
 * holds it; a bootstrap entry is never accepted from outside (only the control nodes forming the
 * group write it), nor a partition table (only the leader writes one, issue 13). Everything else
 * passes through; the state machine checks the rest (names, ids, required roles) deterministically
 * at commit.
 *
 * <p>Thread-safe: stateless over the wrapped plane.
 */
public final class AdmissionGuard implements ControlPlane {

  private final ControlPlane plane;
  private final JoinProofs.Token joinToken;

  /**
   * @param joinToken the cluster's join token, or null when admissions need none
   */
  public AdmissionGuard(ControlPlane plane, JoinProofs.Token joinToken) {
    this.plane = Objects.requireNonNull(plane, "plane");
    this.joinToken = joinToken;
  }

  @Override
  public CompletableFuture<ApplyResult> submit(ControlCommand command) {
    if (command instanceof ControlCommand.Batch) {
      // A batch from outside could carry an admission past the token check.
      return CompletableFuture.failedFuture(
          new AdmissionRefusedException("batches are formed by the control node, not sent to it"));
    }
    if (command instanceof ControlCommand.Bootstrap) {
      return CompletableFuture.failedFuture(
          new AdmissionRefusedException("a bootstrap entry is written by the control nodes only"));
    }
    if (command instanceof ControlCommand.CommitPartitionTable) {
      // Issue 13: the leader is the table's only writer; it proposes on the plane, not through
      // here.
      return CompletableFuture.failedFuture(
          new AdmissionRefusedException("a partition table is written by the control leader only"));
    }
    if (command instanceof ControlCommand.AdmitMember admit) {
      if (joinToken != null) {
        if (admit.joinProof().isEmpty()) {
          return CompletableFuture.failedFuture(
              new AdmissionRefusedException(
                  "this cluster needs a join token and "
                      + admit.candidate().name()
                      + " sent none (set join_token)"));
        }
        if (!JoinProofs.verify(joinToken, admit.candidate().id(), admit.joinProof())) {
          return CompletableFuture.failedFuture(
              new AdmissionRefusedException(
                  "the join token of " + admit.candidate().name() + " is not this cluster's"));
        }
      }
      return plane.submit(admit.withoutProof());
    }
    return plane.submit(command);
  }

  @Override
  public ControlView view() {
    return plane.view();
  }

  @Override
  public ControlStatus status() {
    return plane.status();
  }

  @Override
  public CompletableFuture<ControlView> linearizableView() {
    return plane.linearizableView();
  }

  @Override
  public CompletableFuture<ControlView> awaitIndexAbove(long index) {
    return plane.awaitIndexAbove(index);
  }

  @Override
  public void addListener(Consumer<ControlView> listener) {
    plane.addListener(listener);
  }

  @Override
  public CompletableFuture<Void> transferLeadership(String peerId) {
    return plane.transferLeadership(peerId);
  }

  @Override
  public CompletableFuture<Void> removePeer(String peerId) {
    return plane.removePeer(peerId);
  }

  @Override
  public CompletableFuture<Void> addPeer(String peerId, String address) {
    return plane.addPeer(peerId, address);
  }

  @Override
  public void close() {
    // The guard owns nothing: the wrapped plane is closed by its owner.
  }
}
