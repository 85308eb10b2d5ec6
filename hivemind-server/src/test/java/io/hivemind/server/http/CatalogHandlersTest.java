package io.hivemind.server.http;

import static io.hivemind.server.http.ApiCalls.assertError;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.hivemind.core.catalog.CatalogNames;
import io.hivemind.core.catalog.CheckDefinition;
import io.hivemind.core.catalog.HealthStatus;
import io.hivemind.core.control.ControlCommand;
import io.hivemind.core.control.ControlMember;
import io.hivemind.core.membership.Address;
import io.hivemind.server.http.ApiConnection.Answer;
import java.io.IOException;
import java.io.InputStream;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Consul's catalogue endpoints over the real pipeline, against a real (synchronous) catalogue: a
 * Spring Cloud Consul registration as it sends it, every read shape, filters, errors, and blocking
 * queries on the connection's own clock. No socket, no wall clock.
 */
class CatalogHandlersTest {

  private static final HttpApiConfig CONFIG =
      new HttpApiConfig(
          "127.0.0.1", 0, "1.2.3", Duration.ofSeconds(30), Duration.ofSeconds(30), 64 * 1024);
  private static final ObjectMapper JSON = new ObjectMapper();

  private final StubAgent agent = new StubAgent();
  private final MemoryCatalogue catalogue = new MemoryCatalogue();
  private final ApiChannelInitializer api =
      new ApiChannelInitializer(CONFIG, agent, catalogue, new HttpApiStats());
  private final ApiConnection connection = new ApiConnection(api);
  private final ApiCalls calls = new ApiCalls(connection);
  private final ApiConnection watchConnection = new ApiConnection(api);
  private final ApiCalls watch = new ApiCalls(watchConnection);

  @AfterEach
  void finish() {
    connection.close();
    watchConnection.close();
  }

