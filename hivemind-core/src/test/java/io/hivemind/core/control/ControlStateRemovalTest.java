package io.hivemind.core.control;

import static io.hivemind.core.control.ControlLog.admit;
import static io.hivemind.core.control.ControlLog.remove;
import static io.hivemind.core.control.ControlStateTest.assertRefused;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Removals: by command (leave, operator, failure) and by the removal rule fed with observations and
 * ticks; ids are never reused.
 */
class ControlStateRemovalTest {

  private final ControlLog log = ControlLog.bootstrapped();

  private void admitThree() {
    log.apply(admit("id-a", "a"));
    log.apply(admit("id-b", "b"));
    log.apply(admit("id-c", "c"));
  }

  private static Observation suspect(String observer, String subject) {
    return new Observation(observer, subject, "n", 0, Observation.Kind.SUSPECT, 0, 0);
  }

  private ApplyResult report(Observation... observations) {
    return log.apply(new ControlCommand.ReportObservations(List.of(observations)));
  }

  @Test
  void remove_left_eventsMemberLeftAndEpochChanged_epochAdvances() {
    admitThree(); // epoch 4, index 4

    ApplyResult result = log.apply(remove("id-b", RemovalReason.LEFT));

    assertThat(log.state.view().members())
        .extracting(ControlMember::name)
        .containsExactly("a", "c");
    assertThat(log.state.view().epoch()).isEqualTo(5);
    ApplyResult.Applied applied = (ApplyResult.Applied) result;
    assertThat(applied.events())
        .extracting(ControlEvent::type, ControlEvent::subject, ControlEvent::index)
        .containsExactly(
            tuple(ControlEvent.MEMBER_LEFT, "b", 5L), tuple(ControlEvent.EPOCH_CHANGED, "b", 5L));
    assertThat(applied.events().get(0).payloadText()).isEqualTo("id=id-b reason=LEFT observers=");
  }

  @Test
  void remove_operatorOrFailed_eventMemberRemovedNamingObservers() {
    admitThree();

    log.apply(new ControlCommand.RemoveMember("id-a", RemovalReason.OPERATOR, List.of()));
    ApplyResult failed =
        log.apply(
            new ControlCommand.RemoveMember("id-b", RemovalReason.FAILED, List.of("id-c", "id-x")));

    ControlEvent removed = ((ApplyResult.Applied) failed).events().get(0);
    assertThat(removed.type()).isEqualTo(ControlEvent.MEMBER_REMOVED);
    assertThat(removed.payloadText()).isEqualTo("id=id-b reason=FAILED observers=id-c,id-x");
    assertThat(log.state.view().epoch()).isEqualTo(6);
    assertThat(log.state.view().members()).extracting(ControlMember::name).containsExactly("c");
  }

  @Test
  void remove_unknownOrRemovedMember_refusedUnknownMember() {
    admitThree();
    log.apply(remove("id-a", RemovalReason.LEFT));
    ControlView before = log.state.view();

    assertRefused(
        log.state,
        log.apply(remove("id-x", RemovalReason.OPERATOR)),
        RefusalCode.UNKNOWN_MEMBER,
        before);
    ApplyResult again = log.apply(remove("id-a", RemovalReason.LEFT));
    assertRefused(log.state, again, RefusalCode.UNKNOWN_MEMBER, before);
    assertThat(((ApplyResult.Refused) again).message()).contains("removed at index 5");
  }

  @Test
  void admit_idOfRemovedMember_refusedIdReused_nameFreeForANewId() {
    admitThree();
    log.apply(remove("id-a", RemovalReason.FAILED));
    ControlView before = log.state.view();

    ApplyResult reused = log.apply(admit("id-a", "a"));

    assertRefused(log.state, reused, RefusalCode.ID_REUSED, before);
    assertThat(((ApplyResult.Refused) reused).message()).contains("rejoins with a new id");
    assertThat(log.apply(admit("id-a2", "a"))).isInstanceOf(ApplyResult.Applied.class);
  }

