package io.hivemind.it.catalog;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.hivemind.api.AclRuleSpec;
import io.hivemind.api.AclTokenInfo;
import io.hivemind.api.ServiceRegistrationRequest;
import io.hivemind.cli.HivemindCommand;
import io.hivemind.client.HivemindClient;
import io.hivemind.client.HivemindClientException;
import io.hivemind.server.agent.AclSettings;
import io.hivemind.server.agent.Agent;
import io.hivemind.server.agent.AgentConfig;
import io.hivemind.server.agent.AgentSettings;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * ACLs end to end (issue 11, "a write without a token is refused when ACLs are on"): a dev-like
 * agent, its cluster's only voter, with ACLs enabled and the default policy deny. The initial
 * management token creates a token scoped to {@code service "web" write}, which registers web
 * instances but not db ones, sees only its service in the catalogue, and is refused once deleted.
 */
class AclIT {

  /** A single voter elects and admits itself; slower on a busy 2-core machine. */
  private static final Duration FORMING = Duration.ofSeconds(40);

  private static final String ROOT = "it-acl-root-4f9d2c7e-initial-management";
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final HttpClient HTTP = HttpClient.newHttpClient();

  @TempDir static Path root;
  private static Agent agent;
  private static HivemindClient anonymous;
  private static HivemindClient management;

  @BeforeAll
  static void startAgent() throws Exception {
    AgentSettings settings =
        CatalogAgentSettings.devVoter("it-acl", root)
            .withAcl(new AclSettings(true, null, ROOT, null));
    agent = Agent.start(AgentConfig.resolve(settings, "dev", root), "it");
    anonymous = HivemindClient.connect(agent.httpUri());
    management = anonymous.withToken(ROOT);
    // The agent's instances enter its replica once the control plane admitted it.
    management.register(ServiceRegistrationRequest.of("probe-0", "probe", "", 1));
    await().atMost(FORMING).until(() -> !management.lookup("probe").isEmpty());
  }

  @AfterAll
  static void stop() {
    if (agent != null) {
      agent.close();
    }
  }

  private static HttpResponse<String> send(String method, String path, String body)
      throws Exception {
    HttpRequest request =
        HttpRequest.newBuilder(URI.create(agent.httpUri() + path))
            .method(method, HttpRequest.BodyPublishers.ofString(body))
            .build();
    return HTTP.send(request, HttpResponse.BodyHandlers.ofString());
  }

  private static void assertDenied(Runnable call) {
    assertThatThrownBy(call::run)
        .isInstanceOfSatisfying(
            HivemindClientException.class,
            e -> {
              assertThat(e.code()).isEqualTo("acl_denied");
              assertThat(e.httpStatus()).isEqualTo(403);
            });
  }

  @Test
  void writeWithoutToken_403AclDenied_andNothingRegistered() throws Exception {
    HttpResponse<String> put =
        send("PUT", "/v1/agent/service/register", "{\"Name\":\"web\",\"ID\":\"anon-1\"}");

    assertThat(put.statusCode()).isEqualTo(403);
    JsonNode error = JSON.readTree(put.body());
    assertThat(error.get("error").asText()).isEqualTo("acl_denied");
    assertThat(error.get("message").asText()).contains("service \"web\" write");
    assertDenied(() -> anonymous.kvPut("k", new byte[] {1}));
    assertThat(management.agentServices()).doesNotContainKey("anon-1");
  }

  @Test
  void scopedToken_registersItsServiceOnly_readsFiltered_deletedTokenRefused() throws Exception {
    AclTokenInfo created =
        management.createToken(
            "web writer", false, List.of(new AclRuleSpec("service", "web", "write")));
    HivemindClient web = anonymous.withToken(created.secretId());

    web.register(ServiceRegistrationRequest.of("web-1", "web", "", 8080));
    assertDenied(() -> web.register(ServiceRegistrationRequest.of("db-1", "db", "", 5432)));
    await().atMost(FORMING).until(() -> !web.lookup("web").isEmpty());

    // Lists are filtered by the token (default policy deny: the anonymous caller sees nothing).
    assertThat(web.services().value()).containsOnlyKeys("web");
    assertThat(anonymous.services().value()).isEmpty();
    assertThat(management.services().value()).containsKeys("web", "probe");
    assertDenied(() -> web.lookup("probe"));
    assertThat(management.tokens())
        .extracting(AclTokenInfo::accessorId)
        .contains(created.accessorId());
    assertThat(management.tokens()).allMatch(t -> t.secretId() == null);

    management.deleteToken(created.accessorId());

    await()
        .atMost(Duration.ofSeconds(10))
        .untilAsserted(
            () ->
                assertDenied(
                    () -> web.register(ServiceRegistrationRequest.of("web-2", "web", "", 1))));
    assertThat(management.agentServices()).containsKey("web-1").doesNotContainKey("web-2");
  }

  @Test
  void cli_createsAndListsTokensWithTheManagementToken() {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    String addr = agent.httpUri().toString();

    int created =
        HivemindCommand.execute(
            new String[] {
              "acl",
              "token",
              "create",
              "--http-addr",
              addr,
              "--token",
              ROOT,
              "--description",
              "from the cli",
              "--rule",
              "key:app/:read",
              "--json"
            },
            new PrintWriter(out, true),
            new PrintWriter(err, true));
    int refused =
        HivemindCommand.execute(
            new String[] {"acl", "token", "list", "--http-addr", addr},
            new PrintWriter(new StringWriter(), true),
            new PrintWriter(err, true));

    assertThat(created).as(err.toString()).isZero();
    assertThat(out.toString()).contains("\"SecretID\"").contains("app/");
    assertThat(refused).isEqualTo(1);
    assertThat(err.toString()).contains("hivemind: ").doesNotContain(ROOT);
  }
}
