package io.hivemind.server.http;

import static io.hivemind.server.http.ApiCalls.assertError;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.hivemind.core.control.ApplyResult;
import io.hivemind.core.control.ControlCommand;
import io.hivemind.core.control.ControlMember;
import io.hivemind.core.membership.Address;
import io.hivemind.server.http.ApiConnection.Answer;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Status, operator and catalog endpoints against an in-memory control plane (a healthy one, then
 * degraded); the same endpoints without any control plane: {@link ControlHandlersTest}.
 */
class ControlPlaneHandlersTest {

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
  void leader_theLeadersRaftAddress_emptyWhenDegraded() {
    assertThat(calls.get("/v1/status/leader").body()).isEqualTo("\"10.0.0.1:7362\"");

    plane.degraded = true;

    assertThat(calls.get("/v1/status/leader").body()).isEqualTo("\"\"");
  }

  @Test
  void peers_votersOnly() {
    assertThat(calls.get("/v1/status/peers").body())
        .isEqualTo("[\"10.0.0.1:7362\",\"10.0.0.2:7362\"]");
  }

  @Test
  void raftConfiguration_consulShape() {
    Answer answer = calls.get("/v1/operator/raft/configuration");

    assertThat(answer.body())
        .isEqualTo(
            "{\"Servers\":["
                + "{\"ID\":\"node-1\",\"Node\":\"node-1\",\"Address\":\"10.0.0.1:7362\","
                + "\"Leader\":true,\"Voter\":true,\"ProtocolVersion\":\"3\"},"
                + "{\"ID\":\"node-2\",\"Node\":\"node-2\",\"Address\":\"10.0.0.2:7362\","
                + "\"Leader\":false,\"Voter\":true,\"ProtocolVersion\":\"3\"},"
                + "{\"ID\":\"node-3\",\"Node\":\"node-3\",\"Address\":\"10.0.0.3:7362\","
                + "\"Leader\":false,\"Voter\":false,\"ProtocolVersion\":\"3\"}],"
                + "\"Index\":"
                + plane.view().index()
                + "}");
  }

  @Test
  void controlStatus_healthy() throws IOException {
    JsonNode status = calls.get("/v1/control/status").json();

    assertThat(status.get("Degraded").asBoolean()).isFalse();
    assertThat(status.get("Leader").asText()).isEqualTo(MemoryControlPlane.LEADER);
    assertThat(status.get("Term").asLong()).isEqualTo(MemoryControlPlane.TERM);
    assertThat(status.get("CommitIndex").asLong()).isEqualTo(plane.view().index());
    assertThat(status.get("Cluster").asText()).isEqualTo("main");
    assertThat(status.get("Peers")).hasSize(3);
  }

  @Test
  void transferLeader_successAndRecorded() {
    Answer answer = calls.request("POST", "/v1/operator/raft/transfer-leader?id=node-2", "");

    assertThat(answer.status()).isEqualTo(200);
    assertThat(answer.body()).isEqualTo("{\"Success\":true}");
    assertThat(plane.transfers).containsExactly("node-2");
  }

  @Test
  void transferLeader_unknownPeer_400OperatorRefused() throws IOException {
    assertError(
        calls.request("POST", "/v1/operator/raft/transfer-leader?id=ghost", ""),
        400,
        "operator_refused");
  }

  @Test
  void removePeer_byIdOrAddress() throws IOException {
    assertThat(calls.request("DELETE", "/v1/operator/raft/peer?id=node-3", "").status())
        .isEqualTo(200);
    assertThat(calls.request("DELETE", "/v1/operator/raft/peer?address=10.0.0.2:7362", "").status())
        .isEqualTo(200);
    assertError(
        calls.request("DELETE", "/v1/operator/raft/peer?address=10.9.9.9:1", ""),
        404,
        "unknown_peer");

    assertThat(plane.removals).containsExactly("node-3", "node-2");
  }

  @Test
  void operator_degraded_503() throws IOException {
    plane.degraded = true;

    assertError(
        calls.request("POST", "/v1/operator/raft/transfer-leader?id=node-2", ""), 503, "no_quorum");
    assertError(calls.request("DELETE", "/v1/operator/raft/peer?id=node-2", ""), 503, "no_quorum");
    assertThat(plane.transfers).isEmpty();
  }

  @Test
  void catalogNodes_admittedMembersInConsulShape() throws IOException {
    ApplyResult admitted = admit("m-7", "web-1", "10.0.0.7", List.of("dns", "host"));
    assertThat(admitted).isInstanceOf(ApplyResult.Applied.class);

    Answer answer = calls.get("/v1/catalog/nodes");

    assertThat(answer.headers().get("X-Consul-Index")).isEqualTo("" + plane.view().index());
    JsonNode node = answer.json().get(0);
    assertThat(node.get("ID").asText()).isEqualTo("m-7");
    assertThat(node.get("Node").asText()).isEqualTo("web-1");
    assertThat(node.get("Address").asText()).isEqualTo("10.0.0.7");
    assertThat(node.get("Datacenter").asText()).isEqualTo("main");
    assertThat(node.get("TaggedAddresses").get("lan").asText()).isEqualTo("10.0.0.7");
    assertThat(node.get("Meta").get("roles").asText()).isEqualTo("dns,host");
    assertThat(node.get("CreateIndex").asLong()).isEqualTo(admitted.index());
  }

  @Test
  void catalogNodes_degraded_staleStillAnswers() throws IOException {
    admit("m-7", "web-1", "10.0.0.7", List.of());
    plane.degraded = true;

    assertError(calls.get("/v1/catalog/nodes"), 503, "no_quorum");
    assertThat(calls.get("/v1/catalog/nodes?stale").json().findValuesAsText("Node"))
        .containsExactly("web-1");
  }

  private ApplyResult admit(String id, String name, String host, List<String> roles) {
    return plane.apply(
        new ControlCommand.AdmitMember(
            new ControlMember(id, name, new Address(host, 7360), roles, "", "", 0, 0)));
  }
}