  private static String resource(String name) throws IOException {
    try (InputStream in = CatalogHandlersTest.class.getResourceAsStream("catalog/" + name)) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8).trim();
    }
  }

  private Answer register(String body) {
    return calls.request("PUT", "/v1/agent/service/register", body);
  }

  private void registerOk(String body) {
    Answer answer = register(body);
    assertThat(answer.status()).as(answer.body()).isEqualTo(200);
  }

  private static String service(String name, String id, int port, String extra) {
    return "{\"Name\":\""
        + name
        + "\",\"ID\":\""
        + id
        + "\",\"Port\":"
        + port
        + (extra.isEmpty() ? "" : "," + extra)
        + "}";
  }

  @Test
  void springRegistration_textPlainGoDurationsEmptyHeaderToken_registeredAsSent()
      throws IOException {
    List<Answer> answers =
        calls.send(
            "PUT",
            "/v1/agent/service/register?token=s3cr3t",
            resource("spring-registration.json"),
            "Content-Type: text/plain; charset=UTF-8\r\n");

    assertThat(ApiCalls.only(answers).status()).as(answers.get(0).body()).isEqualTo(200);
    assertThat(answers.get(0).body()).isEmpty();
    var check = catalogue.registrations.get(0).checks().get(0);
    assertThat(check.interval()).isEqualTo(Duration.ofSeconds(10));
    assertThat(check.timeout()).isEqualTo(Duration.ofSeconds(3));
    assertThat(check.deregisterCriticalAfter()).isEqualTo(Duration.ofMinutes(90));
    assertThat(check.headers()).isEmpty();
    assertThat(check.target()).isEqualTo("http://127.0.0.1:8080/actuator/health");
    assertThat(check.initialStatus()).isEqualTo(HealthStatus.CRITICAL);
    assertThat(JSON.readTree(calls.get("/v1/agent/services?token=s3cr3t").body()))
        .isEqualTo(JSON.readTree(resource("spring-agent-services.json")));
    assertThat(JSON.readTree(calls.get("/v1/health/service/demo?passing=false&token=x").body()))
        .isEqualTo(JSON.readTree(resource("spring-health-service.json")));
  }

  @Test
  void register_lowerAndSnakeCaseNames_readAsConsulDoes() {
    registerOk(
        "{\"name\":\"web\",\"id\":\"web-1\",\"port\":80,\"check\":{\"ttl\":\"15s\","
            + "\"deregister_critical_service_after\":\"30m\",\"status\":\"passing\"}}");

    var registration = catalogue.registrations.get(0);
    assertThat(registration.id()).isEqualTo("web-1");
    assertThat(registration.checks().get(0).ttl()).isEqualTo(Duration.ofSeconds(15));
    assertThat(registration.checks().get(0).deregisterCriticalAfter())
        .isEqualTo(Duration.ofMinutes(30));
    assertThat(registration.checks().get(0).initialStatus()).isEqualTo(HealthStatus.PASSING);
  }

  @Test
  void register_checks_consulDefaultIdsAndNanosecondDurations() {
    registerOk(
        service(
            "db",
            "db-1",
            5432,
            "\"Checks\":[{\"TCP\":\"127.0.0.1:5432\",\"Interval\":10000000000},"
                + "{\"TTL\":\"30s\",\"Name\":\"heartbeat\"}]"));

    var checks = catalogue.registrations.get(0).checks();
    assertThat(checks)
        .extracting(c -> c.checkId())
        .containsExactly("service:db-1:1", "service:db-1:2");
    assertThat(checks.get(0).interval()).isEqualTo(Duration.ofSeconds(10));
    assertThat(checks.get(0).timeout()).isEqualTo(RegistrationJson.DEFAULT_TIMEOUT);
    assertThat(checks.get(1).name()).isEqualTo("heartbeat");
  }

  @Test
  void register_malformedJson_400WithASentence() throws IOException {
    assertError(register("{\"Name\": \"web\""), 400, "bad_json");
    assertError(register("[1,2]"), 400, RegistrationJson.CODE);
    assertError(register(""), 400, "bad_json");
    assertError(register("{\"Name\":\"a\"} trailing"), 400, "bad_json");
  }

  @Test
  void register_unknownField_400NamingIt() throws IOException {
    Answer answer = register("{\"Name\":\"web\",\"Colour\":\"blue\"}");

    assertError(answer, 400, "unknown_field");
    assertThat(answer.json().get("message").asText()).contains("Colour");
    assertError(
        register("{\"Name\":\"web\",\"Check\":{\"TTL\":\"5s\",\"Frequency\":1}}"),
        400,
        "unknown_field");
  }

  @Test
  void register_invalidValues_400() throws IOException {
    assertError(register("{\"Port\":80}"), 400, RegistrationJson.CODE);
    assertError(register(service("bad name", "x", 80, "")), 400, RegistrationJson.CODE);
    assertError(register(service("web", "w", 70000, "")), 400, RegistrationJson.CODE);
    assertError(register(service("web", "w", -1, "")), 400, RegistrationJson.CODE);
    assertError(register("{\"Name\":\"web\",\"Port\":\"80\"}"), 400, RegistrationJson.CODE);
    assertError(
        register(service("web", "w", 80, "\"Check\":{\"TTL\":\"5s\",\"HTTP\":\"http://x\"}")),
        400,
        RegistrationJson.CODE);
    assertError(
        register(service("web", "w", 80, "\"Check\":{\"HTTP\":\"http://x\"}")),
        400,
        RegistrationJson.CODE);
    assertError(
        register(service("web", "w", 80, "\"Check\":{\"TTL\":\"soon\"}")),
        400,
        RegistrationJson.CODE);
    assertError(
        register(
            service("web", "w", 80, "\"Check\":{\"Args\":[\"/bin/true\"],\"Interval\":\"1s\"}")),
        400,
        "not_supported");
    assertError(
        register(service("web", "w", 80, "\"Weights\":{\"Passing\":-1}")),
        400,
        RegistrationJson.CODE);
    assertThat(catalogue.registrations).isEmpty();
  }

  @Test
  void register_catalogueRefuses_400WithItsSentence() throws IOException {
    registerOk(service("a", "a-1", 1, "\"Check\":{\"CheckID\":\"shared\",\"TTL\":\"5s\"}"));

    Answer answer =
        register(service("b", "b-1", 1, "\"Check\":{\"CheckID\":\"shared\",\"TTL\":\"5s\"}"));

    assertError(answer, 400, RegistrationJson.CODE);
    assertThat(answer.json().get("message").asText()).contains("shared");
  }

  @Test
  void agentService_oneById_or404() throws IOException {
    registerOk(service("web", "web-1", 80, ""));

    assertThat(calls.get("/v1/agent/service/web-1").json().get("Service").asText())
        .isEqualTo("web");
    assertError(calls.get("/v1/agent/service/nope"), 404, "unknown_service");
  }

  @Test
  void deregister_removesEverywhere_unknownIs404() throws IOException {
    registerOk(service("web", "web-1", 80, ""));

    assertThat(calls.request("PUT", "/v1/agent/service/deregister/web-1", "").status())
        .isEqualTo(200);

    assertThat(calls.get("/v1/catalog/service/web").body()).isEqualTo("[]");
    assertThat(calls.get("/v1/agent/services").body()).isEqualTo("{}");
    assertError(
        calls.request("PUT", "/v1/agent/service/deregister/web-1", ""), 404, "unknown_service");
  }

  @Test
  void ttlChecks_passWarnFailUpdate_changeHealth() throws IOException {
    registerOk(service("web", "web-1", 80, "\"Check\":{\"CheckID\":\"hb\",\"TTL\":\"10s\"}"));
    assertThat(calls.get("/v1/health/service/web?passing").body()).isEqualTo("[]");

    assertThat(calls.request("PUT", "/v1/agent/check/pass/hb?note=all%20good", "").status())
        .isEqualTo(200);
    JsonNode passing = calls.get("/v1/health/service/web?passing=true").json();
    assertThat(passing).hasSize(1);
    assertThat(passing.get(0).get("Checks").get(0).get("Output").asText()).isEqualTo("all good");

    calls.request("PUT", "/v1/agent/check/warn/hb", "");
    assertThat(catalogue.status("web-1", "hb")).isEqualTo(HealthStatus.WARNING);
    calls.request("PUT", "/v1/agent/check/fail/hb", "");
    assertThat(catalogue.status("web-1", "hb")).isEqualTo(HealthStatus.CRITICAL);
    Answer update =
        calls.request(
            "PUT", "/v1/agent/check/update/hb", "{\"Status\":\"passing\",\"Output\":\"ok\"}");
    assertThat(update.status()).as(update.body()).isEqualTo(200);
    assertThat(catalogue.status("web-1", "hb")).isEqualTo(HealthStatus.PASSING);
    assertThat(calls.get("/v1/agent/checks").json().get("hb").get("Status").asText())
        .isEqualTo("passing");
  }

  @Test
  void serviceMaintenance_leavesPassingLookups_reasonAsNotes_disableRestores() throws IOException {
    registerOk(service("web", "web-1", 80, "\"Check\":{\"TTL\":\"30s\",\"Status\":\"passing\"}"));
    String target = "/v1/agent/service/maintenance/web-1?enable=true&reason=disk%20swap";

    assertThat(calls.request("PUT", target, "").status()).isEqualTo(200);

    assertThat(calls.get("/v1/health/service/web?passing").body()).isEqualTo("[]");
    JsonNode check =
        calls.get("/v1/agent/checks").json().get(CheckDefinition.MAINTENANCE_PREFIX + "web-1");
    assertThat(check.get("Status").asText()).isEqualTo("critical");
    assertThat(check.get("Type").asText()).isEqualTo("maintenance");
    assertThat(check.get("Notes").asText()).isEqualTo("disk swap");
    assertThat(check.get("Name").asText()).isEqualTo("Service Maintenance Mode");
    assertThat(
            calls.request("PUT", "/v1/agent/service/maintenance/web-1?enable=false", "").status())
        .isEqualTo(200);
    assertThat(calls.get("/v1/health/service/web?passing").json()).hasSize(1);
    assertThat(
            calls.request("PUT", "/v1/agent/service/maintenance/web-1?enable=false", "").status())
        .as("disabling twice is no error, as in Consul")
        .isEqualTo(200);
  }

  @Test
  void nodeMaintenance_shownAsConsulsOneNodeCheck_disableRestores() throws IOException {
    registerOk(service("web", "web-1", 80, ""));
    registerOk(service("db", "db-1", 5432, ""));

    assertThat(calls.request("PUT", "/v1/agent/maintenance?enable=true&reason=moving", "").status())
        .isEqualTo(200);

    assertThat(calls.get("/v1/health/service/web?passing").body()).isEqualTo("[]");
    JsonNode checks = calls.get("/v1/agent/checks").json();
    assertThat(checks.fieldNames()).toIterable().containsExactly("_node_maintenance");
    JsonNode node = checks.get("_node_maintenance");
    assertThat(node.get("Name").asText()).isEqualTo("Node Maintenance Mode");
    assertThat(node.get("ServiceID").asText()).isEmpty();
    assertThat(node.get("Notes").asText()).isEqualTo("moving");
    assertThat(calls.get("/v1/health/state/critical").json().findValuesAsText("CheckID"))
        .containsExactly("_node_maintenance");
    assertThat(
            calls
                .get("/v1/health/service/db")
                .json()
                .get(0)
                .get("Checks")
                .findValuesAsText("CheckID"))
        .containsExactly("_node_maintenance");
    assertThat(calls.request("PUT", "/v1/agent/maintenance?enable=false", "").status())
        .isEqualTo(200);
    assertThat(calls.get("/v1/health/service/web?passing").json()).hasSize(1);
    assertThat(calls.get("/v1/agent/checks").body()).isEqualTo("{}");
    assertError(calls.request("PUT", "/v1/agent/maintenance", ""), 400, "enable_required");
  }

  @Test
  void maintenance_theLongestInstanceIdStillFits() throws IOException {
    String id = "i".repeat(CatalogNames.MAX_ID);
    registerOk(service("web", id, 80, ""));

    assertThat(
            calls
                .request("PUT", "/v1/agent/service/maintenance/" + id + "?enable=true", "")
                .status())
        .isEqualTo(200);
    assertThat(calls.request("PUT", "/v1/agent/maintenance?enable=true", "").status())
        .isEqualTo(200);
    assertThat(calls.get("/v1/agent/checks").json().fieldNames())
        .toIterable()
        .containsExactlyInAnyOrder(CheckDefinition.MAINTENANCE_PREFIX + id, "_node_maintenance");
  }

  @Test
  void agentHealth_statusCodeIsTheWorstInstance_textFormat_maintenanceWins() throws IOException {
    registerOk(service("web", "web-1", 80, "\"Check\":{\"CheckID\":\"w1\",\"TTL\":\"30s\"}"));
    registerOk(service("web", "web-2", 81, "\"Check\":{\"CheckID\":\"w2\",\"TTL\":\"30s\"}"));
    calls.request("PUT", "/v1/agent/check/pass/w1", "");
    calls.request("PUT", "/v1/agent/check/pass/w2", "");

    Answer passing = calls.get("/v1/agent/health/service/name/web");
    assertThat(passing.status()).isEqualTo(200);
    assertThat(passing.json()).hasSize(2);
    assertThat(passing.json().get(0).get("AggregatedStatus").asText()).isEqualTo("passing");
    assertThat(passing.json().get(0).get("Service").get("ID").asText()).isEqualTo("web-1");
    assertThat(passing.json().get(0).get("Checks").get(0).get("CheckID").asText()).isEqualTo("w1");
    calls.request("PUT", "/v1/agent/check/warn/w2", "");
    Answer warning = calls.get("/v1/agent/health/service/name/web?format=text");
    assertThat(warning.status()).isEqualTo(429);
    assertThat(warning.body()).isEqualTo("warning");
    assertThat(calls.get("/v1/agent/health/service/id/web-1?format=text").body())
        .isEqualTo("passing");
    assertThat(
            calls
                .get("/v1/agent/health/service/id/web-1")
                .json()
                .get("Service")
                .get("Port")
                .asInt())
        .isEqualTo(80);
    calls.request("PUT", "/v1/agent/service/maintenance/web-1?enable=true", "");
    Answer maintenance = calls.get("/v1/agent/health/service/id/web-1?format=text");
    assertThat(maintenance.status()).isEqualTo(503);
    assertThat(maintenance.body()).isEqualTo("maintenance");
    assertThat(calls.get("/v1/agent/health/service/name/web").status()).isEqualTo(503);
    assertError(calls.get("/v1/agent/health/service/name/nope"), 404, "unknown_service");
    assertError(calls.get("/v1/agent/health/service/id/nope"), 404, "unknown_service");
  }

  @Test
  void serviceMaintenance_unknownInstanceOrEnableMissingOrBad_errors() throws IOException {
    registerOk(service("web", "web-1", 80, ""));

    assertError(
        calls.request("PUT", "/v1/agent/service/maintenance/nope?enable=true", ""),
        404,
        "unknown_service");
    assertError(
        calls.request("PUT", "/v1/agent/service/maintenance/web-1", ""), 400, "enable_required");
    assertError(
        calls.request("PUT", "/v1/agent/service/maintenance/web-1?enable=maybe", ""),
        400,
        "bad_enable");
    assertThat(calls.get("/v1/agent/checks").body()).isEqualTo("{}");
  }

  @Test
  void checkEndpoints_unknownCheckOrBadStatus_errors() throws IOException {
    assertError(calls.request("PUT", "/v1/agent/check/pass/none", ""), 404, "unknown_check");
    assertError(
        calls.request("PUT", "/v1/agent/check/update/none", "{\"Status\":\"great\"}"),
        400,
        "bad_update");
    assertError(
        calls.request("PUT", "/v1/agent/check/update/none", "{\"State\":\"passing\"}"),
        400,
        "unknown_field");
  }

  @Test
  void catalogServices_namesWithTheUnionOfTags() {
    registerOk(service("web", "web-1", 80, "\"Tags\":[\"b\",\"a\"]"));
    registerOk(service("web", "web-2", 81, "\"Tags\":[\"c\",\"a\"]"));
    registerOk(service("db", "db-1", 5432, ""));

    Answer answer = calls.get("/v1/catalog/services?stale&dc=main");

    assertThat(answer.body()).isEqualTo("{\"db\":[],\"web\":[\"a\",\"b\",\"c\"]}");
    assertThat(answer.headers().get("X-Consul-Index"))
        .isEqualTo(Long.toString(catalogue.view().index()));
  }

  @Test
  void emptyCatalogue_indexIsOneNeverZero() {
    Answer answer = calls.get("/v1/catalog/services");

    assertThat(answer.body()).isEqualTo("{}");
    assertThat(answer.headers().get("X-Consul-Index")).isEqualTo("1");
    assertThat(answer.headers().get("X-Consul-KnownLeader")).isEqualTo("false");
    assertThat(answer.headers().get("X-Consul-LastContact")).isEqualTo("0");
    assertThat(calls.get("/v1/health/service/none").headers().get("X-Consul-Index")).isEqualTo("1");
  }

  @Test
  void catalogService_tagFilterNeedsEveryTag_nodeFieldsFromTheRegistry() throws IOException {
    MemoryControlPlane plane = new MemoryControlPlane();
    agent.control = plane;
    plane.apply(
        new ControlCommand.AdmitMember(
            new ControlMember(
                "node-9-id",
                "node-9",
                new Address("10.0.0.9", 7360),
                List.of("catalog"),
                "zone-b",
                "host-9",
                0,
                0)));
    registerOk(service("web", "web-1", 80, "\"Tags\":[\"a\",\"b\"]"));
    catalogue.applyForeign(
        "node-9-id", List.of(MemoryCatalogue.instance("node-9-id", "web", "web-9", 90)));

    JsonNode both = calls.get("/v1/catalog/service/web").json();
    JsonNode tagged = calls.get("/v1/catalog/service/web?tag=a&tag=b").json();

    assertThat(both).hasSize(2);
    JsonNode foreign = both.get(1);
    assertThat(foreign.get("Node").asText()).isEqualTo("node-9");
    assertThat(foreign.get("Address").asText()).isEqualTo("10.0.0.9");
    assertThat(foreign.get("ServiceAddress").asText()).isEmpty();
    assertThat(foreign.get("Datacenter").asText()).isEqualTo("main");
    assertThat(foreign.get("NodeMeta").get("zone").asText()).isEqualTo("zone-b");
    assertThat(foreign.get("TaggedAddresses").get("lan").asText()).isEqualTo("10.0.0.9");
    assertThat(tagged).hasSize(1);
    assertThat(tagged.get(0).get("ServiceID").asText()).isEqualTo("web-1");
    assertThat(calls.get("/v1/catalog/service/web?tag=a&tag=c").body()).isEqualTo("[]");
  }

  @Test
  void healthService_cachedAnswer_renewedWhenTheRegistryChanges() throws IOException {
    registerOk(service("web", "web-1", 80, ""));
    assertThat(calls.get("/v1/health/service/web").json().get(0).get("Node").get("Node").asText())
        .isEqualTo("node-1");
    MemoryControlPlane plane = new MemoryControlPlane();
    agent.control = plane;
    plane.apply(
        new ControlCommand.AdmitMember(
            new ControlMember(
                MemoryCatalogue.OWNER,
                "renamed",
                new Address("10.0.0.7", 7360),
                List.of(),
                "",
                "",
                0,
                0)));

    JsonNode node = calls.get("/v1/health/service/web").json().get(0).get("Node");

    assertThat(node.get("Node").asText()).isEqualTo("renamed");
    assertThat(node.get("Address").asText()).isEqualTo("10.0.0.7");
  }

  @Test
  void healthChecksAndState_byServiceAndByStatus() throws IOException {
    registerOk(service("web", "web-1", 80, "\"Check\":{\"CheckID\":\"w\",\"TTL\":\"10s\"}"));
    registerOk(
        service(
            "db",
            "db-1",
            1,
            "\"Check\":{\"CheckID\":\"d\",\"TTL\":\"10s\",\"Status\":\"passing\"}"));

    assertThat(calls.get("/v1/health/checks/web").json().findValuesAsText("CheckID"))
        .containsExactly("w");
    assertThat(calls.get("/v1/health/state/critical").json().findValuesAsText("CheckID"))
        .containsExactly("w");
    assertThat(calls.get("/v1/health/state/passing").json().findValuesAsText("CheckID"))
        .containsExactly("d");
    assertThat(calls.get("/v1/health/state/any").json()).hasSize(2);
    assertError(calls.get("/v1/health/state/sleepy"), 400, "bad_state");
  }

  private JsonNode filtered(String path, String filter) throws IOException {
    Answer answer =
        calls.get(
            path
                + (path.contains("?") ? "&" : "?")
                + "filter="
                + URLEncoder.encode(filter, StandardCharsets.UTF_8));
    assertThat(answer.status()).as(answer.body()).isEqualTo(200);
    return answer.json();
  }

  private void filterFixture() {
    registerOk(
        service(
            "web",
            "web-1",
            80,
            "\"Tags\":[\"v1\"],\"Meta\":{\"env\":\"prod\"},"
                + "\"Check\":{\"CheckID\":\"w1\",\"TTL\":\"10s\",\"Status\":\"passing\"}"));
    registerOk(
        service(
            "web",
            "web-2",
            81,
            "\"Tags\":[\"v2\"],\"Check\":{\"CheckID\":\"w2\",\"TTL\":\"10s\"}"));
    registerOk(service("db", "db-1", 5432, "\"Tags\":[\"v1\"]"));
  }

  @Test
  void filter_healthAndCatalogService_keepWhatTheExpressionSelects() throws IOException {
    filterFixture();

    assertThat(
            filtered("/v1/health/service/web", "Service.Meta.env == prod").findValuesAsText("Port"))
        .containsExactly("80");
    assertThat(
            filtered("/v1/health/service/web", "Checks.Status == critical or Service.Port == 1")
                .size())
        .isEqualTo(1);
    assertThat(
            filtered("/v1/catalog/service/web", "ServiceTags contains v2")
                .findValuesAsText("ServiceID"))
        .containsExactly("web-2");
    assertThat(filtered("/v1/catalog/service/web?tag=v1", "ServiceTags contains v2")).isEmpty();
    // The cached, unfiltered answer is not changed by a filtered one.
    assertThat(calls.get("/v1/health/service/web").json().size()).isEqualTo(2);
  }

  @Test
  void filter_catalogServices_namesAndTagsOfTheInstancesKept() throws IOException {
    filterFixture();

    JsonNode v1 = filtered("/v1/catalog/services", "ServiceTags contains v1");
    JsonNode db = filtered("/v1/catalog/services", "ServiceName == db");

    assertThat(v1.fieldNames()).toIterable().containsExactly("db", "web");
    assertThat(v1.get("web").toString()).isEqualTo("[\"v1\"]");
    assertThat(db.fieldNames()).toIterable().containsExactly("db");
  }

  @Test
  void filter_agentServicesChecksAndHealthChecks() throws IOException {
    filterFixture();

    assertThat(filtered("/v1/agent/services", "Port == 81").fieldNames())
        .toIterable()
        .containsExactly("web-2");
    assertThat(filtered("/v1/agent/checks", "Status == critical").fieldNames())
        .toIterable()
        .containsExactly("w2");
    assertThat(filtered("/v1/health/checks/web", "Status == passing").findValuesAsText("CheckID"))
        .containsExactly("w1");
    assertThat(filtered("/v1/health/state/any", "ServiceID == web-2").findValuesAsText("CheckID"))
        .containsExactly("w2");
  }

  @Test
  void filter_mistakes400WithASentence_emptyFilterIgnored() throws IOException {
    filterFixture();

    assertError(calls.get("/v1/catalog/services?filter=ServiceTags"), 400, "bad_filter");
    assertError(calls.get("/v1/health/service/web?filter=%28%28"), 400, "bad_filter");
    assertError(
        calls.get(
            "/v1/agent/services?filter="
                + URLEncoder.encode("ID matches `^(a+)+\\1$` and", StandardCharsets.UTF_8)),
        400,
        "bad_filter");
    assertThat(calls.get("/v1/health/service/web?filter=").json().size()).isEqualTo(2);
  }

  @Test
  void filter_catastrophicPattern_400NotAStalledLoop() throws IOException {
    registerOk(service("web", "a".repeat(40) + "-b", 80, ""));

    assertError(
        calls.get(
            "/v1/agent/services?filter="
                + URLEncoder.encode("ID matches `^(a+)+\\1$`", StandardCharsets.UTF_8)),
        400,
        "filter_too_expensive");
    assertThat(calls.get("/v1/agent/services").status()).isEqualTo(200);
  }

  @Test
  void badQueryValues_400() throws IOException {
    assertError(calls.get("/v1/health/service/web?passing=maybe"), 400, "bad_passing");
    assertError(calls.get("/v1/health/service/web?index=x"), 400, "bad_index");
    assertError(calls.get("/v1/health/service/web?wait=forever"), 400, "bad_wait");
  }

  @Test
  void blocking_wakesWhenTheServiceChanges_notForOtherServices() throws IOException {
    registerOk(service("web", "web-1", 80, ""));
    long index = catalogue.view().serviceIndex("web");

    assertThat(watch.send("GET", "/v1/health/service/web?index=" + index + "&wait=1m", "", ""))
        .isEmpty();
    registerOk(service("db", "db-1", 1, ""));
    assertThat(watched()).isEmpty();
    registerOk(service("web", "web-2", 81, ""));

    List<Answer> woken = watched();
    assertThat(woken).hasSize(1);
    assertThat(woken.get(0).json()).hasSize(2);
    assertThat(woken.get(0).headers().get("X-Consul-Index"))
        .isEqualTo(Long.toString(catalogue.view().serviceIndex("web")));
    assertThat(catalogue.pendingWaits()).isZero();
  }

  @Test
  void blocking_allServices_wakesOnAnyChange() throws IOException {
    String index = calls.get("/v1/catalog/services").headers().get("X-Consul-Index");

    assertThat(watch.send("GET", "/v1/catalog/services?index=" + index + "&wait=2s", "", ""))
        .isEmpty();
    registerOk(service("web", "web-1", 80, ""));

    List<Answer> woken = watched();
    assertThat(woken).hasSize(1);
    assertThat(woken.get(0).body()).isEqualTo("{\"web\":[]}");
  }

  @Test
  void blocking_noChange_answersAtTheDeadlineWithJitterAtMostASixteenth() {
    registerOk(service("web", "web-1", 80, ""));
    String index = Long.toString(catalogue.view().serviceIndex("web"));

    watch.send("GET", "/v1/catalog/service/web?index=" + index + "&wait=16s", "", "");
    watchConnection.advance(Duration.ofMillis(15_999));
    assertThat(watched()).isEmpty();
    watchConnection.advance(Duration.ofMillis(1_001));

    List<Answer> answers = watched();
    assertThat(answers).hasSize(1);
    assertThat(answers.get(0).status()).isEqualTo(200);
    assertThat(answers.get(0).headers().get("X-Consul-Index")).isEqualTo(index);
    assertThat(catalogue.pendingWaits()).isZero();
  }

  @Test
  void blocking_waitIsCutToTenMinutes() {
    watch.send("GET", "/v1/catalog/services?index=1&wait=1h", "", "");
    watchConnection.advance(Duration.ofMinutes(10).plus(Duration.ofMinutes(10).dividedBy(16)));

    assertThat(watched()).hasSize(1);
  }

  @Test
  void blocking_indexThisReplicaNeverGave_answersAtOnce() {
    registerOk(service("web", "web-1", 80, ""));

    List<Answer> answers = watch.send("GET", "/v1/health/service/web?index=999999", "", "");

    assertThat(answers).hasSize(1);
    assertThat(answers.get(0).headers().get("X-Consul-Index"))
        .isEqualTo(Long.toString(catalogue.view().serviceIndex("web")));
  }

  @Test
  void blocking_clientGoesAway_itsWaitIsCancelled() {
    watch.send("GET", "/v1/catalog/services?index=1", "", "");
    assertThat(catalogue.pendingWaits()).isEqualTo(1);

    watchConnection.disconnect();

    assertThat(catalogue.cancelledWaits()).isEqualTo(1);
  }

  @Test
  void noCatalogue_readsEmpty_writes503() throws IOException {
    ApiConnection plain =
        new ApiConnection(new ApiChannelInitializer(CONFIG, agent, new HttpApiStats()));
    ApiCalls plainCalls = new ApiCalls(plain);

    assertThat(plainCalls.get("/v1/catalog/services").body()).isEqualTo("{}");
    assertError(
        plainCalls.request("PUT", "/v1/agent/service/register", service("web", "w", 1, "")),
        503,
        "no_catalogue");
    plain.close();
  }

  private List<Answer> watched() {
    watchConnection.runPendingTasks();
    return watchConnection.answers();
  }
}
