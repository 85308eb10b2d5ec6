package io.hivemind.server.http;

import static io.hivemind.server.http.ApiCalls.assertError;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.hivemind.core.catalog.CheckDefinition;
import io.hivemind.core.catalog.CheckKind;
import io.hivemind.core.catalog.HealthStatus;
import io.hivemind.server.http.ApiConnection.Answer;
import java.io.IOException;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@code PUT /v1/agent/check/register} and {@code PUT /v1/agent/check/deregister/{id}} over the
 * real pipeline and a real (synchronous) catalogue: Consul's check definition JSON as clients send
 * it, the checks' effect on the reads, and every refusal. No socket, no wall clock.
 */
class AgentCheckHandlersTest {

  private static final HttpApiConfig CONFIG =
      new HttpApiConfig(
          "127.0.0.1", 0, "1.2.3", Duration.ofSeconds(30), Duration.ofSeconds(30), 64 * 1024);

  private final MemoryCatalogue catalogue = new MemoryCatalogue();
  private final ApiConnection connection =
      new ApiConnection(
          new ApiChannelInitializer(CONFIG, new StubAgent(), catalogue, new HttpApiStats()));
  private final ApiCalls calls = new ApiCalls(connection);

  @BeforeEach
  void registerService() {
    Answer answer =
        calls.request(
            "PUT",
            "/v1/agent/service/register",
            "{\"Name\":\"web\",\"ID\":\"web-1\",\"Port\":80,"
                + "\"Check\":{\"CheckID\":\"own\",\"TTL\":\"30s\",\"Status\":\"passing\"}}");
    assertThat(answer.status()).as(answer.body()).isEqualTo(200);
  }

  @AfterEach
  void finish() {
    connection.close();
  }

  private Answer registerCheck(String body) {
    return calls.request("PUT", "/v1/agent/check/register", body);
  }

  private JsonNode agentChecks() throws IOException {
    return calls.get("/v1/agent/checks").json();
  }

  @Test
  void registerCheck_consulTtlDefinition_boundToItsServiceAndDrivenByPassWarnFail()
      throws IOException {
    Answer answer =
        registerCheck(
            "{\"ID\":\"mem\",\"Name\":\"Memory utilization\",\"Notes\":\"below 80%\","
                + "\"ServiceID\":\"web-1\",\"TTL\":\"15s\"}");

    assertThat(answer.status()).as(answer.body()).isEqualTo(200);
    assertThat(answer.body()).isEmpty();
    JsonNode mem = agentChecks().get("mem");
    assertThat(mem.get("Name").asText()).isEqualTo("Memory utilization");
    assertThat(mem.get("ServiceID").asText()).isEqualTo("web-1");
    assertThat(mem.get("ServiceName").asText()).isEqualTo("web");
    assertThat(mem.get("Type").asText()).isEqualTo("ttl");
    assertThat(mem.get("Status").asText()).isEqualTo("critical"); // Consul's initial status
    assertThat(calls.get("/v1/health/service/web?passing").body()).isEqualTo("[]");

    assertThat(calls.request("PUT", "/v1/agent/check/pass/mem", "").status()).isEqualTo(200);

    JsonNode passing = calls.get("/v1/health/service/web?passing").json();
    assertThat(passing).hasSize(1);
    assertThat(passing.get(0).get("Checks"))
        .extracting(c -> c.get("CheckID").asText())
        .containsExactly("mem", "own");
  }

  @Test
  void registerCheck_httpWithoutId_idIsItsNameAndTimingAsConsulReadsIt() {
    Answer answer =
        registerCheck(
            "{\"name\":\"api\",\"service_id\":\"web-1\",\"http\":\"http://127.0.0.1:80/health\","
                + "\"interval\":\"500ms\",\"timeout\":\"2s\",\"Header\":{},\"Status\":\"warning\"}");

    assertThat(answer.status()).as(answer.body()).isEqualTo(200);
    CheckDefinition check = catalogue.checkRegistrations.get(0);
    assertThat(check.checkId()).isEqualTo("api");
    assertThat(check.kind()).isEqualTo(CheckKind.HTTP);
    assertThat(check.interval()).isEqualTo(RegistrationJson.MIN_INTERVAL);
    assertThat(check.timeout()).isEqualTo(Duration.ofSeconds(2));
    assertThat(check.initialStatus()).isEqualTo(HealthStatus.WARNING);
    assertThat(catalogue.status("web-1", "api")).isEqualTo(HealthStatus.WARNING);
  }

  @Test
  void registerCheck_withoutServiceId_aNodeCheckEveryInstanceCarries_shownAsConsulsNodeCheck()
      throws IOException {
    Answer answer = registerCheck("{\"Name\":\"disk\",\"TTL\":\"10s\"}");

    assertThat(answer.status()).as(answer.body()).isEqualTo(200);
    assertThat(catalogue.checkRegistrations)
        .singleElement()
        .satisfies(c -> assertThat(c.nodeCheck()).isTrue());
    JsonNode disk = agentChecks().get("disk");
    assertThat(disk.get("ServiceID").asText()).isEmpty();
    assertThat(disk.get("ServiceName").asText()).isEmpty();
    assertThat(disk.get("Status").asText()).isEqualTo("critical");
    // Critical, it takes the node's instances out of passing lookups, as Consul's node checks do.
    assertThat(calls.get("/v1/health/service/web?passing").body()).isEqualTo("[]");
    JsonNode entryChecks = calls.get("/v1/health/service/web").json().get(0).get("Checks");
    assertThat(entryChecks.findValuesAsText("CheckID")).containsExactlyInAnyOrder("own", "disk");
    // A service's checks are its own (Consul's /v1/health/checks leaves node checks out).
    assertThat(calls.get("/v1/health/checks/web").json().findValuesAsText("CheckID"))
        .containsExactly("own");
    assertThat(calls.request("PUT", "/v1/agent/check/pass/disk", "").status()).isEqualTo(200);
    assertThat(calls.get("/v1/health/service/web?passing").json()).hasSize(1);
    assertThat(calls.request("PUT", "/v1/agent/check/deregister/disk", "").status()).isEqualTo(200);
    assertThat(agentChecks().has("disk")).isFalse();
  }

