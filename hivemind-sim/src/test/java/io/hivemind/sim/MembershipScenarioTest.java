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
    assertThat(report.afterLateJoin()).isPresent();
    assertThat(report.steady()).isPresent();
    assertThat(report.traffic().packets()).isPositive();
  }

  private static MembershipReport joinOver(long joinWindowMillis) {
    return MembershipScenario.builder()
        .nodes(500)
        .joinWindowMillis(joinWindowMillis)
        .durationMillis(90_000)
        .seed(1)
        .build()
        .run();
  }

  /**
   * 500 nodes joining within 5 s leave every broadcast queue backlogged for seconds after the views
   * agree, so traffic counted from the late join is about twice that of a 20 s rolling start (seed
   * 1: 371 against 155 B/node/s). The steady window starts once the queues have drained and then
   * shows the same cost of running, whatever the start (138 against 155 B/node/s).
   */
  @Test
  void steady_joinStormOrRollingStart_windowStartsAfterTheBacklogAndShowsTheSameCost() {
    MembershipReport storm = joinOver(5_000);
    MembershipReport rolling = joinOver(20_000);

    MembershipReport.Rates stormSteady = storm.steady().orElseThrow();
    MembershipReport.Rates rollingSteady = rolling.steady().orElseThrow();
    assertThat(stormSteady.fromMillis())
        .as("seed 1: the storm's steady window starts after its backlog, not at the late join")
        .isGreaterThan(storm.afterLateJoin().orElseThrow().fromMillis());
    assertThat(storm.afterLateJoin().orElseThrow().bytesPerNodeSecond())
        .as("seed 1: counted from the late join, the storm's backlog shows")
        .isGreaterThan(1.5 * rolling.afterLateJoin().orElseThrow().bytesPerNodeSecond());
    assertThat(stormSteady.bytesPerNodeSecond() / rollingSteady.bytesPerNodeSecond())
        .as("seed 1: steady bytes/node/s after a 5 s and a 20 s join window")
        .isBetween(1 / 1.5, 1.5);
  }

  @Test
  void steady_runEndsBeforeTheQueuesStayDrained_noSteadyWindow() {
    MembershipReport report =
        MembershipScenario.builder().nodes(200).durationMillis(12_000).seed(1).build().run();

    assertThat(report.afterLateJoin()).as("seed 1: the late join happened").isPresent();
    assertThat(report.steady())
        .as("seed 1: queues cannot have stayed drained for 10 s before the end")
        .isEmpty();
  }

  @Test
  void build_crashLeavingNoHealthyNode_isRefusedWithTheNumbers() {
    assertThatThrownBy(() -> MembershipScenario.builder().nodes(5).crash(4).build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("at most 3 of 5");
  }
}
