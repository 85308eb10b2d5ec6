package io.hivemind.core.control;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class VoterPlanTest {

  @Test
  void deadVoter_isReplacedByALiveControlMember() {
    var plan =
        VoterPlan.plan(
            List.of("a", "b", "c"), List.of("a", "b", "c", "d"), Set.of("a", "b", "d"), 3);

    assertThat(plan.voters()).containsExactly("a", "b", "d");
    assertThat(plan.add()).containsExactly("d");
    assertThat(plan.remove()).containsExactly("c");
  }

  @Test
  void deadVoter_withoutAReplacement_keepsItsSeat() {
    var plan = VoterPlan.plan(List.of("a", "b", "c"), List.of("a", "b", "c"), Set.of("a", "b"), 3);

    assertThat(plan.unchanged()).isTrue();
    assertThat(plan.voters()).containsExactly("a", "b", "c");
  }

  @Test
  void voterNoLongerACommittedMember_leaves_andTheEvenRemainderVotesAsOne() {
    var plan = VoterPlan.plan(List.of("a", "b", "c"), List.of("a", "b"), Set.of("a", "b"), 3);

    assertThat(plan.voters()).containsExactly("a");
    assertThat(plan.remove()).containsExactly("b", "c");
  }

  @Test
  void oneVoter_growsToThree_asControlMembersAreAdmitted() {
    var plan = VoterPlan.plan(List.of("a"), List.of("a", "b", "c"), Set.of("a", "b", "c"), 3);

    assertThat(plan.add()).containsExactly("b", "c");
    assertThat(plan.remove()).isEmpty();
  }

  @Test
  void fourCandidates_withTargetFive_voteAsThree() {
    var plan =
        VoterPlan.plan(
            List.of("a", "b", "c"), List.of("a", "b", "c", "d"), Set.of("a", "b", "c", "d"), 5);

    assertThat(plan.unchanged()).isTrue();
  }

  @Test
  void fiveCandidates_withTargetFive_addTwo() {
    var all = List.of("a", "b", "c", "d", "e");
    var plan = VoterPlan.plan(List.of("a", "b", "c"), all, Set.copyOf(all), 5);

    assertThat(plan.voters()).containsExactlyElementsOf(all);
    assertThat(plan.add()).containsExactly("d", "e");
  }

  @Test
  void tooManyLiveVoters_highestNamesLeave() {
    var all = List.of("a", "b", "c", "d", "e");
    var plan = VoterPlan.plan(all, all, Set.copyOf(all), 3);

    assertThat(plan.voters()).containsExactly("a", "b", "c");
    assertThat(plan.remove()).containsExactly("d", "e");
  }

  @Test
  void nobodyAlive_changesNothing() {
    var plan = VoterPlan.plan(List.of("a", "b", "c"), List.of("a", "b", "c"), Set.of(), 3);

    assertThat(plan.unchanged()).isTrue();
  }

  @Test
  void healthyGroup_isUnchanged() {
    var all = List.of("a", "b", "c");
    assertThat(VoterPlan.plan(all, all, Set.copyOf(all), 3).unchanged()).isTrue();
  }

  @Test
  void targetOtherThanThreeOrFive_isRefused() {
    assertThatThrownBy(() -> VoterPlan.plan(List.of(), List.of(), Set.of(), 4))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("4");
  }
}
