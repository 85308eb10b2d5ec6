package io.hivemind.it.state;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.hivemind.cli.HivemindCommand;
import io.hivemind.core.membership.Address;
import io.hivemind.core.state.StateMessage;
import io.hivemind.server.tls.TlsFiles;
import io.hivemind.server.transport.MutualTls;
import io.hivemind.server.transport.StateTransport;
import io.hivemind.testkit.FreePorts;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The partitioned state's transport on loopback sockets: messages arrive as from the member the
 * sender's hello named; another cluster, another member at the dialled address, a closed port and
 * an untrusted certificate each end in the peer reported unreachable, never in a delivery.
 */
class StateTransportIT {

  private static final String HOST = "127.0.0.1";
  private static final Duration WAIT = Duration.ofSeconds(10);
  private static final StateMessage ACK = new StateMessage.BackupAck(3, 7);

  @TempDir Path dir;
  private final List<StateTransport> transports = new ArrayList<>();

  @AfterEach
  void close() {
    transports.forEach(StateTransport::close);
  }

  @Test
  void send_deliversAsFromTheSendersMemberId() throws Exception {
    Node a = node("a", "it", null);
    Node b = node("b", "it", null);

    a.transport.send("b", b.address(), ACK);
    a.transport.send("b", b.address(), new StateMessage.BackupAck(3, 8));

    assertThat(b.received.poll(WAIT.toSeconds(), TimeUnit.SECONDS)).isEqualTo("a " + ACK);
    assertThat(b.received.poll(WAIT.toSeconds(), TimeUnit.SECONDS))
        .isEqualTo("a " + new StateMessage.BackupAck(3, 8));
    assertThat(a.unreachable).isEmpty();
    assertThat(b.transport.stats().framesIn()).isEqualTo(2);
  }

  @Test
  void senderWhoseMemberIdWasRenewed_isReadAsItsNewId() throws Exception {
    AtomicReference<String> id = new AtomicReference<>("a-old");
    Node a = node(id, "it", null);
    Node b = node("b", "it", null);
    a.transport.send("b", b.address(), ACK);
    assertThat(b.received.poll(WAIT.toSeconds(), TimeUnit.SECONDS)).isEqualTo("a-old " + ACK);

    // The cluster removed a and it rejoined as a new member: the link greeted as a-old must not
    // carry a-new's frames (b would credit a removed member with them).
    id.set("a-new");
    a.transport.send("b", b.address(), ACK);

    assertThat(b.received.poll(WAIT.toSeconds(), TimeUnit.SECONDS)).isEqualTo("a-new " + ACK);
  }

  @Test
  void peerOfAnotherCluster_refusesTheHello_andTheSenderHearsItUnreachable() throws Exception {
    Node a = node("a", "it", null);
    Node c = node("c", "other", null);

    a.transport.send("c", c.address(), ACK);

    assertThat(a.unreachable.poll(WAIT.toSeconds(), TimeUnit.SECONDS)).isEqualTo("c");
    assertThat(c.received).isEmpty();
    await().atMost(WAIT).until(() -> c.transport.stats().wrongCluster() == 1);
  }

  @Test
  void anotherMemberAtTheAddress_isClosedAsTheWrongPeer() throws Exception {
    Node a = node("a", "it", null);
    Node b = node("b", "it", null);

    a.transport.send("x", b.address(), ACK); // x's old address, now b's

    assertThat(a.unreachable.poll(WAIT.toSeconds(), TimeUnit.SECONDS)).isEqualTo("x");
    assertThat(a.transport.stats().wrongPeer()).isEqualTo(1);
  }

  @Test
  void closedPort_isUnreachable_thenSendsAreDroppedDuringTheBackoff() throws Exception {
    Node a = node("a", "it", null);
    Address nobody = new Address(HOST, FreePorts.tcpAndUdp());

    a.transport.send("d", nobody, ACK);
    assertThat(a.unreachable.poll(WAIT.toSeconds(), TimeUnit.SECONDS)).isEqualTo("d");
    a.transport.send("d", nobody, ACK);

    assertThat(a.transport.stats().droppedBackoff()).isEqualTo(1);
  }

