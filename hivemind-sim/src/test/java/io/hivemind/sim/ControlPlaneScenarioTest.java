package io.hivemind.sim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.hivemind.core.control.RemovalPolicy;
import org.junit.jupiter.api.Test;

/** The modelled control plane (issue 10) deciding removals with the real rule, on small seeds. */
class ControlPlaneScenarioTest {

  private static MembershipScenario.Builder controlled(int nodes, long seed) {
    return MembershipScenario.builder()
        .nodes(nodes)
        .loss(0.05)
        .durationMillis(45_000)
        .seed(seed)
        .control(ControlModel.DEFAULT);
  }

  private static ControlFigures control(MembershipReport report) {
    return report.control().orElseThrow();
  }

  @Test
  void crashedNodes_areRemovedByAgreement_andEveryNodeAppliesIt() {
    for (long seed = 1; seed <= 2; seed++) {
      ControlFigures c =
          control(controlled(30, seed).crash(3).durationMillis(30_000).build().run());

      assertThat(c.crashedRemoved()).as("seed %d: crashed nodes removed", seed).isEqualTo(3);
      assertThat(c.healthyRemoved()).as("seed %d: healthy nodes removed", seed).isEmpty();
      assertThat(c.removals()).as("seed %d: nothing else removed", seed).isEqualTo(3);
      assertThat(c.allHoldCommittedView()).as("seed %d", seed).isTrue();
      assertThat(c.gossipDisagreements())
          .as("seed %d: every gossip table has the removed nodes DEAD", seed)
          .isZero();
    }
  }

  @Test
  void slowNodes_areRemovedAtMostOnce_andNoHealthyNodeIsRemoved() {
    for (long seed = 1; seed <= 2; seed++) {
      MembershipReport report =
          controlled(30, seed).slow(2).slowDelayMillis(2_000).durationMillis(60_000).build().run();
      ControlFigures c = control(report);

      assertThat(c.healthyRemoved()).as("seed %d: healthy nodes removed", seed).isEmpty();
      assertThat(c.maxViewChangesPerSlowNode()).as("seed %d", seed).isLessThanOrEqualTo(1);
      assertThat(c.removals()).as("seed %d", seed).isEqualTo(c.slowRemoved());
      assertThat(c.allHoldCommittedView()).as("seed %d", seed).isTrue();
    }
  }

  /**
   * A slow observer fails the probes it sends and reports healthy members as suspects; alone, it is
   * never agreement, so none of them is removed.
   */
  @Test
  void slowObserver_aloneSuspectingHealthyMembers_removesNobodyHealthy() {
    ControlFigures c =
        control(
            controlled(30, 7).slow(1).slowDelayMillis(2_000).durationMillis(60_000).build().run());

    assertThat(c.observations()).as("seed 7: verdicts were reported").isPositive();
    assertThat(c.healthyRemoved()).as("seed 7").isEmpty();
  }

  @Test
  void singleObserverPolicy_isRefused() {
    assertThatThrownBy(() -> new RemovalPolicy(1_000, 10_000, 1, 2))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void withoutControl_noControlFigures_andNoExtraProbes() {
    MembershipScenario scenario = MembershipScenario.builder().nodes(20).seed(1).build();

    assertThat(scenario.config().confirmationProbes()).isZero();
    assertThat(scenario.run().control()).isEmpty();
    assertThat(controlled(20, 1).build().config().confirmationProbes())
        .isEqualTo(ControlModel.DEFAULT_CONFIRMATION_PROBES);
  }

  @Test
  void run_sameSeedTwice_identicalControlFigures() {
    MembershipReport first = controlled(30, 3).crash(2).durationMillis(30_000).build().run();
    MembershipReport second = controlled(30, 3).crash(2).durationMillis(30_000).build().run();

    assertThat(second.withoutSpeed()).as("seed 3").isEqualTo(first.withoutSpeed());
  }
}
