package io.hivemind.core.control;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.hivemind.core.control.BootstrapPlan.Candidate;
import io.hivemind.core.control.BootstrapPlan.Form;
import io.hivemind.core.control.BootstrapPlan.Join;
import io.hivemind.core.control.BootstrapPlan.Recover;
import io.hivemind.core.control.BootstrapPlan.Wait;
import java.util.List;
import org.junit.jupiter.api.Test;

class BootstrapPlanTest {

  private static Candidate fresh(String name) {
    return new Candidate(name, "127.0.0.1:" + (7000 + name.charAt(0)), false);
  }

  private static Candidate formed(String name) {
    return new Candidate(name, "127.0.0.1:" + (7000 + name.charAt(0)), true);
  }

  private static Candidate formedWith(String name, String voters) {
    return new Candidate(
        name, "127.0.0.1:" + (7000 + name.charAt(0)), true, BootstrapPlan.parseVotersTag(voters));
  }

  @Test
  void fewerThanExpected_waits() {
    var decision = BootstrapPlan.decide(3, "a", false, List.of(fresh("a"), fresh("b")));

    assertThat(decision).isInstanceOf(Wait.class);
    assertThat(((Wait) decision).why()).contains("2 of 3");
  }

  @Test
  void expectedCountVisible_theFirstByNameFormsWithEveryoneSortedByName_theOthersWaitForIt() {
    List<Candidate> visible = List.of(fresh("c"), fresh("a"), fresh("b"));

    assertThat(BootstrapPlan.decide(3, "a", false, visible))
        .isEqualTo(new Form(List.of(fresh("a"), fresh("b"), fresh("c"))));
    var second = BootstrapPlan.decide(3, "b", false, visible);
    assertThat(second).isInstanceOf(Wait.class);
    assertThat(((Wait) second).why()).contains("a, the first control node by name");
  }

  @Test
  void moreThanExpected_firstByNameForm_andTheOthersWait() {
    List<Candidate> visible = List.of(fresh("d"), fresh("c"), fresh("b"), fresh("a"));

    assertThat(BootstrapPlan.decide(3, "a", false, visible))
        .isEqualTo(new Form(List.of(fresh("a"), fresh("b"), fresh("c"))));
    assertThat(BootstrapPlan.decide(3, "d", false, visible)).isInstanceOf(Wait.class);
  }

  @Test
  void everyNodeSeeingTheSameMembers_picksTheSameVoters_theLaterOnesFromTheFirstsTag() {
    List<Candidate> visible = List.of(fresh("n3"), fresh("n1"), fresh("n2"));

    var fromN1 = BootstrapPlan.decide(3, "n1", false, visible);
    Candidate n1Formed = formedWith("n1", "n1,n2,n3");
    var fromN3 = BootstrapPlan.decide(3, "n3", false, List.of(n1Formed, fresh("n2"), fresh("n3")));

    assertThat(fromN1).isEqualTo(new Form(List.of(fresh("n1"), fresh("n2"), fresh("n3"))));
    assertThat(fromN3).isEqualTo(new Form(List.of(n1Formed, fresh("n2"), fresh("n3"))));
  }

  /**
   * Two formed members naming different voter sets (formed from two different views): following
   * either could give each set its own majority, two leaders in one group. Such a node joins.
   */
  @Test
  void formedMembersNamingDifferentVoters_join() {
    Candidate a = formedWith("a", "a,b,d");
    Candidate b = formedWith("b", "a,b,c");

    assertThat(BootstrapPlan.decide(3, "c", false, List.of(a, b, fresh("c"), fresh("d"))))
        .isEqualTo(new Join(List.of(a, b)));
    assertThat(BootstrapPlan.decide(3, "d", false, List.of(a, b, fresh("c"), fresh("d"))))
        .isEqualTo(new Join(List.of(a, b)));
  }

  @Test
  void aFormedMemberOutsideTheAdvertisedVoters_makesTheNodeJoin() {
    Candidate a = formedWith("a", "a,b,c");
    Candidate z = formed("z"); // joined the group later: no voters tag

    assertThat(BootstrapPlan.decide(3, "b", false, List.of(a, fresh("b"), fresh("c"), z)))
        .isEqualTo(new Join(List.of(a, z)));
  }

  @Test
  void namesTooLongForTheVotersTag_everyVoterFormsFromItsOwnView() {
    String longA = "a".repeat(60);
    String longB = "b".repeat(60);
    String longC = "c".repeat(60);
    List<Candidate> visible = List.of(fresh(longA), fresh(longB), fresh(longC));

    assertThat(BootstrapPlan.votersTag(List.of(longA, longB, longC))).isEmpty();
    assertThat(BootstrapPlan.decide(3, longB, false, visible)).isEqualTo(new Form(visible));
  }

