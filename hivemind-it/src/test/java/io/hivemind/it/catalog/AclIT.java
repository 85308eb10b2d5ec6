package io.hivemind.it.catalog;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.hivemind.api.AclRuleSpec;
import io.hivemind.api.AclTokenInfo;
import io.hivemind.api.Environment;
import io.hivemind.api.ServiceRegistrationRequest;
import io.hivemind.cli.HivemindCommand;
import io.hivemind.client.HivemindClient;
import io.hivemind.client.HivemindClientException;
import io.hivemind.client.HivemindSession;
import io.hivemind.client.SessionRefusedException;
import io.hivemind.client.SessionRegistration;
import io.hivemind.core.catalog.SessionRefusal;
import io.hivemind.server.agent.AclSettings;
import io.hivemind.server.agent.Agent;
import io.hivemind.server.agent.AgentConfig;
import io.hivemind.server.agent.AgentSettings;
import io.hivemind.server.transport.CatalogSessionServer;
import io.hivemind.testkit.FreePorts;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * ACLs end to end (issue 11, "a write without a token is refused when ACLs are on"): a dev-like
 * agent, its cluster's only voter, with ACLs enabled and the default policy deny. The initial
 * management token creates a token scoped to {@code service "web" write}, which registers web
 * instances but not db ones, sees only its service in the catalogue, and is refused once deleted.
 * The same rules hold on the catalogue session port (the Java client's {@link HivemindSession}): a
 * register without a token or outside the token's rules is answered DENIED, an unknown token is
 * refused at the hello.
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
  private static int sessionPort;
  private static CatalogSessionServer sessionServer;

  @BeforeAll
  static void startAgent() throws Exception {
    AgentSettings settings =
        CatalogAgentSettings.devVoter("it-acl", root)
            .withAcl(new AclSettings(true, null, ROOT, null));
    agent = Agent.start(AgentConfig.resolve(settings, "dev", root), "it");
    anonymous = HivemindClient.connect(agent.httpUri());
    management = anonymous.withToken(ROOT);
    // Not the well-known port: other tests on this machine may hold it.
    sessionPort = FreePorts.tcpAndUdp();
    sessionServer = CatalogSessionServer.bind("127.0.0.1", sessionPort, agent.catalogueSessions());
    // The agent's instances enter its replica once the control plane admitted it.
    management.register(ServiceRegistrationRequest.of("probe-0", "probe", "", 1));
    await().atMost(FORMING).until(() -> !management.lookup("probe").isEmpty());
  }

  @AfterAll
  static void stop() {
    if (sessionServer != null) {
      sessionServer.close();
    }
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

  private static HivemindSession session(String token) {
    return HivemindSession.open(
        Environment.DEVELOPMENT,
        "",
        "it-acl-client",
        List.of(new InetSocketAddress("127.0.0.1", sessionPort)),
        token);
  }

  private static void register(HivemindSession session, String service, String id) {
    session
        .register(SessionRegistration.of(service, id, "127.0.0.1", 8080))
        .orTimeout(FORMING.toSeconds(), TimeUnit.SECONDS)
        .join();
  }

  /** A session register refused by ACLs: acl_denied, naming the permission, never the token. */
  private static void assertSessionDenied(
      HivemindSession session, String service, String id, String token) {
    assertThatThrownBy(() -> register(session, service, id))
        .isInstanceOf(CompletionException.class)
        .cause()
        .isInstanceOfSatisfying(
            SessionRefusedException.class,
            e -> {
              assertThat(e.reason()).isEqualTo("acl_denied");
              assertThat(e.getMessage()).contains("service \"" + service + "\" write");
              if (!token.isEmpty()) {
                assertThat(e.getMessage()).doesNotContain(token);
              }
            });
  }

  @Test
  void session_withoutToken_registerDenied() {
    try (HivemindSession session = session("")) {
      session.connected().orTimeout(FORMING.toSeconds(), TimeUnit.SECONDS).join();
      assertSessionDenied(session, "web", "anon-s1", "");
    }
    assertThat(management.agentServices()).doesNotContainKey("anon-s1");
  }

  @Test
  void session_unknownToken_refusedAtHello() {
    try (HivemindSession session = session("no-such-token-secret-0000")) {
      assertThatThrownBy(
              () -> session.connected().orTimeout(FORMING.toSeconds(), TimeUnit.SECONDS).join())
          .isInstanceOf(CompletionException.class)
          .cause()
          .isInstanceOfSatisfying(
              SessionRefusedException.class,
              e -> {
                assertThat(e.reason()).isEqualTo("acl_denied");
                assertThat(e.getMessage()).contains("not known").doesNotContain("no-such-token");
              });
    }
    assertThat(agent.catalogueSessions().stats().refused(SessionRefusal.ACL_DENIED)).isPositive();
  }

  @Test
  void session_scopedTokenRegistersItsServiceOnly_managementAnything_deletedTokenDenied() {
    AclTokenInfo created =
        management.createToken(
            "session web writer", false, List.of(new AclRuleSpec("service", "web", "write")));
    try (HivemindSession web = session(created.secretId());
        HivemindSession root = session(ROOT)) {
      register(web, "web", "web-s1");
      assertSessionDenied(web, "db", "db-s1", created.secretId());
      register(root, "db", "db-s2");
      await()
          .atMost(FORMING)
          .untilAsserted(
              () ->
                  assertThat(management.agentServices())
                      .containsKeys("web-s1", "db-s2")
                      .doesNotContainKey("db-s1"));

      management.deleteToken(created.accessorId());

      // The token is resolved at each register: once the deletion is committed, it stops working.
      await()
          .atMost(Duration.ofSeconds(10))
          .untilAsserted(() -> assertSessionDenied(web, "web", "web-s2", created.secretId()));
      assertThat(management.agentServices()).doesNotContainKey("web-s2");
    }
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
