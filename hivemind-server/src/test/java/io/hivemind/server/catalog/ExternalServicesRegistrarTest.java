package io.hivemind.server.catalog;

import static org.assertj.core.api.Assertions.assertThat;

import io.hivemind.core.control.ApplyResult;
import io.hivemind.core.control.ControlCommand;
import io.hivemind.core.control.ControlView;
import io.hivemind.core.control.ExternalNode;
import io.hivemind.core.control.RefusalCode;
import io.hivemind.server.acl.AclDeniedException;
import io.hivemind.server.control.ControlPlane;
import io.hivemind.server.control.ControlStatus;
import io.hivemind.server.control.NoQuorumException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

/** Rounds of proposing the configuration's external services: after admission, until committed. */
class ExternalServicesRegistrarTest {

  /** Answers each submit as told: no quorum, applied, or refused. */
  private static final class ScriptedPlane implements ControlPlane {
    final List<ControlCommand> submitted = new ArrayList<>();
    final List<String> tokens = new ArrayList<>();
    String mode = "no-quorum";

    @Override
    public CompletableFuture<ApplyResult> submit(ControlCommand command, String aclToken) {
      tokens.add(aclToken);
      if (mode.equals("acl-denied")) {
        submitted.add(command);
        return CompletableFuture.failedFuture(
            new AclDeniedException("a request's token may not write node 'a'"));
      }
      return submit(command);
    }

    @Override
    public CompletableFuture<ApplyResult> submit(ControlCommand command) {
      submitted.add(command);
      return switch (mode) {
        case "applied" ->
            CompletableFuture.completedFuture(new ApplyResult.Applied(9, 1, List.of()));
        case "refused" ->
            CompletableFuture.completedFuture(
                new ApplyResult.Refused(9, RefusalCode.INVALID, "check names no service"));
        default -> CompletableFuture.failedFuture(new NoQuorumException("no leader"));
      };
    }

    @Override
    public ControlView view() {
      return new ControlView(0, 0, "", "", List.of(), new TreeMap<>(), List.of(), 1);
    }

    @Override
    public ControlStatus status() {
      return ControlStatus.none();
    }

    @Override
    public CompletableFuture<ControlView> linearizableView() {
      return new CompletableFuture<>();
    }

    @Override
    public CompletableFuture<ControlView> awaitIndexAbove(long index) {
      return new CompletableFuture<>();
    }

    @Override
    public void addListener(Consumer<ControlView> listener) {}

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

  private static ControlCommand.CatalogRegister node(String name) {
    return new ControlCommand.CatalogRegister(
        new ExternalNode(name, "10.0.0.1", Map.of(), Map.of()), Optional.empty(), List.of(), false);
  }

  private final ScriptedPlane plane = new ScriptedPlane();
  private boolean admitted;
  private final ExternalServicesRegistrar registrar =
      new ExternalServicesRegistrar(() -> plane, () -> admitted, List.of(node("a"), node("b")));

  @Test
  void attempt_beforeAdmission_proposesNothing() {
    assertThat(registrar.attempt().join()).isFalse();

    assertThat(plane.submitted).isEmpty();
    assertThat(registrar.pending()).isEqualTo(2);
  }

  @Test
  void attempt_noQuorum_keepsEverythingForTheNextRound_thenDoneOnceApplied() {
    admitted = true;

    assertThat(registrar.attempt().join()).isFalse();
    assertThat(registrar.pending()).isEqualTo(2);
    plane.mode = "applied";
    assertThat(registrar.attempt().join()).isTrue();

    assertThat(plane.submitted).hasSize(4);
    assertThat(registrar.pending()).isZero();
    assertThat(registrar.attempt().join()).isTrue();
    assertThat(plane.submitted).hasSize(4); // nothing more once done
  }

  @Test
  void attempt_presentsTheAgentsToken_andAnAclRefusal_isDroppedNotRetried() {
    ExternalServicesRegistrar withToken =
        new ExternalServicesRegistrar(
            () -> plane, () -> true, List.of(node("a")), "agent-secret-0123456789");
    plane.mode = "acl-denied";

    assertThat(withToken.attempt().join()).isTrue();
    assertThat(plane.tokens).containsExactly("agent-secret-0123456789");
    assertThat(withToken.pending()).isZero();
    assertThat(withToken.attempt().join()).isTrue();
    assertThat(plane.submitted).hasSize(1);
  }

  @Test
  void attempt_refused_droppedNotRetried() {
    admitted = true;
    plane.mode = "refused";

    assertThat(registrar.attempt().join()).isTrue();
    assertThat(plane.submitted).hasSize(2);
  }
}
