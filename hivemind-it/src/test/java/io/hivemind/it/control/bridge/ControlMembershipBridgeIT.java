package io.hivemind.it.control.bridge;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.hivemind.core.control.ControlMember;
import io.hivemind.core.control.RefusalCode;
import io.hivemind.core.membership.Address;
import io.hivemind.it.membership.LoopbackNodes;
import io.hivemind.server.agreement.ControlMembershipBridge;
import io.hivemind.server.agreement.ControlMembershipBridge.Admission;
import io.hivemind.server.agreement.ControlMembershipBridge.AdmissionStatus;
import io.hivemind.server.control.AdmissionRequests;
import io.hivemind.server.control.NodeIdentity;
import io.hivemind.server.membership.MembershipService;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A plain agent's bridge to a control plane whose committed views the test writes. A replica
 * publishes one view per batch of applied entries, so a busy node can see the view before its
 * admission and the first one after its removal, and never one that lists it: it must still notice
 * it was removed (draw a new id and ask again), or it stays sure it is a member no one lists. Real
 * sockets: the bridge runs on a membership service's loop.
 */
class ControlMembershipBridgeIT {

  private static final Duration WAIT = Duration.ofSeconds(10);
  private static final String NAME = "p1";

  /** A control node listed in every view, so no view is trivially empty. */
  private static final ControlMember CONTROL =
      new ControlMember("c1-id", "c1", new Address("127.0.0.1", 1), List.of(), "", "", 1, 1);

  private final ScriptedPlane plane = new ScriptedPlane();
  private final NodeIdentity identity = NodeIdentity.ephemeral();
  private final List<AdmissionStatus> statuses = new CopyOnWriteArrayList<>();
  private MembershipService membership;
  private ControlMembershipBridge bridge;

  @BeforeEach
  void startBridge() {
    membership = MembershipService.start(LoopbackNodes.config(NAME).build());
    bridge =
        new ControlMembershipBridge(
            membership,
            plane,
            identity,
            new AdmissionRequests(NAME, List.of(), "", "", List.of(), null),
            Clock.systemUTC());
    bridge.addListener(statuses::add);
    bridge.start();
  }

  @AfterEach
  void close() {
    if (bridge != null) {
      bridge.close();
    }
    if (membership != null) {
      membership.close();
    }
  }

  @Test
  void removedBeforeAnyViewListedIt_answerArrivesAfterTheLaterView_rejoinsWithANewId()
      throws Exception {
    ScriptedPlane.Submission first = nextAdmission();
    String firstId = first.candidateId();

    // Admitted at 2, removed at 3; this node's replica applied both in one batch.
    plane.publish(3, List.of(CONTROL));
    drainLoop();
    ScriptedPlane.answer(first, 2);

    ScriptedPlane.Submission second = awaitRejoin(firstId);
    assertThat(second.candidateId()).isEqualTo(identity.id()).isNotEqualTo(firstId);
  }

  @Test
  void removedBeforeAnyViewListedIt_viewArrivesAfterTheAnswer_rejoinsWithANewId() throws Exception {
    plane.publish(1, List.of(CONTROL));
    ScriptedPlane.Submission first = nextAdmission();
    String firstId = first.candidateId();
    ScriptedPlane.answer(first, 2);
    drainLoop();
    assertThat(bridge.status().admission()).isEqualTo(Admission.ADMITTED);

    // The views at 2 (listing it) and 3 to 4 were applied in one batch: the next one it sees is 5.
    plane.publish(5, List.of(CONTROL));

    ScriptedPlane.Submission second = awaitRejoin(firstId);
    assertThat(second.candidateId()).isEqualTo(identity.id()).isNotEqualTo(firstId);
  }

  @Test
  void viewListingItThenOneWithout_rejoinsWithANewId() throws Exception {
    plane.publish(1, List.of(CONTROL));
    ScriptedPlane.Submission first = nextAdmission();
    String firstId = first.candidateId();
    ScriptedPlane.answer(first, 2);
    plane.publish(2, List.of(CONTROL, self(firstId, 2)));
    drainLoop();
    assertThat(bridge.status().admission()).isEqualTo(Admission.ADMITTED);

    plane.publish(3, List.of(CONTROL));

    ScriptedPlane.Submission second = awaitRejoin(firstId);
    assertThat(second.candidateId()).isEqualTo(identity.id()).isNotEqualTo(firstId);
  }

