package io.hivemind.it.catalog;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.hivemind.api.CheckRequest;
import io.hivemind.api.ServiceEntry;
import io.hivemind.api.ServiceRegistrationRequest;
import io.hivemind.cli.HivemindCommand;
import io.hivemind.client.HivemindClient;
import io.hivemind.client.HivemindClientException;
import io.hivemind.client.Indexed;
import io.hivemind.server.agent.Agent;
import io.hivemind.server.agent.AgentConfig;
import io.hivemind.server.agent.AgentSettings;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Consul's catalogue API on a dev agent over real sockets: a registration as Spring Cloud Consul
 * sends it, read back through every endpoint and the Java client, a blocking query that wakes on a
 * change, TTL checks driven through the check endpoints, deregistration, and a 400 for bad JSON.
 */
class CatalogHttpIT {

  /** A single voter elects and admits itself; slower on a busy 2-core machine. */
  private static final Duration FORMING = Duration.ofSeconds(40);

  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir static Path root;
  private static Agent agent;
  private static HivemindClient client;
  private static final HttpClient http = HttpClient.newHttpClient();

  @BeforeAll
  static void startAgent() throws Exception {
    AgentSettings settings = CatalogAgentSettings.devVoter("it-catalog-http", root);
    agent = Agent.start(AgentConfig.resolve(settings, "dev", root), "it");
    client = HivemindClient.connect(agent.httpUri());
    // The agent's instances enter its replica once the control plane admitted it.
    client.register(ServiceRegistrationRequest.of("probe-0", "probe", "", 1));
    await().atMost(FORMING).until(() -> !client.lookup("probe").isEmpty());
  }

  @AfterAll
  static void stop() {
    if (agent != null) {
      agent.close();
    }
  }

  private static HttpResponse<String> send(String method, String path, String body, String type)
      throws IOException, InterruptedException {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(URI.create(agent.httpUri() + path))
            .method(method, HttpRequest.BodyPublishers.ofString(body));
    if (type != null) {
      request.header("Content-Type", type);
    }
    return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }

  private static JsonNode get(String path) throws Exception {
    HttpResponse<String> response = send("GET", path, "", null);
    assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    assertThat(response.headers().firstValueAsLong("X-Consul-Index").orElse(0)).isPositive();
    assertThat(response.headers().firstValue("X-Consul-KnownLeader")).isPresent();
    return JSON.readTree(response.body());
  }

  @Test
  void springStyleRegistration_readBackThroughEveryEndpoint() throws Exception {
    String body =
        "{\"ID\":\"spring-8080\",\"Name\":\"spring\",\"Tags\":[\"secure=false\"],"
            + "\"Address\":\"127.0.0.1\",\"Port\":8080,\"Meta\":{},\"Check\":{\"TTL\":\"30s\","
            + "\"Header\":{},\"DeregisterCriticalServiceAfter\":\"10m\",\"Status\":\"passing\"}}";

    HttpResponse<String> put =
        send("PUT", "/v1/agent/service/register?token=t", body, "text/plain;charset=UTF-8");

    assertThat(put.statusCode()).as(put.body()).isEqualTo(200);
    assertThat(get("/v1/agent/services?token=t").get("spring-8080").get("Port").asInt())
        .isEqualTo(8080);
    assertThat(get("/v1/agent/service/spring-8080").get("Service").asText()).isEqualTo("spring");
    assertThat(get("/v1/agent/checks").get("service:spring-8080").get("Status").asText())
        .isEqualTo("passing");
    assertThat(get("/v1/catalog/services?stale").get("spring").get(0).asText())
        .isEqualTo("secure=false");
    JsonNode catalog = get("/v1/catalog/service/spring?tag=secure%3Dfalse");
    assertThat(catalog.get(0).get("ServiceAddress").asText()).isEqualTo("127.0.0.1");
    assertThat(catalog.get(0).get("Node").asText()).isEqualTo("dev");
    assertThat(catalog.get(0).get("Datacenter").asText()).isEqualTo("it-catalog-http");
    JsonNode health = get("/v1/health/service/spring?passing=false&token=t");
    assertThat(health.get(0).get("Checks").get(0).get("Status").asText()).isEqualTo("passing");
    assertThat(get("/v1/health/checks/spring").get(0).get("CheckID").asText())
        .isEqualTo("service:spring-8080");
    assertThat(get("/v1/health/state/any").findValuesAsText("ServiceID")).contains("spring-8080");
    assertThat(client.services().value()).containsKey("spring");
  }