  @Test
  void aFormedMemberVisible_joinsInsteadOfFormingASecondGroup() {
    var decision =
        BootstrapPlan.decide(
            3, "a", false, List.of(fresh("a"), fresh("b"), fresh("c"), formed("z"), formed("y")));

    assertThat(decision).isEqualTo(new Join(List.of(formed("y"), formed("z"))));
  }

  /**
   * The CI deadlock: "a" formed with a, b, c and advertised it before b had seen all three. Had b
   * joined (no peers), it would reject a's votes (a candidate outside its configuration), and with
   * c doing the same no leader could ever be elected.
   */
  @Test
  void aVoterTheFormedGroupWasFormedWith_formsWithExactlyThoseVoters_evenBeforeSeeingEnough() {
    Candidate a = formedWith("a", "a,b,c");
    var decision = BootstrapPlan.decide(3, "b", false, List.of(a, fresh("b"), fresh("c")));

    assertThat(decision).isEqualTo(new Form(List.of(a, fresh("b"), fresh("c"))));
    // Every voter forms the same group: c's decision names the same voters.
    assertThat(BootstrapPlan.decide(3, "c", false, List.of(fresh("c"), fresh("b"), a)))
        .isEqualTo(decision);
  }

  @Test
  void aVoterTheFormedGroupWasFormedWith_waitsUntilItSeesEveryVoter() {
    var decision =
        BootstrapPlan.decide(3, "b", false, List.of(formedWith("a", "a,b,c"), fresh("b")));

    assertThat(decision).isInstanceOf(Wait.class);
    assertThat(((Wait) decision).why()).contains("voter c");
  }

  @Test
  void aNodeTheFormedGroupWasNotFormedWith_joins() {
    Candidate a = formedWith("a", "a,b,c");
    var decision =
        BootstrapPlan.decide(3, "0", false, List.of(fresh("0"), a, fresh("b"), fresh("c")));

    assertThat(decision).isEqualTo(new Join(List.of(a)));
  }

  @Test
  void votersTag_roundTrips_andAnOversizedOrBlankOneSaysNothing() {
    String tag = BootstrapPlan.votersTag(List.of("c", "a", "b"));

    assertThat(tag).isEqualTo("a,b,c");
    assertThat(BootstrapPlan.parseVotersTag(tag)).containsExactly("a", "b", "c");
    assertThat(BootstrapPlan.parseVotersTag(" a , ,b ")).containsExactly("a", "b");
    assertThat(BootstrapPlan.parseVotersTag(null)).isEmpty();
    assertThat(BootstrapPlan.parseVotersTag("")).isEmpty();
    assertThat(BootstrapPlan.parseVotersTag("a,b,c,d,e,f,g,h,i,j")).isEmpty();
    assertThat(BootstrapPlan.parseVotersTag("a,b,c,d,e,f,g,h,i")).hasSize(9);
  }

  @Test
  void existingRaftStorage_recovers_evenWhenItCouldForm() {
    var decision = BootstrapPlan.decide(1, "a", true, List.of(fresh("a")));

    assertThat(decision).isEqualTo(new Recover());
  }

  @Test
  void localNodeNotVisibleYet_waits() {
    var decision = BootstrapPlan.decide(2, "a", false, List.of(fresh("b"), fresh("c")));

    assertThat(decision).isInstanceOf(Wait.class);
  }

  @Test
  void oneExpected_formsAlone() {
    assertThat(BootstrapPlan.decide(1, "dev", false, List.of(fresh("dev"))))
        .isEqualTo(new Form(List.of(fresh("dev"))));
  }

  @Test
  void duplicateNames_countOnce() {
    var decision = BootstrapPlan.decide(3, "a", false, List.of(fresh("a"), fresh("b"), fresh("b")));

    assertThat(decision).isInstanceOf(Wait.class);
  }

  @Test
  void localNodeAdvertisingFormed_withoutStorage_doesNotJoinItself() {
    var decision = BootstrapPlan.decide(1, "a", false, List.of(formed("a")));

    assertThat(decision).isEqualTo(new Form(List.of(formed("a"))));
  }

  @Test
  void expectBelowOne_isRefused() {
    assertThatThrownBy(() -> BootstrapPlan.decide(0, "a", false, List.of()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("0");
  }
}
