package io.hivemind.sim.partition;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class PartitionSimTest {

  private static PartitionReport run(int nodes, int zones, String events, long seed) {
    PartitionScenario scenario =
        new PartitionScenario(nodes, 1024, 1, zones, PartitionEvent.parseList(events), 8, seed);
    return new PartitionSim(scenario, () -> 0L).run();
  }

  @Test
  void run_sameSeed_sameReport() {
    PartitionReport a = run(40, 3, "join:2,leave:2,crash:2", 5);
    PartitionReport b = run(40, 3, "join:2,leave:2,crash:2", 5);

    assertThat(b).isEqualTo(a);
    assertThat(b.text()).isEqualTo(a.text());
  }

  @Test
  void run_joinsLeavesCrashes_nearTheMinimumAndOnTarget() {
    PartitionReport report = run(100, 0, "join:3,leave:3,crash:3", 1);

    assertThat(report.migrationsConverged()).isTrue();
    for (PartitionEvent kind : PartitionEvent.values()) {
      assertThat(report.totals(kind).events()).isEqualTo(3);
      assertThat(report.totals(kind).ratio()).as(kind.name()).isLessThanOrEqualTo(1.05);
    }
    assertThat(report.totals(PartitionEvent.JOIN).promotions()).isZero();
    assertThat(report.totals(PartitionEvent.CRASH).promotions()).isPositive();
    assertThat(report.last().underReplicated()).isZero();
    assertThat(report.text()).contains("crash x3: copied").contains("every migration converged");
  }

  @Test
  void parseList_repeatsAndPlurals() {
    assertThat(PartitionEvent.parseList("joins,crash:2, leave"))
        .containsExactly(
            PartitionEvent.JOIN, PartitionEvent.CRASH, PartitionEvent.CRASH, PartitionEvent.LEAVE);
  }

  @Test
  void badInput_clearErrors() {
    assertThatThrownBy(() -> PartitionEvent.parseList("join,explode"))
        .hasMessageContaining("'explode'");
    assertThatThrownBy(() -> PartitionEvent.parseList("crash:0")).hasMessageContaining("positive");
    assertThatThrownBy(
            () ->
                new PartitionScenario(
                    2, 16, 1, 0, List.of(PartitionEvent.CRASH, PartitionEvent.LEAVE), 1, 1))
        .hasMessageContaining("remove every member");
  }
}
