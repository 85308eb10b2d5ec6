package io.hivemind.server.http;

import static io.hivemind.server.http.ApiCalls.assertError;
import static io.hivemind.server.http.ApiCalls.only;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.hivemind.core.acl.AclPolicy;
import io.hivemind.core.acl.AclSecrets;
import io.hivemind.server.http.ApiConnection.Answer;
import java.io.IOException;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * ACLs over the real pipeline, against an in-memory control plane (a real {@code ControlState}) and
 * catalogue: the token endpoints, the check before each route, the three ways to present a token,
 * list filtering, and the stable error. No socket, no wall clock.
 */
class AclHandlersTest {

  private static final HttpApiConfig CONFIG =
      new HttpApiConfig(
          "127.0.0.1", 0, "1.2.3", Duration.ofSeconds(30), Duration.ofSeconds(30), 64 * 1024);
  private static final String ROOT = "root-secret-0123456789";
  private static final String WEB_1 = "{\"Name\":\"web\",\"ID\":\"web-1\",\"Port\":80}";
  private static final String DB_1 = "{\"Name\":\"db\",\"ID\":\"db-1\",\"Port\":5432}";

  private final StubAgent agent = new StubAgent();
  private final MemoryControlPlane plane = new MemoryControlPlane();
  private final MemoryCatalogue catalogue = new MemoryCatalogue();
  private ApiConnection connection = connect(new AclConfig(true, AclPolicy.DENY, ROOT));
  private ApiCalls calls = new ApiCalls(connection);

  {
    agent.control = plane;
  }

  private ApiConnection connect(AclConfig acl) {
    return new ApiConnection(
        new ApiChannelInitializer(CONFIG, agent, catalogue, new HttpApiStats(), acl));
  }

  @AfterEach
  void finish() {
    connection.close();
  }

  private Answer as(String secret, String method, String target, String body) {
    return only(calls.send(method, target, body, "X-Consul-Token: " + secret + "\r\n"));
  }

  /** Creates a token with {@code rules} as the root; returns its JSON (with the secret). */
  private JsonNode create(String rules) throws IOException {
    Answer created =
        as(ROOT, "PUT", "/v1/acl/token", "{\"Description\":\"t\",\"Rules\":" + rules + "}");
    assertThat(created.status()).as(created.body()).isEqualTo(200);
    return created.json();
  }

  @Test
  void write_withoutToken_403AclDeniedNamingThePermission() throws IOException {
    Answer answer = calls.request("PUT", "/v1/agent/service/register", WEB_1);

    assertError(answer, 403, "acl_denied");
    assertThat(answer.json().get("message").asText()).contains("service \"web\" write");
    assertThat(catalogue.localInstances()).isEmpty();
  }

  @Test
  void unknownToken_403_evenWhereTheDefaultPolicyAllows() throws IOException {
    connection.close();
    connection = connect(new AclConfig(true, AclPolicy.ALLOW, ROOT));
    calls = new ApiCalls(connection);

    assertThat(calls.get("/v1/catalog/services").status()).isEqualTo(200); // anonymous: allowed
    Answer answer = as("wrong-secret", "GET", "/v1/catalog/services", "");

    assertError(answer, 403, "acl_denied");
    assertThat(answer.body()).doesNotContain("wrong-secret");
  }

  @Test
  void scopedToken_writesItsServiceOnly_andEveryWayOfPresentingItWorks() throws IOException {
    String secret =
        create("[{\"Resource\":\"service\",\"Prefix\":\"web\",\"Access\":\"write\"}]")
            .get("SecretID")
            .asText();

    assertThat(as(secret, "PUT", "/v1/agent/service/register", WEB_1).status()).isEqualTo(200);
    assertError(as(secret, "PUT", "/v1/agent/service/register", DB_1), 403, "acl_denied");
    Answer bearer =
        only(
            calls.send(
                "GET", "/v1/catalog/service/web", "", "Authorization: Bearer " + secret + "\r\n"));
    assertThat(bearer.status()).isEqualTo(200);
    assertThat(calls.get("/v1/catalog/service/web?token=" + secret).status()).isEqualTo(200);
    assertError(calls.get("/v1/catalog/service/db?token=" + secret), 403, "acl_denied");
  }

