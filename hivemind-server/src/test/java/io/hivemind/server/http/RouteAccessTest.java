package io.hivemind.server.http;

import static java.nio.charset.StandardCharsets.ISO_8859_1;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import io.hivemind.core.acl.AclAccess;
import io.hivemind.core.acl.AclPolicy;
import io.hivemind.core.acl.AclResource;
import io.hivemind.core.acl.AclRule;
import io.hivemind.core.acl.AclSecrets;
import io.hivemind.core.acl.AclToken;
import io.hivemind.core.acl.AclTokens;
import io.hivemind.core.catalog.CheckDefinition;
import io.hivemind.core.catalog.CheckKind;
import io.hivemind.core.catalog.HealthStatus;
import io.hivemind.core.control.ControlView;
import io.hivemind.core.control.ExternalCatalog;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpResponseDecoder;
import io.netty.handler.codec.http.HttpServerCodec;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The access table in front of the endpoints, on a route table of its own: a route nobody
 * classified is closed to all but management tokens, the ways a token may be presented, and the
 * resolution cache following the published token set. No socket, no clock.
 */
class RouteAccessTest {

  private static final String ROOT = "root-secret-0123456789";
  private static final String SCOPED = "scoped-secret-0123456789";
  private static final AclToken SCOPED_TOKEN =
      new AclToken(
          "0b6f6a5e-2f1d-4c2a-9a51-000000000001",
          AclSecrets.sha256(SCOPED),
          "",
          false,
          List.of(new AclRule(AclResource.SERVICE, "", AclAccess.WRITE)),
          2,
          2);

  private static final String OPERATOR = "operator-secret-0123456789";
  private static final AclToken OPERATOR_TOKEN =
      new AclToken(
          "0b6f6a5e-2f1d-4c2a-9a51-000000000002",
          AclSecrets.sha256(OPERATOR),
          "",
          false,
          List.of(new AclRule(AclResource.OPERATOR, "", AclAccess.READ)),
          2,
          2);

  /** Reads the partitioned store's map {@code sessions} only (issue 13). */
  private static final String STATE = "state-secret-0123456789";

  private static final AclToken STATE_TOKEN =
      new AclToken(
          "0b6f6a5e-2f1d-4c2a-9a51-000000000003",
          AclSecrets.sha256(STATE),
          "",
          false,
          List.of(new AclRule(AclResource.KEY, "state/sessions/", AclAccess.READ)),
          2,
          2);

  /** Reads the nodes whose names start with {@code web-} only. */
  private static final String NODES = "nodes-secret-0123456789";

  private static final AclToken NODES_TOKEN =
      new AclToken(
          "0b6f6a5e-2f1d-4c2a-9a51-000000000004",
          AclSecrets.sha256(NODES),
          "",
          false,
          List.of(new AclRule(AclResource.NODE, "web-", AclAccess.READ)),
          2,
          2);

  private final AtomicReference<ControlView> view =
      new AtomicReference<>(
          view(AclTokens.of(List.of(SCOPED_TOKEN, OPERATOR_TOKEN, STATE_TOKEN, NODES_TOKEN))));
  private final Routes routes =
      new Routes()
          .add(HttpMethod.PUT, "/v1/new/endpoint", ApiRequest::empty)
          .add(HttpMethod.GET, "/v1/catalog/service/{name}", ApiRequest::empty)
          .add(HttpMethod.GET, "/v1/catalog/node/{node}", ApiRequest::empty)
          .add(HttpMethod.GET, "/v1/health/node/{node}", ApiRequest::empty)
          .add(HttpMethod.GET, "/v1/catalog/datacenters", ApiRequest::empty)
          .add(HttpMethod.PUT, "/v1/agent/maintenance", Routes.takingBody(ApiRequest::empty))
          .add(HttpMethod.PUT, "/v1/agent/check/pass/{id}", Routes.takingBody(ApiRequest::empty))
          .add(HttpMethod.GET, "/v1/partitions", ApiRequest::empty)
          .add(HttpMethod.GET, "/v1/partitions/owners", ApiRequest::empty)
          .add(HttpMethod.GET, "/v1/state/{map}/{key...}", ApiRequest::empty)
          .add(HttpMethod.PUT, "/v1/state/{map}/{key...}", Routes.takingBody(ApiRequest::empty));
  private final MemoryCatalogue catalogue = new MemoryCatalogue();
  private final RouteAccess access =
      new RouteAccess(
          new ApiAcl(new AclConfig(true, AclPolicy.DENY, ROOT), view::get),
          () -> "node-a",
          catalogue);
  private final EmbeddedChannel server =
      new EmbeddedChannel(
          new HttpServerCodec(),
          new HttpObjectAggregator(1 << 16),
          new ApiRequestHandler(routes, access));
  private final EmbeddedChannel client =
      new EmbeddedChannel(new HttpResponseDecoder(), new HttpObjectAggregator(1 << 20));

  private static ControlView view(AclTokens tokens) {
    return new ControlView(
        1,
        1,
        "c",
        "testing",
        List.of(),
        new TreeMap<>(),
        List.of(),
        1,
        ExternalCatalog.EMPTY,
        tokens,
        Optional.empty());
  }

  @AfterEach
  void finish() {
    server.finishAndReleaseAll();
    client.finishAndReleaseAll();
  }

