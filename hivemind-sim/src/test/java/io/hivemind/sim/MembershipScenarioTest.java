package io.hivemind.sim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class MembershipScenarioTest {

  private static MembershipScenario.Builder busyScenario(long seed) {
    return MembershipScenario.builder()
        .nodes(60)
        .loss(0.05)
        .latency(Latency.between(1, 5))
        .durationMillis(90_000)
        .crash(2)
        .slow(1)
        .partition(new PartitionWindow(50_000, 20_000))
        .seed(seed);
  }

  @Test
  void run_sameSeedTwice_identicalReport() {
    MembershipReport first = busyScenario(11).build().run();
    MembershipReport second = busyScenario(11).build().run();

    assertThat(second.withoutSpeed()).as("seed 11").isEqualTo(first.withoutSpeed());
  }

  @Test
  void run_otherSeed_otherRun() {
    MembershipReport first = busyScenario(11).build().run();
    MembershipReport second = busyScenario(12).build().run();

    assertThat(second.traffic()).as("seeds 11 and 12").isNotEqualTo(first.traffic());
  }

  @Test
  void run_crashes_measuresJoinLateJoinAndDetection() {
    MembershipReport report =
        MembershipScenario.builder()
            .nodes(100)
            .crash(3)
            .durationMillis(60_000)
            .seed(13)
            .build()
            .run();

    assertThat(report.join().converged()).as("seed 13").isEqualTo(98);
    assertThat(report.join().fullViewMillis()).as("seed 13").isPresent();
    assertThat(report.join().lateJoinMillis()).as("seed 13").isPresent();
    assertThat(report.crash().crashed()).isEqualTo(3);
    assertThat(report.crash().detected()).as("seed 13: crashes DEAD everywhere").isEqualTo(3);
    assertThat(report.crash().firstSuspicion().maxMillis())
        .as("seed 13: suspicion precedes death")
        .isLessThanOrEqualTo(report.crash().deadEverywhere().maxMillis());
    assertThat(report.falsePositives().deadEvents()).as("seed 13").isZero();
    assertThat(report.viewsAgreeAtEnd()).as("seed 13").isTrue();
    assertThat(report.steady()).isPresent();
    assertThat(report.traffic().packets()).isPositive();
  }

  @Test
  void build_crashLeavingNoHealthyNode_isRefusedWithTheNumbers() {
    assertThatThrownBy(() -> MembershipScenario.builder().nodes(5).crash(4).build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("at most 3 of 5");
  }
}