  @Test
  void catalogServices_filteredToWhatTheTokenMayRead() throws IOException {
    String ttl = ",\"Check\":{\"TTL\":\"30s\",\"Status\":\"passing\"}}";
    as(ROOT, "PUT", "/v1/agent/service/register", WEB_1.replace("}", ttl));
    as(ROOT, "PUT", "/v1/agent/service/register", DB_1.replace("}", ttl));
    String secret =
        create("[{\"Resource\":\"service\",\"Prefix\":\"w\",\"Access\":\"read\"}]")
            .get("SecretID")
            .asText();

    JsonNode seen = as(secret, "GET", "/v1/catalog/services", "").json();
    JsonNode anonymous = calls.get("/v1/catalog/services").json();
    JsonNode root = as(ROOT, "GET", "/v1/catalog/services", "").json();

    assertThat(seen.fieldNames()).toIterable().containsExactly("web");
    assertThat(anonymous.fieldNames()).toIterable().isEmpty();
    assertThat(root.fieldNames()).toIterable().containsExactlyInAnyOrder("web", "db");
    assertThat(as(secret, "GET", "/v1/agent/services", "").json().fieldNames())
        .toIterable()
        .containsExactly("web-1");
    assertThat(as(secret, "GET", "/v1/health/state/any", "").json().findValuesAsText("ServiceName"))
        .containsExactly("web");
    assertThat(as(ROOT, "GET", "/v1/health/state/any", "").json().findValuesAsText("ServiceName"))
        .containsExactlyInAnyOrder("web", "db");
    assertThat(calls.get("/v1/agent/services").json().size()).isZero();
  }

  @Test
  void create_commitsOnlyTheHash_andReadsNeverShowTheSecret() throws IOException {
    JsonNode created = create("[]");
    String accessor = created.get("AccessorID").asText();
    String secret = created.get("SecretID").asText();

    assertThat(plane.view().acl().byAccessor(accessor).secretSha256())
        .isEqualTo(AclSecrets.sha256(secret));
    Answer read = as(ROOT, "GET", "/v1/acl/token/" + accessor, "");
    Answer list = as(ROOT, "GET", "/v1/acl/tokens", "");
    Answer self = as(secret, "GET", "/v1/acl/token/self", "");
    assertThat(read.json().get("AccessorID").asText()).isEqualTo(accessor);
    assertThat(list.json()).hasSize(1);
    assertThat(self.json().get("AccessorID").asText()).isEqualTo(accessor);
    assertThat(read.body() + list.body() + self.body())
        .doesNotContain(secret)
        .doesNotContain("SecretID");
  }

  @Test
  void txn_needsEachOperationsAccess_andTheRefusalNamesIt() throws IOException {
    String secret =
        create(
                "[{\"Resource\":\"key\",\"Prefix\":\"app/\",\"Access\":\"write\"},"
                    + "{\"Resource\":\"key\",\"Prefix\":\"shared/\",\"Access\":\"read\"}]")
            .get("SecretID")
            .asText();
    String setApp = "{\"KV\":{\"Verb\":\"set\",\"Key\":\"app/x\",\"Value\":\"MQ==\"}}";
    String readShared = "{\"KV\":{\"Verb\":\"get-tree\",\"Key\":\"shared/\"}}";
    String setShared = "{\"KV\":{\"Verb\":\"set\",\"Key\":\"shared/x\"}}";

    Answer allowed = as(secret, "PUT", "/v1/txn", "[" + setApp + "," + readShared + "]");
    Answer denied = as(secret, "PUT", "/v1/txn", "[" + setApp + "," + setShared + "]");

    assertThat(allowed.status()).as(allowed.body()).isEqualTo(200);
    assertError(denied, 403, "acl_denied");
    assertThat(denied.json().get("message").asText()).contains("shared/x");
    assertError(calls.request("PUT", "/v1/txn", "[" + setApp + "]"), 403, "acl_denied");
    assertThat(plane.view().kv()).containsOnlyKeys("app/x");
  }

