package io.hivemind.core.control;

import static org.assertj.core.api.Assertions.assertThat;

import io.hivemind.core.partition.PartitionTable;
import java.util.List;
import org.junit.jupiter.api.Test;

class FollowerSubmitsTest {

  @Test
  void leaderOnlyCommands_refusedNamingTheCommand() {
    PartitionTable table = PartitionTable.empty(4, 0);
    List<ControlCommand> leaderOnly =
        List.of(
            new ControlCommand.Bootstrap("c", "development"),
            new ControlCommand.Tick(),
            new ControlCommand.CommitPartitionTable(table, List.of()),
            new ControlCommand.Batch(List.of(new ControlCommand.KvDelete("k", false, 0))));

    for (ControlCommand command : leaderOnly) {
      assertThat(FollowerSubmits.refusal(command))
          .hasValueSatisfying(
              why ->
                  assertThat(why)
                      .contains(command.getClass().getSimpleName())
                      .contains("only the leader"));
    }
  }

  @Test
  void whatAgentsSubmit_accepted() {
    List<ControlCommand> agents =
        List.of(
            new ControlCommand.KvSet("k", new byte[] {1}, 0, 0),
            new ControlCommand.KvDelete("k", false, 0),
            new ControlCommand.RemoveMember("id-a", RemovalReason.LEFT, List.of()),
            new ControlCommand.DrainMember("id-a"),
            new ControlCommand.ReportObservations(List.of()),
            new ControlCommand.CompleteMoves(3, List.of()),
            new ControlCommand.AppendEvent("deploy", "id-a", new byte[0]));

    for (ControlCommand command : agents) {
      assertThat(FollowerSubmits.refusal(command)).as(command.toString()).isEmpty();
    }
  }
}