  @Test
  void mutualTls_sameCa_delivers_otherCa_isRefused() throws Exception {
    cli("tls", "ca", "create", "--dir", dir.resolve("ca").toString(), "--cluster", "it");
    cli("tls", "ca", "create", "--dir", dir.resolve("other").toString(), "--cluster", "it");
    issue("ca", "a");
    issue("ca", "b");
    issue("other", "s");
    Node a = node("a", "it", tls("ca", "a"));
    Node b = node("b", "it", tls("ca", "b"));
    Node stranger = node("s", "it", tls("other", "s"));

    a.transport.send("b", b.address(), ACK);
    assertThat(b.received.poll(WAIT.toSeconds(), TimeUnit.SECONDS)).isEqualTo("a " + ACK);

    stranger.transport.send("b", b.address(), ACK);
    assertThat(stranger.unreachable.poll(WAIT.toSeconds(), TimeUnit.SECONDS)).isEqualTo("b");
    assertThat(b.received.poll(500, TimeUnit.MILLISECONDS)).isNull();
  }

  @Test
  void mutualTls_aPeerWhoseCertificateDoesNotNameItsMembersHost_isRefused() throws Exception {
    cli("tls", "ca", "create", "--dir", dir.resolve("ca").toString(), "--cluster", "it");
    issue("ca", "b");
    issue("ca", "honest"); // the default names: its name, localhost and 127.0.0.1
    Path ca = dir.resolve("ca");
    cli(
        "tls",
        "cert",
        "create",
        "--ca-dir",
        ca.toString(),
        "--name",
        "elsewhere",
        "--ip",
        "10.9.9.9",
        "--out",
        ca.toString());
    Node b = node("b", "it", tls("ca", "b"));
    // b's control plane admitted "honest" and "impostor" at this host, 127.0.0.1.
    b.transport.verifyPeers(
        id -> id.equals("honest") || id.equals("impostor") ? Optional.of(HOST) : Optional.empty());
    Node honest = node("honest", "it", tls("ca", "honest"));
    Node impostor = node("impostor", "it", tls("ca", "elsewhere"));
    Node unknown = node("unknown", "it", tls("ca", "honest"));

    honest.transport.send("b", b.address(), ACK);
    assertThat(b.received.poll(WAIT.toSeconds(), TimeUnit.SECONDS)).isEqualTo("honest " + ACK);
    impostor.transport.send("b", b.address(), ACK);
    unknown.transport.send("b", b.address(), ACK);

    assertThat(impostor.unreachable.poll(WAIT.toSeconds(), TimeUnit.SECONDS)).isEqualTo("b");
    assertThat(unknown.unreachable.poll(WAIT.toSeconds(), TimeUnit.SECONDS)).isEqualTo("b");
    assertThat(b.received.poll(500, TimeUnit.MILLISECONDS)).isNull();
    assertThat(b.transport.stats().wrongIdentity()).isEqualTo(2);
  }

  private Node node(String id, String cluster, MutualTls tls) {
    return node(new AtomicReference<>(id), cluster, tls);
  }

  private Node node(AtomicReference<String> id, String cluster, MutualTls tls) {
    Node node = new Node();
    node.transport =
        StateTransport.bind(
            new Address(HOST, 0),
            cluster,
            "testing",
            id::get,
            tls,
            new StateTransport.Listener() {
              @Override
              public void onMessage(String fromId, StateMessage message) {
                node.received.add(fromId + " " + message);
              }

              @Override
              public void onPeerUnreachable(String peerId) {
                node.unreachable.add(peerId);
              }
            });
    transports.add(node.transport);
    return node;
  }

  private static final class Node {
    StateTransport transport;
    final BlockingQueue<String> received = new LinkedBlockingQueue<>();
    final BlockingQueue<String> unreachable = new LinkedBlockingQueue<>();

    Address address() {
      return new Address(HOST, transport.port());
    }
  }

  private MutualTls tls(String caDir, String node) {
    Path ca = dir.resolve(caDir);
    return MutualTls.load(
        TlsFiles.of(
            ca.resolve(TlsFiles.CA_CERT_FILE),
            TlsFiles.certFile(ca, node),
            TlsFiles.keyFile(ca, node)),
        Instant.now());
  }

  private void issue(String caDir, String node) {
    Path ca = dir.resolve(caDir);
    cli("tls", "cert", "create", "--ca-dir", ca.toString(), "--name", node, "--out", ca.toString());
  }

  private static void cli(String... args) {
    StringWriter err = new StringWriter();
    int code =
        HivemindCommand.execute(
            args, new PrintWriter(new StringWriter(), true), new PrintWriter(err, true));
    assertThat(code).as(err.toString()).isZero();
  }
}
