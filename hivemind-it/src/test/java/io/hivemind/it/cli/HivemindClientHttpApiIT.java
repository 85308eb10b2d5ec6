package io.hivemind.it.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.hivemind.api.AgentMember;
import io.hivemind.api.AgentSelf;
import io.hivemind.api.Environment;
import io.hivemind.api.MemberState;
import io.hivemind.client.HivemindClient;
import io.hivemind.client.HivemindClientException;
import io.hivemind.client.HivemindJson;
import io.hivemind.core.membership.Address;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse.BodyHandlers;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The client library against the real HTTP API (lives here because hivemind-cli depends on both):
 * the server's JSON and the client's records agree, and agent errors reach the caller intact.
 */
class HivemindClientHttpApiIT {

  @RegisterExtension final CliRun run = new CliRun();
  private HivemindClient client;

  @BeforeEach
  void connect() {
    client = HivemindClient.connect(run.api.uri());
  }

  @Test
  void members_everyFieldRead() {
    List<AgentMember> members = client.members();

    assertThat(members)
        .extracting(AgentMember::name)
        .containsExactly("node-1", "node-2", "node-3", "node-4");
    assertThat(members.get(0))
        .isEqualTo(
            new AgentMember(
                "node-1",
                "10.0.0.1",
                7360,
                Map.of(
                    "dc", "main",
                    "env", "development",
                    "rack", "r1",
                    "role", "catalog,control",
                    "zone", "zone-a"),
                AgentMember.STATUS_ALIVE,
                1,
                1,
                1,
                2,
                5,
                4,
                MemberState.ALIVE,
                3,
                List.of("catalog", "control"),
                "zone-a",
                Environment.DEVELOPMENT));
    assertThat(members)
        .extracting(AgentMember::status)
        .containsExactly(1, 1, AgentMember.STATUS_FAILED, AgentMember.STATUS_LEFT);
  }

  @Test
  void membersOfState_filteredByTheAgent() {
    assertThat(client.members(MemberState.SUSPECT))
        .extracting(AgentMember::name)
        .containsExactly("node-2");
  }

  @Test
  void self_configMemberAndStats() {
    AgentSelf self = client.self();

    assertThat(self.config().nodeName()).isEqualTo("node-1");
    assertThat(self.config().datacenter()).isEqualTo("main");
    assertThat(self.config().version()).isEqualTo(CliRun.AGENT_VERSION);
    assertThat(self.config().environment()).isEqualTo(Environment.DEVELOPMENT);
    assertThat(self.config().roles()).containsExactly("catalog", "control");
    assertThat(self.member().name()).isEqualTo("node-1");
    assertThat(self.stats().members()).isEqualTo(4);
    assertThat(self.stats().suspect()).isEqualTo(1);
    assertThat(self.stats().counters()).containsEntry("packets_sent", 42L);
  }

  @Test
  void clientJson_writesWhatTheServerWrote() throws Exception {
    String served =
        HttpClient.newHttpClient()
            .send(
                HttpRequest.newBuilder(URI.create(run.api.uri() + "/v1/agent/self")).build(),
                BodyHandlers.ofString())
            .body();
    ObjectMapper mapper = HivemindJson.newMapper();

    String rewritten = mapper.writeValueAsString(mapper.readValue(served, AgentSelf.class));

    assertThat(rewritten).isEqualTo(served);
  }

  @Test
  void join_defaultPortAppliedByTheAgent() {
    client.join("10.0.0.9");

    assertThat(run.agent.joins).containsExactly(List.of(new Address("10.0.0.9", 7360)));
  }

  @Test
  void join_badAddress_agentsCodeAndSentence() {
    assertThatThrownBy(() -> client.join("10.0.0.9:99999"))
        .isInstanceOfSatisfying(
            HivemindClientException.class,
            e -> {
              assertThat(e.code()).isEqualTo("bad_address");
              assertThat(e.httpStatus()).isEqualTo(400);
              assertThat(e.getMessage())
                  .isEqualTo(
                      "'10.0.0.9:99999' is not a join address: the port must be a number in"
                          + " 1..65535");
            });
  }

  @Test
  void join_addressWithSlashesAndSpaces_stillOneSegment() {
    assertThatThrownBy(() -> client.join("a/b c"))
        .isInstanceOf(HivemindClientException.class)
        .hasMessage("'a/b c' is not a join address: the host must be a name or an IP address");
  }

  @Test
  void leave_failure_leaveFailed() {
    run.agent.leaveResult = CompletableFuture.failedFuture(new IllegalStateException("stuck"));

    assertThatThrownBy(() -> client.leave())
        .isInstanceOfSatisfying(
            HivemindClientException.class,
            e -> {
              assertThat(e.code()).isEqualTo("leave_failed");
              assertThat(e.httpStatus()).isEqualTo(500);
              assertThat(e.getMessage()).isEqualTo("leave failed: stuck");
            });
  }

  @Test
  void metrics_prometheusText() {
    assertThat(client.metrics()).isEqualTo(run.agent.prometheusScrape());
  }
}
