package io.hivemind.server.control;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.hivemind.core.control.ControlCommand;
import io.hivemind.core.membership.Address;
import io.hivemind.core.partition.PartitionAssigner;
import io.hivemind.core.partition.PartitionMember;
import java.util.List;
import java.util.concurrent.ExecutionException;
import org.junit.jupiter.api.Test;

class AdmissionGuardTest {

  private static final String ID = "0b7f9c1e-5d2a-4c3b-9e8f-1a2b3c4d5e6f";
  private final RecordingControlPlane plane = new RecordingControlPlane();
  private final JoinProofs.Token token = new JoinProofs.Token("a-long-enough-join-token");

  private static AdmissionRequests requests(JoinProofs.Token token) {
    return new AdmissionRequests("web-1", List.of("host"), "", "h1", List.of("dns"), token);
  }

  @Test
  void admission_withTheRightProof_isProposedWithoutIt() throws Exception {
    ControlCommand.AdmitMember admit = requests(token).admit(ID, new Address("127.0.0.1", 7360));
    assertThat(admit.joinProof()).hasSize(64);

    new AdmissionGuard(plane, token).submit(admit).get();

    assertThat(plane.submitted).hasSize(1);
    ControlCommand.AdmitMember proposed = (ControlCommand.AdmitMember) plane.submitted.get(0);
    assertThat(proposed.joinProof()).isEmpty();
    assertThat(proposed.candidate()).isEqualTo(admit.candidate());
    assertThat(proposed.requiredRoles()).containsExactly("dns");
  }

  @Test
  void admission_withoutAProof_isRefusedAndNothingIsProposed() {
    ControlCommand.AdmitMember admit = requests(null).admit(ID, new Address("127.0.0.1", 7360));

    assertThatThrownBy(() -> new AdmissionGuard(plane, token).submit(admit).get())
        .isInstanceOf(ExecutionException.class)
        .cause()
        .isInstanceOf(AdmissionRefusedException.class)
        .hasMessageContaining("needs a join token")
        .hasMessageContaining("web-1");
    assertThat(plane.submitted).isEmpty();
  }

  @Test
  void admission_withAnotherClustersToken_isRefused() {
    ControlCommand.AdmitMember admit =
        requests(new JoinProofs.Token("another-clusters-token"))
            .admit(ID, new Address("127.0.0.1", 7360));

    assertThatThrownBy(() -> new AdmissionGuard(plane, token).submit(admit).get())
        .cause()
        .isInstanceOf(AdmissionRefusedException.class)
        .hasMessageContaining("not this cluster's");
    assertThat(plane.submitted).isEmpty();
  }

  @Test
  void proof_capturedForOneId_admitsNoOther() {
    ControlCommand.AdmitMember captured = requests(token).admit(ID, new Address("127.0.0.1", 7360));
    ControlCommand.AdmitMember replayed =
        new ControlCommand.AdmitMember(
            new io.hivemind.core.control.ControlMember(
                "11111111-2222-3333-4444-555555555555",
                "web-1",
                new Address("127.0.0.1", 7360),
                List.of(),
                "",
                "",
                0,
                0),
            List.of(),
            captured.joinProof());

    assertThatThrownBy(() -> new AdmissionGuard(plane, token).submit(replayed).get())
        .cause()
        .isInstanceOf(AdmissionRefusedException.class);
  }

  @Test
  void bootstrap_fromOutside_isRefused() {
    assertThatThrownBy(
            () ->
                new AdmissionGuard(plane, null)
                    .submit(new ControlCommand.Bootstrap("c", "development"))
                    .get())
        .cause()
        .isInstanceOf(AdmissionRefusedException.class);
    assertThat(plane.submitted).isEmpty();
  }

  @Test
  void partitionTableFromOutside_refusedAndNotProposed() {
    ControlCommand commit =
        new ControlCommand.CommitPartitionTable(
            PartitionAssigner.initial(List.of(PartitionMember.onHost("id-a", "host-a")), 4, 1)
                .table());

    assertThatThrownBy(() -> new AdmissionGuard(plane, null).submit(commit).get())
        .cause()
        .isInstanceOf(AdmissionRefusedException.class)
        .hasMessageContaining("control leader only");
    assertThat(plane.submitted).isEmpty();
  }

  @Test
  void withoutAToken_admissionsPassAndOtherCommandsPassUnchanged() throws Exception {
    ControlCommand.AdmitMember admit = requests(null).admit(ID, new Address("127.0.0.1", 7360));
    ControlCommand kv = new ControlCommand.KvSet("k", new byte[] {1}, 0, -1);

    AdmissionGuard guard = new AdmissionGuard(plane, null);
    guard.submit(admit).get();
    guard.submit(kv).get();

    assertThat(plane.submitted).containsExactly(admit, kv);
  }

  @Test
  void token_neverShowsInItsText() {
    assertThat(token.toString()).doesNotContain("a-long-enough-join-token");
  }
}
