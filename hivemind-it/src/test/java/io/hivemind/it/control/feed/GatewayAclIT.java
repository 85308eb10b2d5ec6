package io.hivemind.it.control.feed;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import io.hivemind.core.acl.AclAccess;
import io.hivemind.core.acl.AclPolicy;
import io.hivemind.core.acl.AclResource;
import io.hivemind.core.acl.AclRule;
import io.hivemind.core.acl.AclSecrets;
import io.hivemind.core.acl.AclToken;
import io.hivemind.core.catalog.Weights;
import io.hivemind.core.control.ApplyResult;
import io.hivemind.core.control.ControlCommand;
import io.hivemind.core.control.ExternalNode;
import io.hivemind.core.control.ExternalService;
import io.hivemind.core.control.GatewayError;
import io.hivemind.core.control.GatewayMessage;
import io.hivemind.core.control.WireControlCodec;
import io.hivemind.server.acl.AclTokenResolver;
import io.hivemind.server.transport.ControlGatewayClient;
import io.hivemind.server.transport.ControlGatewayServer;
import io.hivemind.server.transport.GatewayServerConfig;
import io.hivemind.testkit.FreePorts;
import io.hivemind.testkit.InMemoryControlLog;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A control node with ACLs checks a follower's KV, ACL and event commands again, against the token
 * of the request each was made for (docs/acl.md): a follower cannot write a key its request's token
 * may not, nor mint a token with a key writer's. Real sockets, the real gateway, a real control
 * state behind it.
 */
class GatewayAclIT {

  private static final Duration WAIT = Duration.ofSeconds(20);
  private static final String MANAGEMENT = "initial-management-secret-0123";
  private static final String APP_WRITER = "app-writer-secret-0123456789";
  private static final String MINTED = "0b6f6a5e-2f1d-4c2a-9a51-000000000002";

  private InMemoryControlLog log;
  private ControlGatewayServer server;
  private ControlGatewayClient client;
  private GatewayLink link;

  @BeforeEach
  void start() throws Exception {
    log = new InMemoryControlLog(1_000, 1_000, "127.0.0.1:7303");
    log.append(new ControlCommand.Bootstrap("c1", "testing"));
    ApplyResult writer =
        log.append(
            new ControlCommand.AclTokenUpsert(
                new AclToken(
                    "0b6f6a5e-2f1d-4c2a-9a51-000000000001",
                    AclSecrets.sha256(APP_WRITER),
                    "",
                    false,
                    List.of(new AclRule(AclResource.KEY, "app/", AclAccess.WRITE)),
                    0,
                    0)));
    assertThat(writer).isInstanceOf(ApplyResult.Applied.class);
    server =
        ControlGatewayServer.bind(
            GatewayServerConfig.of("127.0.0.1", FreePorts.tcpAndUdp(), "testing"),
            log,
            null,
            null,
            new AclTokenResolver(true, AclPolicy.DENY, MANAGEMENT, log::view));
    client = ControlGatewayClient.plaintext();
    link = GatewayLink.open(client, server.port());
  }

  @AfterEach
  void stop() {
    client.close();
    server.close();
  }

  @Test
  void kvWrite_allowedByTheRequestsToken_commits_otherwiseRefusedAndCounted() throws Exception {
    assertThat(submit(1, kvSet("app/color"), APP_WRITER)).isInstanceOf(ApplyResult.Applied.class);

    GatewayMessage.Failure outside = refused(2, kvSet("ops/color"), APP_WRITER);
    assertThat(outside.message()).contains("may not write key 'ops/color'");
    GatewayMessage.Failure anonymous = refused(3, kvSet("app/size"), "");
    assertThat(anonymous.message()).startsWith("a request without a token");
    GatewayMessage.Failure unknown = refused(4, kvSet("app/size"), "no-such-secret-0123456");
    assertThat(unknown.message()).contains("not known to this cluster");

    assertThat(log.view().kv()).containsOnlyKeys("app/color");
    assertThat(server.stats().aclRefused()).isEqualTo(3);
  }

  @Test
  void aKeyWritersToken_cannotMintAManagementToken_theManagementTokenCan() throws Exception {
    ControlCommand mint =
        new ControlCommand.AclTokenUpsert(
            new AclToken(
                MINTED, AclSecrets.sha256("minted-secret-0123456"), "", true, List.of(), 0, 0));

    assertThat(refused(1, mint, APP_WRITER).message()).contains("may not write acl");
    assertThat(log.view().acl().byAccessor(MINTED)).isNull();

    assertThat(submit(2, mint, MANAGEMENT)).isInstanceOf(ApplyResult.Applied.class);
    assertThat(log.view().acl().byAccessor(MINTED)).isNotNull();
  }

  @Test
  void persistentCatalogueWrites_needTheNodeAndTheService() throws Exception {
    ControlCommand register =
        new ControlCommand.CatalogRegister(
            new ExternalNode("ext-db", "10.0.0.9", Map.of(), Map.of()),
            Optional.of(
                new ExternalService(
                    "db-1", "db", List.of(), "", 5432, Map.of(), new Weights(1, 1))),
            List.of(),
            false);
    ControlCommand deregister = new ControlCommand.CatalogDeregister("ext-db", "db-1", "");

    assertThat(refused(1, register, APP_WRITER).message()).contains("may not write node 'ext-db'");
    assertThat(refused(2, register, "").message()).startsWith("a request without a token");
    assertThat(log.view().external().nodes()).isEmpty();

    assertThat(submit(3, register, MANAGEMENT)).isInstanceOf(ApplyResult.Applied.class);
    assertThat(refused(4, deregister, APP_WRITER).message()).contains("node 'ext-db'");
    assertThat(submit(5, deregister, MANAGEMENT)).isInstanceOf(ApplyResult.Applied.class);
    assertThat(server.stats().aclRefused()).isEqualTo(3);
  }

  private static ControlCommand kvSet(String key) {
    return new ControlCommand.KvSet(key, "v".getBytes(UTF_8), 0, -1);
  }

  private ApplyResult submit(long id, ControlCommand command, String token) throws Exception {
    link.submit(id, command, token);
    GatewayMessage answer = link.answer(id);
    assertThat(answer).as(String.valueOf(answer)).isInstanceOf(GatewayMessage.SubmitResult.class);
    return WireControlCodec.decodeResult(((GatewayMessage.SubmitResult) answer).resultBytes());
  }

  private GatewayMessage.Failure refused(long id, ControlCommand command, String token)
      throws Exception {
    link.submit(id, command, token);
    GatewayMessage answer = link.answer(id);
    assertThat(answer).as(String.valueOf(answer)).isInstanceOf(GatewayMessage.Failure.class);
    GatewayMessage.Failure failure = (GatewayMessage.Failure) answer;
    assertThat(failure.code()).isEqualTo(GatewayError.ACL_DENIED);
    return failure;
  }
}