  /** Sends one request with {@code headers} ("Name: value\r\n" lines); returns status and body. */
  private String send(String method, String target, String headers) {
    String request = method + " " + target + " HTTP/1.1\r\nHost: x\r\n" + headers + "\r\n";
    server.writeInbound(Unpooled.copiedBuffer(request, ISO_8859_1));
    server.runPendingTasks();
    for (ByteBuf written = server.readOutbound();
        written != null;
        written = server.readOutbound()) {
      client.writeInbound(written);
    }
    FullHttpResponse response = client.readInbound();
    String answer = response.status().code() + " " + response.content().toString(UTF_8);
    response.release();
    return answer;
  }

  @Test
  void unclassifiedRoute_onlyAManagementTokenPasses() {
    assertThat(send("PUT", "/v1/new/endpoint", "")).startsWith("403 ").contains("acl_denied");
    assertThat(send("PUT", "/v1/new/endpoint", "X-Consul-Token: " + SCOPED + "\r\n"))
        .startsWith("403 ")
        .contains("management token");
    assertThat(send("PUT", "/v1/new/endpoint", "X-Consul-Token: " + ROOT + "\r\n"))
        .startsWith("200 ");
  }

  @Test
  void token_bearerInAnyCase_andAnEmptyHeaderIsNone() {
    assertThat(send("GET", "/v1/catalog/service/web", "Authorization: bearer " + SCOPED + "\r\n"))
        .startsWith("200 ");
    assertThat(send("GET", "/v1/catalog/service/web", "X-Consul-Token: \r\n"))
        .startsWith("403 ")
        .contains("presented no token");
    assertThat(
            send(
                "GET",
                "/v1/catalog/service/web?token=" + SCOPED,
                "X-Consul-Token: unknown-secret-0123456789\r\n"))
        .as("the header comes before the query parameter")
        .startsWith("403 ");
  }

  @Test
  void resolution_followsThePublishedTokenSet() {
    String header = "X-Consul-Token: " + SCOPED + "\r\n";
    assertThat(send("GET", "/v1/catalog/service/web", header)).startsWith("200 ");

    view.set(view(AclTokens.EMPTY)); // the token was deleted and a new view published

    assertThat(send("GET", "/v1/catalog/service/web", header))
        .startsWith("403 ")
        .contains("not known")
        .doesNotContain(SCOPED);
  }

  @Test
  void nodeReads_needNodeReadOnThatNode_datacentersNoToken() {
    String header = "X-Consul-Token: " + NODES + "\r\n";
    assertThat(send("GET", "/v1/catalog/node/web-3", header)).startsWith("200 ");
    assertThat(send("GET", "/v1/health/node/web-3", header)).startsWith("200 ");
    assertThat(send("GET", "/v1/catalog/node/db-1", header))
        .startsWith("403 ")
        .contains("acl_denied");
    assertThat(send("GET", "/v1/health/node/db-1", header)).startsWith("403 ");
    assertThat(send("GET", "/v1/catalog/node/web-3", "")).startsWith("403 ");
    assertThat(send("GET", "/v1/catalog/datacenters", "")).startsWith("200 ");
  }

  @Test
  void nodeCheckUpdate_needsNodeWriteOnThisAgentsNode_notAServiceRule() {
    catalogue.registerCheck(
        new CheckDefinition(
            "disk",
            "disk",
            "",
            CheckKind.TTL,
            Duration.ofSeconds(10),
            Duration.ZERO,
            Duration.ZERO,
            "",
            "",
            Map.of(),
            false,
            Duration.ZERO,
            HealthStatus.CRITICAL));

    // SCOPED may write every service, which a node check is not.
    assertThat(send("PUT", "/v1/agent/check/pass/disk", "X-Consul-Token: " + SCOPED + "\r\n"))
        .startsWith("403 ");
    assertThat(send("PUT", "/v1/agent/check/pass/disk", "X-Consul-Token: " + ROOT + "\r\n"))
        .startsWith("200 ");
  }

  @Test
  void nodeMaintenance_needsNodeWriteOnThisAgentsNode() {
    assertThat(
            send("PUT", "/v1/agent/maintenance?enable=true", "X-Consul-Token: " + NODES + "\r\n"))
        .startsWith("403 ");
    assertThat(send("PUT", "/v1/agent/maintenance?enable=true", "X-Consul-Token: " + ROOT + "\r\n"))
        .startsWith("200 ");
  }

  @Test
  void partitions_needOperatorRead() {
    assertThat(send("GET", "/v1/partitions", "X-Consul-Token: " + SCOPED + "\r\n"))
        .startsWith("403 ")
        .contains("acl_denied");
    assertThat(send("GET", "/v1/partitions", "X-Consul-Token: " + OPERATOR + "\r\n"))
        .startsWith("200 ");
  }

  @Test
  void partitionOwners_needOperatorRead() {
    assertThat(send("GET", "/v1/partitions/owners", "X-Consul-Token: " + STATE + "\r\n"))
        .startsWith("403 ");
    assertThat(send("GET", "/v1/partitions/owners", "X-Consul-Token: " + OPERATOR + "\r\n"))
        .startsWith("200 ");
  }

  @Test
  void state_needsTheKeyRuleOfStateMapKey() {
    String header = "X-Consul-Token: " + STATE + "\r\n";

    assertThat(send("GET", "/v1/state/sessions/user/1", header)).startsWith("200 ");
    assertThat(send("GET", "/v1/state/carts/user/1", header))
        .startsWith("403 ")
        .contains("acl_denied");
    assertThat(send("PUT", "/v1/state/sessions/user/1", header)).startsWith("403 ");
  }
}
