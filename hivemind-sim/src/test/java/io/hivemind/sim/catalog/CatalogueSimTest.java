package io.hivemind.sim.catalog;

import static org.assertj.core.api.Assertions.assertThat;

import io.hivemind.sim.Latency;
import io.hivemind.sim.PartitionWindow;
import org.junit.jupiter.api.Test;

class CatalogueSimTest {

  // Sizes do not change what the replicas do; the wire codec's sizes are used by the CLI.
  private static final int FIXED_SIZE = 100;

  private static CatalogueScenario scenario(
      int nodes, double loss, int crashes, PartitionWindow partition, long seed) {
    return new CatalogueScenario(
        nodes,
        3,
        200,
        20,
        20_000,
        Latency.between(1, 2),
        loss,
        crashes,
        3_000,
        partition,
        5_000,
        seed);
  }

  private static CatalogueReport run(CatalogueScenario scenario) {
    return new CatalogueSim(scenario, message -> FIXED_SIZE).run();
  }

  @Test
  void run_quietLan_everyChangeVisibleEverywhereWithinAFewHops() {
    CatalogueReport report = run(scenario(50, 0, 0, null, 1));

    assertThat(report.converged()).isTrue();
    assertThat(report.visibility().count()).isEqualTo(report.changes()).isPositive();
    // Owner → control node → control peers → their followers: three links of at most 2 ms.
    assertThat(report.visibility().maxMillis()).isLessThanOrEqualTo(6);
  }

  @Test
  void run_sameSeed_sameReport() {
    assertThat(run(scenario(30, 0.05, 1, null, 7))).isEqualTo(run(scenario(30, 0.05, 1, null, 7)));
  }

  @Test
  void run_lossDelaysButNeverDropsAChange() {
    CatalogueReport report = run(scenario(50, 0.05, 0, null, 2));

    assertThat(report.converged()).isTrue();
    assertThat(report.visibility().p99Millis()).isGreaterThanOrEqualTo(200);
    assertThat(report.visibility().count()).isEqualTo(report.changes());
  }

  /**
   * Lossy links under a steady load: a peer's digest is often behind on a busy owner whose changes
   * are still in flight, and the answer leaves its state out (the agents' rule, {@code
   * DigestRepair}); every change still reaches every replica.
   */
  @Test
  void run_steadyLoadWithLoss_defersRepairsOfChangesInFlight_andStillConverges() {
    CatalogueReport report = run(scenario(50, 0.05, 0, null, 5));

    assertThat(report.repairsDeferred()).isPositive();
    assertThat(report.converged()).isTrue();
    assertThat(report.visibility().count()).isEqualTo(report.changes());
  }

  @Test
  void run_partitionWithLoss_healsAlthoughLinksDeferRepairs() {
    CatalogueReport report = run(scenario(60, 0.05, 1, new PartitionWindow(5_000, 5_000), 6));

    assertThat(report.repairsDeferred()).isPositive();
    assertThat(report.converged()).isTrue();
    assertThat(report.healConvergenceMillis()).isBetween(0L, 5_000L + 2_000L);
  }

  @Test
  void run_crashedOwners_droppedEverywhereAtTheirRemoval() {
    CatalogueReport report = run(scenario(50, 0, 3, null, 3));

    assertThat(report.converged()).isTrue();
    assertThat(report.removedInstances()).isPositive();
  }

  @Test
  void run_partition_healsByDigestWithoutLosingEitherSidesChanges() {
    CatalogueReport report = run(scenario(60, 0, 0, new PartitionWindow(5_000, 5_000), 4));

    assertThat(report.converged()).isTrue();
    assertThat(report.healConvergenceMillis()).isBetween(0L, 5_000L + 1_000L);
  }

  @Test
  void run_partition_healsAtReconnectWithoutWaitingForThePeriodicDigest() {
    // Links exchange digests when they (re)connect, so the heal does not wait for the period.
    CatalogueScenario noRepair =
        new CatalogueScenario(
            60,
            3,
            200,
            20,
            20_000,
            Latency.between(1, 2),
            0,
            0,
            3_000,
            new PartitionWindow(5_000, 5_000),
            10_000_000,
            4);

    CatalogueReport report = run(noRepair);

    assertThat(report.converged()).isTrue();
    assertThat(report.healConvergenceMillis()).isBetween(0L, 100L);
  }
}