  @Test
  void removedIds_beyondTheBound_oldestForgotten() {
    for (int i = 0; i <= ControlState.MAX_REMOVED_IDS; i++) {
      log.apply(admit("id-" + i, "n" + i));
      log.apply(remove("id-" + i, RemovalReason.LEFT));
    }

    List<RemovedId> removed = log.state.snapshot().removedIds();
    assertThat(removed).hasSize(ControlState.MAX_REMOVED_IDS);
    assertThat(removed.get(0).id()).isEqualTo("id-1");
    assertThat(log.apply(admit("id-1", "x"))).isInstanceOf(ApplyResult.Refused.class);
    assertThat(log.apply(admit("id-0", "x"))).isInstanceOf(ApplyResult.Applied.class);
  }

  @Test
  void observations_twoHealthyObservers_removeOnceConfirmed_asFailed() {
    admitThree();
    report(suspect("id-b", "id-a"), suspect("id-c", "id-a")); // at t
    assertThat(log.state.view().members()).hasSize(3);

    // The next entry is a second later: past DEFAULT's confirmMillis.
    ApplyResult tick = log.apply(new ControlCommand.Tick());

    assertThat(log.state.view().members())
        .extracting(ControlMember::name)
        .containsExactly("b", "c");
    ApplyResult.Applied applied = (ApplyResult.Applied) tick;
    assertThat(applied.epoch()).isEqualTo(5);
    assertThat(applied.events())
        .extracting(ControlEvent::type)
        .containsExactly(ControlEvent.MEMBER_REMOVED, ControlEvent.EPOCH_CHANGED);
    assertThat(applied.events().get(0).payloadText())
        .startsWith("id=id-a reason=FAILED observers=id-b,id-c why=");
    assertThat(log.state.snapshot().suspicions()).isEmpty();
  }

  @Test
  void observations_decisionInTheSameApply_whenAlreadyConfirmed() {
    admitThree();
    report(suspect("id-b", "id-a"));
    log.timeMillis += RemovalPolicy.DEFAULT.confirmMillis();

    ApplyResult result = report(suspect("id-c", "id-a"));

    // c's suspicion is new, but b's has stood long enough: agreement needs the oldest to stand.
    assertThat(((ApplyResult.Applied) result).events())
        .extracting(ControlEvent::type)
        .contains(ControlEvent.MEMBER_REMOVED);
  }

  @Test
  void observations_oneObserver_noRemovalWhereOthersExist() {
    admitThree();
    report(suspect("id-b", "id-a"));

    for (int i = 0; i < 30; i++) {
      log.apply(new ControlCommand.Tick());
    }

    assertThat(log.state.view().members()).hasSize(3);
    assertThat(log.state.view().epoch()).isEqualTo(4);
  }

  @Test
  void observations_byNonMembers_ignored() {
    admitThree();

    report(suspect("id-b", "id-a"), suspect("id-x", "id-a"), suspect("id-a", "id-a"));
    log.apply(new ControlCommand.Tick());
    log.apply(new ControlCommand.Tick());

    assertThat(log.state.view().members()).hasSize(3);
  }

  @Test
  void removal_forgetsTheRemovedObserversSuspicions() {
    admitThree();
    log.apply(admit("id-d", "d"));
    report(suspect("id-b", "id-a"), suspect("id-c", "id-a"));

    log.apply(remove("id-c", RemovalReason.LEFT)); // c's suspicion goes with it
    log.apply(new ControlCommand.Tick());
    log.apply(new ControlCommand.Tick());

    assertThat(log.state.view().members())
        .extracting(ControlMember::name)
        .containsExactly("a", "b", "d");
  }

  @Test
  void tick_withoutSuspicions_changesNothing() {
    admitThree();
    ControlView before = log.state.view();

    ApplyResult tick = log.apply(new ControlCommand.Tick());

    assertThat(tick).isEqualTo(new ApplyResult.Applied(5, 4, List.of()));
    assertThat(ControlLog.withoutIndex(log.state.view()))
        .isEqualTo(ControlLog.withoutIndex(before));
  }
}
