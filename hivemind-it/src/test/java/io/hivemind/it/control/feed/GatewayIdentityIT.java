package io.hivemind.it.control.feed;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.hivemind.core.control.ApplyResult;
import io.hivemind.core.control.ControlCommand;
import io.hivemind.core.control.ControlMember;
import io.hivemind.core.control.GatewayError;
import io.hivemind.core.control.GatewayMessage;
import io.hivemind.core.control.RemovalReason;
import io.hivemind.core.control.WireControlCodec;
import io.hivemind.core.membership.Address;
import io.hivemind.server.catalog.CatalogLink;
import io.hivemind.server.catalog.CatalogLinks;
import io.hivemind.server.tls.CertificateAuthority;
import io.hivemind.server.tls.NodeCertificate;
import io.hivemind.server.tls.NodeCertificateRequest;
import io.hivemind.server.tls.TlsMaterial;
import io.hivemind.server.transport.ControlGatewayClient;
import io.hivemind.server.transport.ControlGatewayServer;
import io.hivemind.server.transport.GatewayServerConfig;
import io.hivemind.server.transport.MutualTls;
import io.hivemind.testkit.FreePorts;
import io.hivemind.testkit.InMemoryControlLog;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Over mutual TLS a gateway binds what a follower may submit to the node its certificate names
 * (docs/security.md, "Identity"): with certificates from one cluster CA, node a can leave but
 * cannot make b leave, and cannot follow as b. Real TLS on loopback, the real gateway, a real
 * control state behind it.
 */
class GatewayIdentityIT {

  private static final Duration WAIT = GatewayLink.WAIT;
  private static final String ENVIRONMENT = "testing";

  private static CertificateAuthority ca;

  private final Frames catalogue = new Frames();
  private InMemoryControlLog log;
  private ControlGatewayServer server;
  private ControlGatewayClient client;

  @BeforeAll
  static void createCa() {
    ca = CertificateAuthority.create("it", Duration.ofDays(1), Instant.now());
  }

  private static MutualTls tlsOf(String node) {
    return tlsOf(node, false);
  }

  /** {@code control}: made with {@code --control}, as a control node's is. */
  private static MutualTls tlsOf(String node, boolean control) {
    NodeCertificateRequest request = NodeCertificateRequest.withDefaults(node, Duration.ofDays(1));
    NodeCertificate certificate = ca.issue(control ? request.forControl() : request, Instant.now());
    return MutualTls.of(
        new TlsMaterial(
            List.of(ca.certificate()), certificate.certificate(), certificate.privateKey()));
  }

  @BeforeEach
  void start() {
    log = new InMemoryControlLog(1_000, 1_000, "127.0.0.1:7303");
    log.append(new ControlCommand.Bootstrap("c1", ENVIRONMENT));
    log.append(new ControlCommand.AdmitMember(member("id-a", "a")));
    log.append(new ControlCommand.AdmitMember(member("id-b", "b")));
    server =
        ControlGatewayServer.bind(
            GatewayServerConfig.of("127.0.0.1", FreePorts.tcpAndUdp(), ENVIRONMENT),
            log,
            tlsOf("control-1", true).serverContext(),
            catalogue);
    client = clientOf("a");
  }

  private static ControlGatewayClient clientOf(String node) {
    return clientOf(node, false);
  }

  private static ControlGatewayClient clientOf(String node, boolean control) {
    return new ControlGatewayClient(
        tlsOf(node, control).clientContext(),
        ControlGatewayClient.DEFAULT_MAX_FRAME_BYTES,
        ControlGatewayClient.DEFAULT_CONNECT_TIMEOUT);
  }

  @AfterEach
  void stop() {
    client.close();
    server.close();
  }

  @Test
  void nodeA_cannotMakeBLeave_butCanLeaveItself() throws Exception {
    GatewayLink link = connect();

    link.submit(1, new ControlCommand.RemoveMember("id-b", RemovalReason.LEFT, List.of()), "");
    GatewayMessage.Failure refused = link.next(GatewayMessage.Failure.class);
    assertThat(refused.code()).isEqualTo(GatewayError.INVALID_REQUEST);
    assertThat(refused.message()).contains("names a").contains("removal of b");
    assertThat(server.stats().identityRefused()).isEqualTo(1);
    assertThat(log.view().members()).extracting(ControlMember::name).containsExactly("a", "b");

    link.submit(2, new ControlCommand.RemoveMember("id-a", RemovalReason.LEFT, List.of()), "");
    GatewayMessage.SubmitResult left = link.next(GatewayMessage.SubmitResult.class);
    assertThat(WireControlCodec.decodeResult(left.resultBytes()))
        .isInstanceOf(ApplyResult.Applied.class);
    assertThat(log.view().members()).extracting(ControlMember::name).containsExactly("b");
  }