  @Test
  void deletedToken_403_andDeletingAgain404() throws IOException {
    JsonNode created = create("[{\"Resource\":\"key\",\"Prefix\":\"\",\"Access\":\"write\"}]");
    String secret = created.get("SecretID").asText();
    String accessor = created.get("AccessorID").asText();
    assertThat(as(secret, "PUT", "/v1/kv/a", "1").status()).isEqualTo(200);

    assertThat(as(ROOT, "DELETE", "/v1/acl/token/" + accessor, "").body()).isEqualTo("true");

    assertError(as(secret, "PUT", "/v1/kv/a", "2"), 403, "acl_denied");
    assertError(as(ROOT, "DELETE", "/v1/acl/token/" + accessor, ""), 404, "acl_not_found");
  }

  @Test
  void aclEndpoints_needAclAccess_andSelfNeedsAToken() throws IOException {
    String secret =
        create("[{\"Resource\":\"service\",\"Prefix\":\"\",\"Access\":\"write\"}]")
            .get("SecretID")
            .asText();

    assertError(as(secret, "PUT", "/v1/acl/token", "{}"), 403, "acl_denied");
    assertError(as(secret, "GET", "/v1/acl/tokens", ""), 403, "acl_denied");
    assertError(calls.get("/v1/acl/token/self"), 403, "acl_denied");
  }

  @Test
  void create_badRules_400NamingTheField() throws IOException {
    Answer answer =
        as(
            ROOT,
            "PUT",
            "/v1/acl/token",
            "{\"Rules\":[{\"Resource\":\"service\",\"Access\":\"all\"}]}");

    assertError(answer, 400, "bad_token");
    assertThat(answer.json().get("message").asText()).contains("Access");
  }

  @Test
  void statusLeader_needsNoToken_agentEndpointsDo() throws IOException {
    assertThat(calls.get("/v1/status/leader").status()).isEqualTo(200);
    assertError(calls.get("/v1/agent/self"), 403, "acl_denied");
    assertError(calls.request("PUT", "/v1/agent/leave", ""), 403, "acl_denied");
    assertThat(as(ROOT, "GET", "/v1/agent/self", "").status()).isEqualTo(200);
  }

  @Test
  void aclsDisabled_everythingAllowed_butTokenEndpointsRefuse() throws IOException {
    connection.close();
    connection = connect(AclConfig.DISABLED);
    calls = new ApiCalls(connection);

    assertThat(calls.request("PUT", "/v1/agent/service/register", DB_1).status()).isEqualTo(200);
    assertError(calls.request("PUT", "/v1/acl/token", "{}"), 400, "acl_disabled");
  }

  @Test
  void recursiveKvDelete_deniedWhenARuleUnderThePrefixDenies() throws IOException {
    String secret =
        create(
                "[{\"Resource\":\"key\",\"Prefix\":\"app/\",\"Access\":\"write\"},"
                    + "{\"Resource\":\"key\",\"Prefix\":\"app/secret\",\"Access\":\"deny\"}]")
            .get("SecretID")
            .asText();
    as(ROOT, "PUT", "/v1/kv/app/secret", "s");

    assertThat(as(secret, "PUT", "/v1/kv/app/a", "1").status()).isEqualTo(200);
    assertError(as(secret, "GET", "/v1/kv/app/secret", ""), 403, "acl_denied");
    Answer recurse = as(secret, "DELETE", "/v1/kv/app/?recurse", "");
    assertError(recurse, 403, "acl_denied");
    assertThat(recurse.json().get("message").asText()).contains("everything under it");
    assertThat(plane.view().kv()).containsKey("app/secret");
  }
}
