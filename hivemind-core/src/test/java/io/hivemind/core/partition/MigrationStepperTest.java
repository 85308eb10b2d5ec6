package io.hivemind.core.partition;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class MigrationStepperTest {

  private final List<PartitionMember> members = Members.onHosts(6);
  private final PartitionTable before =
      PartitionAssigner.initial(members.subList(0, 5), 64, 1).table();
  private final PartitionTable after = PartitionAssigner.next(before, members).table();
  private final MigrationPlan plan = MigrationPlanner.plan(before, after);

  @Test
  void start_boundsMovesInFlightAndOnePerPartition() {
    MigrationStepper stepper = new MigrationStepper(plan, 4);

    List<PartitionMove> started = stepper.start();

    assertThat(started).hasSize(4);
    Set<Integer> partitions = new HashSet<>();
    started.forEach(m -> partitions.add(m.partition()));
    assertThat(partitions).hasSize(4);
    assertThat(stepper.start()).isEmpty();
  }

  @Test
  void complete_destinationReplacesSourceInOneStep_countNeverFalls() {
    MigrationStepper stepper = new MigrationStepper(plan, 3);
    while (!stepper.done()) {
      for (PartitionMove move : stepper.start()) {
        int before = stepper.replicaCount(move.partition());
        // In flight the destination is not yet a replica: the source still serves.
        assertThat(stepper.current().replicas().get(move.partition()))
            .doesNotContain(move.destination());
        stepper.complete(move);
        assertThat(stepper.replicaCount(move.partition())).isGreaterThanOrEqualTo(before);
      }
    }

    assertThat(stepper.current().replicas()).isEqualTo(after.replicas());
  }

  @Test
  void abort_putsTheMoveBackFirst() {
    MigrationStepper stepper = new MigrationStepper(plan, 1);
    PartitionMove first = stepper.start().get(0);

    stepper.abort(first);

    assertThat(stepper.inFlight()).isEmpty();
    assertThat(stepper.start()).containsExactly(first);
  }

  @Test
  void complete_moveNotInFlight_refused() {
    MigrationStepper stepper = new MigrationStepper(plan, 1);
    PartitionMove move = plan.moves().get(plan.moves().size() - 1);

    assertThatThrownBy(() -> stepper.complete(move)).hasMessageContaining("not in flight");
    assertThatThrownBy(() -> new MigrationStepper(plan, 0)).hasMessageContaining(">= 1");
  }

  @Test
  void newStepper_roleChangesOnlyTakeEffectAtOnce() {
    PartitionTable from =
        MigrationPlannerTest.table(
            members, List.of(List.of("m000", "m001"), List.of("m002", "m003")));
    PartitionTable to =
        MigrationPlannerTest.table(
            members, List.of(List.of("m001", "m000"), List.of("m002", "m003")));

    MigrationStepper stepper = new MigrationStepper(MigrationPlanner.plan(from, to), 1);

    assertThat(stepper.done()).isTrue();
    assertThat(stepper.current().replicas()).isEqualTo(to.replicas());
  }
}