  @Test
  void nodeA_followingAsB_isRefusedAndClosed_asItselfFollows() throws Exception {
    GatewayLink impostor = connect();
    impostor.send(new GatewayMessage.Follow(0, "id-b", ENVIRONMENT));
    GatewayMessage.Failure refused = impostor.next(GatewayMessage.Failure.class);
    assertThat(refused.requestId()).isZero();
    assertThat(refused.message()).contains("names a").contains("id-b");
    await().atMost(WAIT).until(() -> impostor.closed());
    assertThat(server.stats().identityRefused()).isEqualTo(1);

    GatewayLink itself = connect();
    itself.send(new GatewayMessage.Follow(0, "id-a", ENVIRONMENT));
    assertThat(itself.next(GatewayMessage.Heartbeat.class)).isNotNull();
    assertThat(itself.closed()).isFalse();
    assertThat(server.stats().identityRefused()).isEqualTo(1);
  }

  @Test
  void admissionWithTheControlRole_needsAControlCertificate() throws Exception {
    ControlMember voter =
        new ControlMember(
            "id-d", "d", new Address("127.0.0.1", 7946), List.of("control"), "", "host-d", 0, 0);
    try (ControlGatewayClient plain = clientOf("d");
        ControlGatewayClient control = clientOf("d", true)) {
      GatewayLink link = connect(plain);
      link.submit(1, new ControlCommand.AdmitMember(voter), "");
      GatewayMessage.Failure refused = link.next(GatewayMessage.Failure.class);
      assertThat(refused.code()).isEqualTo(GatewayError.INVALID_REQUEST);
      assertThat(refused.message()).contains("not a control node's").contains("--control");
      assertThat(server.stats().identityRefused()).isEqualTo(1);
      assertThat(log.view().members()).extracting(ControlMember::name).containsExactly("a", "b");

      GatewayLink controlLink = connect(control);
      controlLink.submit(2, new ControlCommand.AdmitMember(voter), "");
      GatewayMessage.SubmitResult admitted = controlLink.next(GatewayMessage.SubmitResult.class);
      assertThat(WireControlCodec.decodeResult(admitted.resultBytes()))
          .isInstanceOf(ApplyResult.Applied.class);
      assertThat(log.view().members())
          .extracting(ControlMember::name)
          .containsExactly("a", "b", "d");
    }
  }

  @Test
  void catalogueChanges_ofAnOwnerNotAdmittedYet_droppedUntilItIsAdmittedUnderTheCertificatesName()
      throws Exception {
    try (ControlGatewayClient d = clientOf("d")) {
      GatewayLink link = connect(d);
      link.send(new GatewayMessage.Follow(0, "id-d", ENVIRONMENT));
      link.next(GatewayMessage.Heartbeat.class);

      link.send(new GatewayMessage.Catalog(new byte[] {1}));
      await().atMost(WAIT).until(() -> server.stats().catalogUnconfirmed() == 1);
      assertThat(catalogue.received).isEmpty();

      log.append(new ControlCommand.AdmitMember(member("id-d", "d")));
      link.send(new GatewayMessage.Catalog(new byte[] {2}));
      await().atMost(WAIT).until(() -> catalogue.received.size() == 1);
      assertThat(catalogue.received.peek()).containsExactly(2);
      assertThat(server.stats().identityRefused()).isZero();
      assertThat(link.closed()).isFalse();
    }
  }

  private GatewayLink connect() throws InterruptedException {
    return connect(client);
  }

  private GatewayLink connect(ControlGatewayClient client) throws InterruptedException {
    return GatewayLink.open(client, server.port());
  }

  private static ControlMember member(String id, String name) {
    return new ControlMember(
        id, name, new Address("127.0.0.1", 7946), List.of(), "", "host-" + name, 0, 0);
  }

  /** The replication's side of the gateway: the catalogue frames it was handed. */
  private static final class Frames implements CatalogLinks {
    final BlockingQueue<byte[]> received = new LinkedBlockingQueue<>();

    @Override
    public void attach(CatalogLink link) {}

    @Override
    public void received(CatalogLink link, byte[] frame) {
      received.add(frame);
    }

    @Override
    public void detached(CatalogLink link) {}

    @Override
    public boolean isControlPeer(String nodeId) {
      return false;
    }

    @Override
    public boolean isAdmitted(String nodeId) {
      return true;
    }
  }
}
