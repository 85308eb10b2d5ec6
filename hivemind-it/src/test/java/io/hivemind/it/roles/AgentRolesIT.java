package io.hivemind.it.roles;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.hivemind.server.agent.Agent;
import io.hivemind.server.agent.AgentConfig;
import io.hivemind.server.agent.AgentSettings;
import io.hivemind.server.agent.ControlSettings;
import io.hivemind.testkit.FreePorts;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Roles plugged in from outside the server (this module's {@code META-INF/services}) run in a real
 * agent: started after the API with their context, stopped in reverse order when the agent closes;
 * a role that fails to start stops the agent, and its ports are free again.
 */
class AgentRolesIT {

  @TempDir Path dir;

  private AgentConfig config(String name, int http, List<String> roles) {
    return config(name, http, roles, null);
  }

  private AgentConfig config(String name, int http, List<String> roles, String joinToken) {
    AgentSettings settings =
        new AgentSettings(
            name,
            "testing",
            0,
            "it-roles",
            "127.0.0.1:0",
            null,
            "127.0.0.1:" + http,
            List.of(),
            roles,
            Map.of(),
            "",
            "local",
            List.of(),
            null,
            null,
            new ControlSettings(
                dir.resolve(name).toString(),
                null,
                joinToken,
                null,
                null,
                null,
                null,
                null,
                null,
                null));
    return AgentConfig.resolve(settings, name);
  }

  @Test
  void pluggedInRoles_startInNameOrder_stopInReverse() throws IOException {
    AgentConfig config = config("roles-1", FreePorts.tcpAndUdp(), List.of("it-b", "host", "it-a"));

    try (Agent agent = Agent.start(config, "it")) {
      assertThat(agent.config().roles()).containsExactlyInAnyOrder("it-a", "it-b", "host");
      assertThat(RecordingRole.events("roles-1"))
          .containsExactly(
              "roles-1 start it-a running=true dataDir=" + dir.resolve("roles-1"),
              "roles-1 start it-b running=true dataDir=" + dir.resolve("roles-1"));
    }

    assertThat(RecordingRole.events("roles-1"))
        .endsWith("roles-1 stop it-b", "roles-1 stop it-a")
        .hasSize(4);
  }

  @Test
  void joinToken_neverServedByTheApi() throws Exception {
    String token = "it-secret-token-0123456789";
    AgentConfig config = config("roles-3", FreePorts.tcpAndUdp(), List.of("host"), token);
    HttpClient client = HttpClient.newHttpClient();

    try (Agent agent = Agent.start(config, "it")) {
      for (String path :
          List.of("/v1/agent/self", "/v1/agent/members", "/v1/agent/metrics?format=prometheus")) {
        HttpResponse<String> answer =
            client.send(
                HttpRequest.newBuilder(agent.httpUri().resolve(path)).build(),
                HttpResponse.BodyHandlers.ofString());

        assertThat(answer.statusCode()).as(path).isEqualTo(200);
        assertThat(answer.body()).as(path).doesNotContain(token);
      }
      assertThat(agent.config().control().joinToken().matches(token)).isTrue();
    }
  }

  @Test
  void aRoleThatCannotStart_stopsTheOthersAndTheAgent() throws IOException {
    int http = FreePorts.tcpAndUdp();
    AgentConfig config = config("roles-2", http, List.of("it-a", "it-failing"));

    assertThatThrownBy(() -> Agent.start(config, "it"))
        .isInstanceOf(IOException.class)
        .hasMessage("role it-failing cannot start: its port is taken");

    assertThat(RecordingRole.events("roles-2"))
        .containsExactly(
            "roles-2 start it-a running=true dataDir=" + dir.resolve("roles-2"),
            "roles-2 start it-failing running=true dataDir=" + dir.resolve("roles-2"),
            "roles-2 stop it-a");
    try (ServerSocket again = new ServerSocket(http, 1, InetAddress.getByName("127.0.0.1"))) {
      assertThat(again.getLocalPort()).as("the HTTP API's port was released").isEqualTo(http);
    }
  }
}