  @Test
  void blockingQuery_wakesOnAChangeOfItsService() {
    client.register(ServiceRegistrationRequest.of("watched-1", "watched", "127.0.0.1", 1));
    Indexed<List<ServiceEntry>> first = client.watch("watched", false, 0, Duration.ZERO);
    assertThat(first.value()).hasSize(1);

    CompletableFuture<Indexed<List<ServiceEntry>>> woken =
        CompletableFuture.supplyAsync(
            () -> client.watch("watched", false, first.index(), Duration.ofSeconds(60)));
    client.register(ServiceRegistrationRequest.of("other-1", "other", "127.0.0.1", 1));
    client.register(ServiceRegistrationRequest.of("watched-2", "watched", "127.0.0.1", 2));

    Indexed<List<ServiceEntry>> next = woken.orTimeout(20, TimeUnit.SECONDS).join();
    assertThat(next.value()).extracting(e -> e.service().id()).contains("watched-1", "watched-2");
    assertThat(next.index()).isGreaterThan(first.index());
  }

  @Test
  void blockingQuery_noChange_answersAfterItsWait() {
    client.register(ServiceRegistrationRequest.of("quiet-1", "quiet", "127.0.0.1", 1));
    Indexed<List<ServiceEntry>> first = client.watch("quiet", false, 0, Duration.ZERO);

    Indexed<List<ServiceEntry>> same =
        client.watch("quiet", false, first.index(), Duration.ofSeconds(1));

    assertThat(same.index()).isEqualTo(first.index());
    assertThat(same.value()).hasSize(1);
  }

  @Test
  void ttlCheck_passAndFailThroughTheCheckEndpoints() {
    client.register(
        new ServiceRegistrationRequest(
            "ttl-1",
            "ttl",
            List.of(),
            "127.0.0.1",
            1,
            Map.of(),
            null,
            new CheckRequest(
                "ttl-check", null, "60s", null, null, null, null, null, null, false, null, null),
            null));
    assertThat(client.healthyInstances("ttl")).isEmpty();

    client.reportCheck("ttl-check", "passing", "fine");
    assertThat(client.healthyInstances("ttl")).hasSize(1);
    assertThat(client.lookup("ttl").get(0).checks().get(0).output()).isEqualTo("fine");

    client.reportCheck("ttl-check", "critical", "broken");
    assertThat(client.healthyInstances("ttl")).isEmpty();
    assertThat(client.lookup("ttl").get(0).aggregatedStatus()).isEqualTo("critical");
  }

