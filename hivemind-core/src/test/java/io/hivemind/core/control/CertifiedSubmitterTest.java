package io.hivemind.core.control;

import static io.hivemind.core.control.ControlLog.admit;
import static io.hivemind.core.control.ControlLog.kvSet;
import static io.hivemind.core.control.ControlLog.remove;
import static org.assertj.core.api.Assertions.assertThat;

import io.hivemind.core.control.CertifiedSubmitter.Standing;
import io.hivemind.core.partition.MoveInFlight;
import io.hivemind.core.partition.PartitionMove;
import io.hivemind.core.partition.PartitionTable;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A connection whose certificate names a node submits only what concerns that node: its own
 * admission, leave, drain, observations and the moves of partitions it holds; anything else about
 * members is refused with a sentence naming both. Commands not about members pass.
 */
class CertifiedSubmitterTest {

  private final ControlLog log = ControlLog.bootstrapped();

  @BeforeEach
  void admitThreeWithATable() {
    for (String name : List.of("a", "b", "c")) {
      log.apply(admit("id-" + name, name));
    }
    log.apply(ControlStatePartitionTest.firstTable(log.state.view(), 16, 1));
  }

  @Test
  void admission_ofItsOwnName_passes_ofAnother_refusedNamingBoth() {
    assertThat(refusal(admit("id-d", "d"), "d")).isEmpty();

    assertThat(refusal(admit("id-d", "d"), "a"))
        .hasValueSatisfying(r -> assertThat(r).contains("names a").contains("admission of d"));
  }

  @Test
  void leaveAndDrain_ofItself_pass_ofAnotherMember_refused() {
    assertThat(refusal(remove("id-a", RemovalReason.LEFT), "a")).isEmpty();
    assertThat(refusal(new ControlCommand.DrainMember("id-a"), "a")).isEmpty();

    assertThat(refusal(remove("id-b", RemovalReason.LEFT), "a"))
        .hasValueSatisfying(r -> assertThat(r).contains("removal of b (id-b)"));
    assertThat(refusal(new ControlCommand.DrainMember("id-b"), "a"))
        .hasValueSatisfying(r -> assertThat(r).contains("drain of b"));
  }

  @Test
  void removal_ofAPreviousLifeOfTheSameName_passes() {
    // A node that lost its data directory draws a new id and removes the old one, same name.
    assertThat(refusal(remove("id-c", RemovalReason.FAILED), "c")).isEmpty();
  }

  @Test
  void removal_ofAnIdNotAdmitted_refused() {
    assertThat(refusal(remove("id-zz", RemovalReason.LEFT), "a"))
        .hasValueSatisfying(r -> assertThat(r).contains("id-zz, which is not admitted"));
  }

  @Test
  void observations_byItself_pass_byAnotherAdmittedMember_refused() {
    assertThat(refusal(observations("id-a", "id-a"), "a")).isEmpty();
    // A previous life's queued observations name an observer the state machine ignores anyway.
    assertThat(refusal(observations("id-gone", "id-a"), "a")).isEmpty();

    assertThat(refusal(observations("id-a", "id-c"), "a"))
        .hasValueSatisfying(r -> assertThat(r).contains("observations made by c"));
  }

  @Test
  void completedMoves_ofAPartitionItHolds_pass_ofOneItDoesNot_refused() {
    PartitionTable table = log.state.view().partitionTable().orElseThrow().table();
    int held = partitionWhere(table, true, "id-a");
    int notHeld = partitionWhere(table, false, "id-a");

    assertThat(refusal(complete(held), "a")).isEmpty();
    assertThat(refusal(complete(held, notHeld), "a"))
        .hasValueSatisfying(r -> assertThat(r).contains("partition " + notHeld));
    assertThat(refusal(complete(999), "a"))
        .hasValueSatisfying(r -> assertThat(r).contains("partition 999"));
  }

  @Test
  void completedMove_repeatedByItsSourceAfterItHandedThePartitionOver_passes() {
    PartitionTable table = log.state.view().partitionTable().orElseThrow().table();
    int notHeld = partitionWhere(table, false, "id-a");
    ControlCommand.CompleteMoves repeat =
        new ControlCommand.CompleteMoves(
            1, List.of(new MoveInFlight(new PartitionMove(notHeld, 0, "id-a", "id-b"), 1)));

    ControlCommand.CompleteMoves another =
        new ControlCommand.CompleteMoves(
            1, List.of(new MoveInFlight(new PartitionMove(notHeld, 1, "id-b", "id-d"), 1)));

    assertThat(refusal(repeat, "a")).isEmpty();
    assertThat(refusal(another, "a")).isPresent();
  }

  @Test
  void admissionWithTheControlRole_needsAControlCertificate() {
    ControlCommand.AdmitMember control =
        new ControlCommand.AdmitMember(ControlLog.member("id-d", "d", "control"));
    ControlView view = log.state.view();

    assertThat(CertifiedSubmitter.refusal(control, new CertifiedPeer("d", false), view))
        .hasValueSatisfying(
            r -> assertThat(r).contains("not a control node's").contains("--name d --control"));
    assertThat(CertifiedSubmitter.refusal(control, new CertifiedPeer("d", true), view)).isEmpty();
    // The mark does not lift the name rule, and a plain admission needs no mark.
    assertThat(CertifiedSubmitter.refusal(control, new CertifiedPeer("a", true), view)).isPresent();
    assertThat(refusal(admit("id-d", "d"), "d")).isEmpty();
  }

  @Test
  void commandsNotAboutMembers_pass() {
    assertThat(refusal(kvSet("k", "v", -1), "a")).isEmpty();
    assertThat(refusal(new ControlCommand.AppendEvent("deploy", "a", new byte[0]), "b")).isEmpty();
  }

  @Test
  void standing_ofADeclaredId() {
    ControlView view = log.state.view();

    assertThat(CertifiedSubmitter.standing("id-a", "a", view)).isEqualTo(Standing.CONFIRMED);
    assertThat(CertifiedSubmitter.standing("id-b", "a", view)).isEqualTo(Standing.ANOTHER_NODE);
    assertThat(CertifiedSubmitter.standing("id-new", "a", view)).isEqualTo(Standing.NOT_ADMITTED);
  }

  private Optional<String> refusal(ControlCommand command, String certifiedName) {
    return CertifiedSubmitter.refusal(
        command, new CertifiedPeer(certifiedName, false), log.state.view());
  }

  /** Each observer's suspicion of b. */
  private static ControlCommand.ReportObservations observations(String... observers) {
    return new ControlCommand.ReportObservations(
        java.util.Arrays.stream(observers)
            .map(o -> new Observation(o, "id-b", "b", 1, Observation.Kind.SUSPECT, 0, 1_000))
            .toList());
  }

  private static ControlCommand.CompleteMoves complete(int... partitions) {
    return new ControlCommand.CompleteMoves(
        1,
        java.util.Arrays.stream(partitions)
            .mapToObj(p -> new MoveInFlight(new PartitionMove(p, 1, "id-b", "id-c"), 1))
            .toList());
  }

  private static int partitionWhere(PartitionTable table, boolean holds, String id) {
    for (int p = 0; p < table.partitionCount(); p++) {
      if (table.replicas().get(p).contains(id) == holds) {
        return p;
      }
    }
    throw new AssertionError("no partition where " + id + (holds ? " holds" : " is absent"));
  }
}
