package io.hivemind.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.hivemind.api.PartitionTableInfo;
import io.hivemind.api.PartitionTableInfo.PartitionMemberInfo;
import io.hivemind.api.PartitionTableInfo.PartitionReplicas;
import java.util.List;
import org.junit.jupiter.api.Test;

/** {@code hivemind partitions} as text and as JSON. */
class PartitionTextTest {

  private static final PartitionTableInfo TABLE =
      new PartitionTableInfo(
          3,
          42,
          16384,
          1,
          0,
          List.of(
              new PartitionMemberInfo("id-a", "10.0.0.1", "", 8192, 8192),
              new PartitionMemberInfo("id-b", "10.0.0.2", "", 8192, 8192)),
          new PartitionReplicas(
              7, List.of("id-b", "id-a"), List.of(new PartitionTableInfo.MoveInfo("id-a", "id-c"))),
          1,
          List.of("id-a"));

  @Test
  void table_figuresPartitionAndOneRowAMember() {
    String text = PartitionText.table(TABLE);

    assertThat(text)
        .contains("Version:           3")
        .contains("Committed at:      index 42")
        .contains("Partitions:        16384")
        .contains("Under-replicated:  0")
        .contains("Partition 7:       owner id-b, backups id-a")
        .contains("moving:          id-a -> id-c")
        .contains("Moves in flight:   1")
        .contains("Draining:          id-a");
    assertThat(text.lines().filter(l -> l.startsWith("id-"))).hasSize(2);
  }

  @Test
  void json_roundTripsThroughTheClientsMapper() throws Exception {
    String json = ControlText.json(TABLE);

    assertThat(json).contains("\"PartitionCount\" : 16384").contains("\"ID\" : \"id-a\"");
    assertThat(
            io.hivemind.client.HivemindJson.newMapper().readValue(json, PartitionTableInfo.class))
        .isEqualTo(TABLE);
  }
}