  /**
   * A restarted agent's old id is refused as removed; while the bridge confirms that against its
   * replica, views keep coming. It must not ask again with the old id meanwhile: that second
   * refusal, answered after the renewal, renewed the new id too, and the middle one stayed admitted
   * with nobody running it (10-agent benchmark: migrations to it stalled for minutes).
   */
  @Test
  void oldIdRefusedAsReused_asksNothingWhileConfirming_thenRenewsOnce() throws Exception {
    ScriptedPlane.Submission first = nextAdmission();
    String firstId = first.candidateId();
    ScriptedPlane.refuse(first, 2, RefusalCode.ID_REUSED);
    drainLoop();

    // Views before the refusal's index: the refusal is not confirmed yet.
    plane.publish(1, List.of(CONTROL));
    drainLoop();
    // The refusal's index applied, this node not listed: the id is a removed one.
    plane.publish(3, List.of(CONTROL));
    drainLoop();

    ScriptedPlane.Submission second = nextAdmission();
    assertThat(second.candidateId())
        .as("the next admission asks with a new id")
        .isNotEqualTo(firstId)
        .isEqualTo(identity.id());
    ScriptedPlane.answer(second, 4);
    plane.publish(4, List.of(CONTROL, self(second.candidateId(), 4)));
    drainLoop();

    assertThat(bridge.status()).isEqualTo(admitted(second.candidateId()));
    assertThat(plane.pendingAdmissions()).as("no other admission asked").isZero();
  }

  @Test
  void viewsWithoutItBeforeItsAdmissionIndex_keepItAdmitted() throws Exception {
    ScriptedPlane.Submission first = nextAdmission();
    String firstId = first.candidateId();

    // Views at 3 and 4 predate the admission at 5: lacking this node there is no removal.
    plane.publish(3, List.of(CONTROL));
    drainLoop();
    ScriptedPlane.answer(first, 5);
    drainLoop();
    assertThat(bridge.status()).isEqualTo(admitted(firstId));

    // The replica catches up: a view at 4, still before the admission, then batches after it.
    plane.publish(4, List.of(CONTROL));
    drainLoop();
    assertThat(bridge.status()).isEqualTo(admitted(firstId));
    plane.publish(7, List.of(CONTROL, self(firstId, 5)));
    plane.publish(8, List.of(CONTROL, self(firstId, 5)));
    drainLoop();

    assertThat(bridge.status()).isEqualTo(admitted(firstId));
    assertThat(identity.id()).isEqualTo(firstId);
    assertThat(plane.pendingAdmissions()).isZero();
    assertThat(statuses).last().isEqualTo(admitted(firstId));
    assertThat(statuses.stream().filter(s -> s.admission() == Admission.ADMITTED).count())
        .isEqualTo(1);
  }

  /**
   * Waits for the bridge to drop the admission of {@code oldId}: back to REQUESTING under a new id,
   * with a new AdmitMember for it. Returns that admission.
   */
  private ScriptedPlane.Submission awaitRejoin(String oldId) throws Exception {
    await()
        .atMost(WAIT)
        .untilAsserted(
            () -> {
              AdmissionStatus now = bridge.status();
              assertThat(now.admission()).isEqualTo(Admission.REQUESTING);
              assertThat(now.memberId()).isNotEqualTo(oldId).isEqualTo(identity.id());
            });
    ScriptedPlane.Submission next = nextAdmission();
    List<Admission> seen = new ArrayList<>();
    statuses.forEach(s -> seen.add(s.admission()));
    // It was admitted under the old id first: the removal is what took the admission away.
    assertThat(statuses).contains(admitted(oldId));
    assertThat(seen.lastIndexOf(Admission.ADMITTED))
        .isLessThan(seen.lastIndexOf(Admission.REQUESTING));
    return next;
  }

  private AdmissionStatus admitted(String id) {
    return new AdmissionStatus(Admission.ADMITTED, id, "admitted");
  }

  private ControlMember self(String id, long admittedIndex) {
    return new ControlMember(
        id, NAME, membership.advertisedAddress(), List.of(), "", "", admittedIndex, admittedIndex);
  }

  /**
   * The bridge's next AdmitMember. The bridge registers for its answer on the loop right after
   * {@code submit} returns: waiting for the loop makes sure an answer given now is heard now.
   */
  private ScriptedPlane.Submission nextAdmission() throws Exception {
    ScriptedPlane.Submission next = plane.nextAdmission(WAIT);
    drainLoop();
    return next;
  }

  /** Returns once the membership loop ran every task queued before this call (views, answers). */
  private void drainLoop() throws Exception {
    CompletableFuture.runAsync(() -> {}, membership.loop()).get(WAIT.toSeconds(), TimeUnit.SECONDS);
  }
}