  @Test
  void checkRegister_addsAHttpCheckTheAgentProbes_deregisterRemovesIt() throws Exception {
    client.register(ServiceRegistrationRequest.of("probed-1", "probed", "127.0.0.1", 1));
    assertThat(client.healthyInstances("probed")).hasSize(1);
    // The agent's own API is the check's target: the agent probes it and finds it passing.
    String check =
        "{\"ID\":\"api-up\",\"Name\":\"API up\",\"ServiceID\":\"probed-1\",\"HTTP\":\""
            + agent.httpUri().resolve("/v1/status/leader")
            + "\",\"Interval\":\"1s\",\"Timeout\":\"2s\"}";

    HttpResponse<String> put = send("PUT", "/v1/agent/check/register", check, null);

    assertThat(put.statusCode()).as(put.body()).isEqualTo(200);
    await()
        .atMost(Duration.ofSeconds(20))
        .until(
            () -> get("/v1/health/checks/probed").path(0).path("Status").asText(""),
            status -> status.equals("passing"));
    assertThat(get("/v1/health/checks/probed").get(0).get("Type").asText()).isEqualTo("http");
    // Without a ServiceID, a node check: every instance of the agent carries it (critical until
    // reported, so it comes out again at once: the other tests share this agent).
    HttpResponse<String> nodeCheck =
        send("PUT", "/v1/agent/check/register", "{\"Name\":\"disk\",\"TTL\":\"5s\"}", null);
    assertThat(nodeCheck.statusCode()).as(nodeCheck.body()).isEqualTo(200);
    assertThat(client.healthyInstances("probed")).isEmpty();
    assertThat(get("/v1/agent/checks").get("disk").get("ServiceID").asText()).isEmpty();
    assertThat(send("PUT", "/v1/agent/check/deregister/disk", "", null).statusCode())
        .isEqualTo(200);
    assertThat(client.healthyInstances("probed")).hasSize(1);

    HttpResponse<String> removed = send("PUT", "/v1/agent/check/deregister/api-up", "", null);

    assertThat(removed.statusCode()).as(removed.body()).isEqualTo(200);
    assertThat(get("/v1/health/checks/probed")).isEmpty();
    assertThat(client.lookup("probed")).hasSize(1);
    assertThat(send("PUT", "/v1/agent/check/deregister/api-up", "", null).statusCode())
        .isEqualTo(404);
  }

  @Test
  void deregister_goneFromTheAnswers_unknownIs404() {
    client.register(ServiceRegistrationRequest.of("gone-1", "gone", "127.0.0.1", 1));
    assertThat(client.lookup("gone")).hasSize(1);

    client.deregister("gone-1");

    assertThat(client.lookup("gone")).isEmpty();
    assertThatThrownBy(() -> client.deregister("gone-1"))
        .isInstanceOf(HivemindClientException.class)
        .satisfies(
            e -> assertThat(((HivemindClientException) e).code()).isEqualTo("unknown_service"));
  }

  /** Runs the CLI against the agent; returns its exit code, output in {@code out}. */
  private static int cli(StringWriter out, String... args) {
    String[] all = new String[args.length + 2];
    System.arraycopy(args, 0, all, 0, args.length);
    all[args.length] = "--http-addr";
    all[args.length + 1] = agent.httpUri().toString();
    return HivemindCommand.execute(all, new PrintWriter(out, true), new PrintWriter(out, true));
  }

  @Test
  void cli_registerServicesLookupDeregister() throws Exception {
    StringWriter out = new StringWriter();

    assertThat(
            cli(
                out,
                "service",
                "register",
                "cli",
                "--id",
                "cli-1",
                "--port",
                "9000",
                "--tag",
                "x",
                "--ttl",
                "30s"))
        .as(out.toString())
        .isZero();
    assertThat(cli(out, "services")).isZero();
    assertThat(out.toString()).contains("Registered service: cli (id cli-1)").contains("cli  ");
    StringWriter lookup = new StringWriter();
    assertThat(cli(lookup, "lookup", "cli", "--json")).isZero();
    assertThat(JSON.readTree(lookup.toString()).get(0).get("Service").get("Port").asInt())
        .isEqualTo(9000);
    assertThat(cli(new StringWriter(), "lookup", "cli", "--passing")).isEqualTo(1);
    StringWriter filtered = new StringWriter();
    assertThat(cli(filtered, "lookup", "cli", "--filter", "Service.Tags contains x")).isZero();
    assertThat(filtered.toString()).contains("cli-1");
    assertThat(cli(new StringWriter(), "lookup", "cli", "--filter", "Service.Port == 1"))
        .isEqualTo(1);
    StringWriter refused = new StringWriter();
    assertThat(cli(refused, "lookup", "cli", "--filter", "Service.Port ==")).isEqualTo(1);
    assertThat(refused.toString()).contains("?filter is not an expression");
    assertThat(client.lookup("cli", "Service.Port == 9000")).hasSize(1);
    assertThat(client.lookup("cli", "\"y\" in Service.Tags")).isEmpty();
    StringWriter gone = new StringWriter();
    assertThat(cli(gone, "service", "deregister", "cli-1")).isZero();
    assertThat(cli(gone, "service", "deregister", "cli-1")).isEqualTo(1);
    assertThat(gone.toString()).contains("Deregistered service: cli-1").contains("cli-1");
  }