  @Test
  void nodeCheck_listedOncePerNode_andByTheAgentBeforeAnyInstanceCarriesIt() throws IOException {
    calls.request("PUT", "/v1/agent/service/register", "{\"Name\":\"db\",\"ID\":\"db-1\"}");
    registerCheck("{\"Name\":\"mem\",\"TTL\":\"10s\"}");

    assertThat(calls.get("/v1/health/state/critical").json().findValuesAsText("CheckID"))
        .containsExactly("mem");
    assertThat(calls.get("/v1/health/node/node-1").json().findValuesAsText("CheckID"))
        .containsExactlyInAnyOrder("mem", "own");
    calls.request("PUT", "/v1/agent/service/deregister/web-1", "");
    calls.request("PUT", "/v1/agent/service/deregister/db-1", "");
    assertThat(agentChecks().fieldNames()).toIterable().containsExactly("mem");
    assertThat(calls.get("/v1/health/node/node-1").json().findValuesAsText("CheckID"))
        .containsExactly("mem");
  }

  @Test
  void registerCheck_unknownService_404() throws IOException {
    Answer answer = registerCheck("{\"Name\":\"disk\",\"ServiceID\":\"db-1\",\"TTL\":\"10s\"}");

    assertError(answer, 404, "unknown_service");
    assertThat(answer.json().get("message").asText()).contains("db-1");
  }

  @Test
  void registerCheck_badDefinitions_400NamingTheProblem() throws IOException {
    assertError(registerCheck("{\"ServiceID\":\"web-1\""), 400, "bad_json");
    assertError(registerCheck("[]"), 400, RegistrationJson.CODE);
    assertError(
        registerCheck("{\"ServiceID\":\"web-1\",\"TTL\":\"10s\"}"), 400, RegistrationJson.CODE);
    assertError(
        registerCheck("{\"Name\":\"x\",\"ServiceID\":\"web-1\"}"), 400, RegistrationJson.CODE);
    assertError(
        registerCheck("{\"Name\":\"x\",\"ServiceID\":\"web-1\",\"TTL\":\"soon\"}"),
        400,
        RegistrationJson.CODE);
    assertError(
        registerCheck("{\"Name\":\"x\",\"ServiceID\":\"web-1\",\"TTL\":\"1s\",\"Colour\":1}"),
        400,
        "unknown_field");
    assertError(
        registerCheck(
            "{\"Name\":\"x\",\"ServiceID\":\"web-1\",\"Args\":[\"/bin/true\"],"
                + "\"Interval\":\"5s\"}"),
        400,
        "not_supported");
    assertError(
        registerCheck("{\"Name\":\"bad id\",\"ServiceID\":\"web-1\",\"TTL\":\"1s\"}"),
        400,
        RegistrationJson.CODE);
    assertThat(catalogue.checkRegistrations).isEmpty();
  }

  @Test
  void registerCheck_idOfAnotherInstancesCheck_400WithTheCataloguesSentence() throws IOException {
    calls.request("PUT", "/v1/agent/service/register", "{\"Name\":\"db\",\"ID\":\"db-1\"}");

    Answer answer = registerCheck("{\"Name\":\"own\",\"ServiceID\":\"db-1\",\"TTL\":\"10s\"}");

    assertError(answer, 400, RegistrationJson.CODE);
    assertThat(answer.json().get("message").asText()).contains("own");
    assertThat(agentChecks().get("own").get("ServiceID").asText()).isEqualTo("web-1");
  }

  @Test
  void deregisterCheck_removesTheCheckOnly_unknownIs404() throws IOException {
    registerCheck("{\"ID\":\"mem\",\"Name\":\"mem\",\"ServiceID\":\"web-1\",\"TTL\":\"15s\"}");
    assertThat(calls.get("/v1/health/service/web?passing").body()).isEqualTo("[]");

    Answer answer = calls.request("PUT", "/v1/agent/check/deregister/mem", "");

    assertThat(answer.status()).as(answer.body()).isEqualTo(200);
    assertThat(agentChecks().has("mem")).isFalse();
    assertThat(agentChecks().has("own")).isTrue();
    // The critical check is gone, so the instance is healthy again.
    assertThat(calls.get("/v1/health/service/web?passing").json()).hasSize(1);
    assertError(calls.request("PUT", "/v1/agent/check/deregister/mem", ""), 404, "unknown_check");
  }

  @Test
  void checkRegister_otherMethods_405() {
    assertThat(calls.get("/v1/agent/check/register").status()).isEqualTo(405);
    assertThat(calls.get("/v1/agent/check/deregister/own").status()).isEqualTo(405);
  }
}
