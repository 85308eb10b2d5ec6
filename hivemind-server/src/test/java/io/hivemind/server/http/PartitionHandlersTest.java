package io.hivemind.server.http;

import static io.hivemind.server.http.ApiCalls.assertError;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.hivemind.core.control.ControlCommand;
import io.hivemind.core.control.ControlMember;
import io.hivemind.core.control.PartitionMembers;
import io.hivemind.core.membership.Address;
import io.hivemind.core.partition.PartitionAssigner;
import io.hivemind.core.partition.PartitionMove;
import io.hivemind.core.partition.PartitionTable;
import io.hivemind.server.http.ApiConnection.Answer;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * {@code GET /v1/partitions} over the API's real pipeline on an embedded connection, against an
 * in-memory control plane. No socket, no wall clock.
 */
class PartitionHandlersTest {

  private static final HttpApiConfig CONFIG =
      new HttpApiConfig(
          "127.0.0.1", 0, "1.2.3", Duration.ofSeconds(30), Duration.ofSeconds(30), 1024);

  private final StubAgent agent = new StubAgent();
  private final MemoryControlPlane plane = new MemoryControlPlane();
  private final ApiConnection connection =
      new ApiConnection(new ApiChannelInitializer(CONFIG, agent, new HttpApiStats()));
  private final ApiCalls calls = new ApiCalls(connection);

  {
    agent.control = plane;
  }

  @AfterEach
  void finish() {
    connection.close();
  }

  @Test
  void partitions_noneCommitted_404NoPartitionTable() throws IOException {
    assertError(calls.get("/v1/partitions"), 404, "no_partition_table");
  }

  @Test
  void partitions_committed_versionIndexCountsAndShares() throws IOException {
    PartitionTable table = commitTable();

    Answer answer = calls.get("/v1/partitions");

    assertThat(answer.status()).isEqualTo(200);
    JsonNode json = answer.json();
    assertThat(json.get("Version").asLong()).isEqualTo(1);
    assertThat(json.get("Index").asLong()).isEqualTo(plane.view().index());
    assertThat(json.get("PartitionCount").asInt()).isEqualTo(32);
    assertThat(json.get("Backups").asInt()).isEqualTo(1);
    assertThat(json.get("UnderReplicated").asInt()).isZero();
    assertThat(json.has("Partition")).isFalse();
    JsonNode members = json.get("Members");
    assertThat(members).hasSize(2);
    int owned = 0;
    for (JsonNode member : members) {
      long expected =
          table.replicas().stream().filter(r -> r.get(0).equals(member.get("ID").asText())).count();
      assertThat(member.get("Owned").asLong()).isEqualTo(expected);
      assertThat(member.get("Backups").asInt()).isEqualTo(32 - member.get("Owned").asInt());
      owned += member.get("Owned").asInt();
    }
    assertThat(owned).isEqualTo(32);
  }

  @Test
  void partitions_onePartition_itsReplicasOwnerFirst() throws IOException {
    PartitionTable table = commitTable();

    JsonNode partition = calls.get("/v1/partitions?partition=5").json().get("Partition");

    assertThat(partition.get("Partition").asInt()).isEqualTo(5);
    assertThat(partition.get("Replicas"))
        .extracting(JsonNode::asText)
        .containsExactlyElementsOf(table.replicas().get(5));
  }

  @Test
  void partitions_moveInFlightAndDrainingMember_shown() throws IOException {
    PartitionTable first = commitTable();
    admit("c");
    String source = first.replicas().get(5).get(1);
    PartitionTable second =
        new PartitionTable(
            2,
            32,
            1,
            PartitionMembers.of(plane.view().members()).stream()
                .sorted(java.util.Comparator.comparing(m -> m.id()))
                .toList(),
            first.replicas());
    plane.apply(
        new ControlCommand.CommitPartitionTable(
            second, List.of(new PartitionMove(5, 1, source, "id-c"))));
    plane.apply(new ControlCommand.DrainMember("id-a"));

    JsonNode json = calls.get("/v1/partitions?partition=5").json();

    assertThat(json.get("MovesInFlight").asInt()).isEqualTo(1);
    assertThat(json.get("Draining")).extracting(JsonNode::asText).containsExactly("id-a");
    JsonNode move = json.get("Partition").get("Moves").get(0);
    assertThat(move.get("Source").asText()).isEqualTo(source);
    assertThat(move.get("Destination").asText()).isEqualTo("id-c");
    assertThat(calls.get("/v1/partitions?partition=6").json().get("Partition").get("Moves"))
        .isEmpty();
  }

  @Test
  void partitions_badPartition_400NamingIt() throws IOException {
    commitTable();

    assertError(calls.get("/v1/partitions?partition=32"), 400, "bad_partition");
    assertError(calls.get("/v1/partitions?partition=-1"), 400, "bad_partition");
    assertError(calls.get("/v1/partitions?partition=x"), 400, "bad_partition");
    assertThat(connection.isOpen()).isTrue();
  }

  private PartitionTable commitTable() {
    admit("a");
    admit("b");
    PartitionTable table =
        PartitionAssigner.initial(PartitionMembers.of(plane.view().members()), 32, 1).table();
    plane.apply(new ControlCommand.CommitPartitionTable(table));
    return table;
  }

  private void admit(String name) {
    plane.apply(
        new ControlCommand.AdmitMember(
            new ControlMember(
                "id-" + name,
                name,
                new Address("127.0.0.1", 7946),
                List.of(),
                "",
                "host-" + name,
                0,
                0)));
  }
}