  @Test
  void cli_maint_serviceAndNodeInAndOut_listedMeanwhile() throws Exception {
    client.register(ServiceRegistrationRequest.of("maint-1", "maint", "127.0.0.1", 1));
    await()
        .atMost(Duration.ofSeconds(20))
        .until(() -> client.healthyInstances("maint").size() == 1);
    StringWriter out = new StringWriter();

    assertThat(cli(out, "maint", "--enable", "--service", "maint-1", "--reason", "patching"))
        .as(out.toString())
        .isZero();
    assertThat(client.healthyInstances("maint")).isEmpty();
    assertThat(cli(out, "maint", "--enable", "--reason", "rack move")).isZero();
    StringWriter listed = new StringWriter();
    assertThat(cli(listed, "maint")).isZero();
    assertThat(listed.toString())
        .contains("Node: ")
        .contains("Reason: rack move")
        .contains("Service: maint-1")
        .contains("Reason: patching");
    assertThat(cli(out, "maint", "--disable")).isZero();
    assertThat(cli(out, "maint", "--disable", "--service", "maint-1")).isZero();
    assertThat(client.healthyInstances("maint")).hasSize(1);
    assertThat(cli(out, "maint", "--enable", "--disable")).isEqualTo(2);
    assertThat(cli(out, "maint", "--enable", "--service", "nope")).isEqualTo(1);
    assertThat(out.toString())
        .contains("Service entered maintenance mode: maint-1")
        .contains("Node entered maintenance mode")
        .contains("Node left maintenance mode")
        .contains("Service left maintenance mode: maint-1");
    client.deregister("maint-1");
  }

  @Test
  void cli_watch_printsEachChange() {
    client.register(ServiceRegistrationRequest.of("cliw-1", "cliw", "127.0.0.1", 1));
    StringWriter out = new StringWriter();
    Thread watcher = new Thread(() -> cli(out, "watch", "cliw"), "cli-watch");
    watcher.start();
    try {
      await().atMost(Duration.ofSeconds(20)).until(() -> out.toString().contains("+ cliw-1 "));
      client.register(ServiceRegistrationRequest.of("cliw-2", "cliw", "127.0.0.1", 2));
      await().atMost(Duration.ofSeconds(20)).until(() -> out.toString().contains("+ cliw-2 "));
      client.deregister("cliw-1");
      await().atMost(Duration.ofSeconds(20)).until(() -> out.toString().contains("- cliw-1 "));
    } finally {
      watcher.interrupt();
    }
  }

  @Test
  void malformedJsonAndUnknownFields_400WithASentence() throws Exception {
    HttpResponse<String> malformed =
        send("PUT", "/v1/agent/service/register", "{\"Name\":", "application/json");
    HttpResponse<String> unknown =
        send("PUT", "/v1/agent/service/register", "{\"Name\":\"x\",\"Nope\":1}", null);

    assertThat(malformed.statusCode()).isEqualTo(400);
    assertThat(JSON.readTree(malformed.body()).get("error").asText()).isEqualTo("bad_json");
    assertThat(unknown.statusCode()).isEqualTo(400);
    assertThat(JSON.readTree(unknown.body()).get("message").asText()).contains("Nope");
  }
}
