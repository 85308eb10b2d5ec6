package io.hivemind.server.http;

import static io.hivemind.server.http.ApiCalls.assertError;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.hivemind.core.control.ControlCommand;
import io.hivemind.core.control.ControlMember;
import io.hivemind.core.membership.Address;
import io.hivemind.server.http.ApiConnection.Answer;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Consul's session API over the real pipeline, against one in-memory replica applying a real {@code
 * ControlState}: creation with Consul's defaults and its field forms, the shapes it reads back,
 * renewal, destruction with the lock it held, and the refusals a careless client meets.
 */
class SessionHandlersTest {

  private static final HttpApiConfig CONFIG =
      new HttpApiConfig(
          "127.0.0.1", 0, "1.2.3", Duration.ofSeconds(30), Duration.ofSeconds(30), 64 * 1024);
  private static final ObjectMapper JSON = new ObjectMapper();

  private final StubAgent agent = new StubAgent();
  private final MemoryControlPlane plane = new MemoryControlPlane();
  private final ApiConnection connection =
      new ApiConnection(new ApiChannelInitializer(CONFIG, agent, new HttpApiStats()));
  private final ApiCalls calls = new ApiCalls(connection);

  {
    agent.control = plane;
    plane.apply(
        new ControlCommand.AdmitMember(
            new ControlMember(
                "node-1-id",
                StubAgent.SELF.name(),
                new Address("10.0.0.1", 7360),
                List.of("catalog"),
                "",
                "host-1",
                0,
                0)));
  }

  @AfterEach
  void finish() {
    connection.close();
  }

  private String create(String body) throws Exception {
    Answer answer = calls.request("PUT", "/v1/session/create", body);
    assertThat(answer.status()).as(answer.body()).isEqualTo(200);
    return JSON.readTree(answer.body()).get("ID").asText();
  }

  private JsonNode json(Answer answer) throws Exception {
    assertThat(answer.status()).as(answer.body()).isEqualTo(200);
    return JSON.readTree(answer.body());
  }

  @Test
  void create_emptyBody_consulDefaults_boundToThisAgent() throws Exception {
    String id = create("");

    JsonNode session = json(calls.get("/v1/session/info/" + id)).get(0);
    assertThat(session.get("Node").asText()).isEqualTo(StubAgent.SELF.name());
    assertThat(session.get("LockDelay").asLong()).isEqualTo(15_000_000_000L);
    assertThat(session.get("Behavior").asText()).isEqualTo("release");
    assertThat(session.get("TTL").asText()).isEmpty();
    assertThat(session.get("NodeChecks").get(0).asText()).isEqualTo("serfHealth");
    assertThat(session.get("CreateIndex").asLong()).isEqualTo(plane.view().index());
  }

  @Test
  void create_fieldsAsConsulClientsSendThem() throws Exception {
    // A bare number of LockDelay below 1000 is seconds (Consul's rule), a duration string a Go one.
    String seconds = create("{\"LockDelay\":7,\"TTL\":\"30s\",\"Behavior\":\"delete\"}");
    String nanos = create("{\"lock_delay\":2000000000,\"name\":\"x\",\"Checks\":[\"serfHealth\"]}");

    JsonNode first = json(calls.get("/v1/session/info/" + seconds)).get(0);
    assertThat(first.get("LockDelay").asLong()).isEqualTo(7_000_000_000L);
    assertThat(first.get("TTL").asText()).isEqualTo("30s");
    assertThat(first.get("Behavior").asText()).isEqualTo("delete");
    JsonNode second = json(calls.get("/v1/session/info/" + nanos)).get(0);
    assertThat(second.get("LockDelay").asLong()).isEqualTo(2_000_000_000L);
    assertThat(second.get("Name").asText()).isEqualTo("x");
    assertThat(json(calls.get("/v1/session/list")).findValuesAsText("ID"))
        .containsExactlyInAnyOrder(seconds, nanos);
    assertThat(json(calls.get("/v1/session/node/" + StubAgent.SELF.name()))).hasSize(2);
    assertThat(json(calls.get("/v1/session/node/other"))).isEmpty();
  }

  @Test
  void create_refusesWhatItCannotHonour() throws Exception {
    assertError(
        calls.request("PUT", "/v1/session/create", "{\"TTL\":\"5s\"}"), 400, "invalid_session");
    // A number is nanoseconds, as Go's client sends a Duration: 5 ns is not "no TTL".
    assertError(calls.request("PUT", "/v1/session/create", "{\"TTL\":5}"), 400, "invalid_session");
    assertError(
        calls.request("PUT", "/v1/session/create", "{\"LockDelay\":\"2m\"}"),
        400,
        "invalid_session");
    assertError(
        calls.request("PUT", "/v1/session/create", "{\"Behavior\":\"keep\"}"),
        400,
        "invalid_session");
    assertError(
        calls.request("PUT", "/v1/session/create", "{\"Checks\":[\"service:web\"]}"),
        400,
        "not_supported");
    assertError(
        calls.request("PUT", "/v1/session/create", "{\"ID\":\"mine\"}"), 400, "not_supported");
    assertError(calls.request("PUT", "/v1/session/create", "{\"Colour\":1}"), 400, "unknown_field");
    assertError(calls.request("PUT", "/v1/session/create", "[1]"), 400, "invalid_session");
    assertError(
        calls.request("PUT", "/v1/session/create", "{\"Node\":\"ghost\"}"), 404, "unknown_member");
    assertThat(plane.view().sessions().size()).isZero();
  }

  @Test
  void renew_answersTheSession_andAnUnknownOne404() throws Exception {
    String id = create("{\"TTL\":\"10s\"}");

    assertThat(json(calls.request("PUT", "/v1/session/renew/" + id, "")).get(0).get("ID").asText())
        .isEqualTo(id);
    assertError(calls.request("PUT", "/v1/session/renew/nope", ""), 404, "no_session");
  }

  @Test
  void destroy_releasesItsLock_andAnAbsentSessionIsTrueToo() throws Exception {
    String id = create("{\"LockDelay\":\"0s\"}");
    assertThat(calls.request("PUT", "/v1/kv/leader?acquire=" + id, "me").body()).isEqualTo("true");
    JsonNode locked = json(calls.get("/v1/kv/leader")).get(0);
    assertThat(locked.get("Session").asText()).isEqualTo(id);
    assertThat(locked.get("LockIndex").asInt()).isEqualTo(1);

    assertThat(calls.request("PUT", "/v1/session/destroy/" + id, "").body()).isEqualTo("true");

    JsonNode released = json(calls.get("/v1/kv/leader")).get(0);
    assertThat(released.has("Session")).isFalse();
    assertThat(released.get("LockIndex").asInt()).isEqualTo(1);
    assertThat(calls.request("PUT", "/v1/session/destroy/" + id, "").body()).isEqualTo("true");
    assertThat(json(calls.get("/v1/session/info/" + id))).isEmpty();
  }
}
