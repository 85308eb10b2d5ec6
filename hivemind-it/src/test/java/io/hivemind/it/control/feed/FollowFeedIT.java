package io.hivemind.it.control.feed;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.hivemind.core.control.ApplyResult;
import io.hivemind.core.control.ControlCommand;
import io.hivemind.core.control.ControlView;
import io.hivemind.core.control.GatewayMessage;
import io.hivemind.core.control.WireGatewayCodec;
import io.hivemind.core.membership.Address;
import io.hivemind.server.control.EnvironmentDeclaration;
import io.hivemind.server.control.FollowerConfig;
import io.hivemind.server.control.FollowerControlPlane;
import io.hivemind.server.control.NoQuorumException;
import io.hivemind.server.transport.ControlGatewayClient;
import io.hivemind.server.transport.ControlGatewayServer;
import io.hivemind.server.transport.GatewayServerConfig;
import io.hivemind.server.transport.GossipLoops;
import io.hivemind.testkit.FreePorts;
import io.hivemind.testkit.InMemoryControlLog;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The follow feed on loopback: gateways over an in-memory committed log (one state applied
 * directly, no Raft), followers over real TCP connections. What the unit tests on a manual loop
 * cannot show: the framing, the shared buffers and the connection life on real sockets.
 */
class FollowFeedIT {

  private static final Duration WAIT = Duration.ofSeconds(20);

  private final List<AutoCloseable> closeables = new ArrayList<>();
  private GossipLoops loops;
  private ControlGatewayClient client;

  @BeforeEach
  void start() {
    loops = GossipLoops.create(2, "feed-it");
    client = ControlGatewayClient.plaintext();
  }

  @AfterEach
  void stop() throws Exception {
    for (int i = closeables.size() - 1; i >= 0; i--) {
      closeables.get(i).close();
    }
    client.close();
    loops.close();
  }

  private static InMemoryControlLog log(int retained) {
    InMemoryControlLog log = new InMemoryControlLog(retained, retained, "127.0.0.1:7303");
    log.append(new ControlCommand.Bootstrap("c1", "testing"));
    return log;
  }

  private ControlGatewayServer gateway(InMemoryControlLog log) {
    ControlGatewayServer server =
        ControlGatewayServer.bind(
            GatewayServerConfig.of("127.0.0.1", FreePorts.tcpAndUdp(), "testing"), log, null);
    closeables.add(server);
    return server;
  }

  private static Address address(ControlGatewayServer server) {
    return new Address("127.0.0.1", server.port());
  }

  private FollowerControlPlane follower(List<Address> candidates) {
    FollowerControlPlane follower =
        new FollowerControlPlane(
            FollowerConfig.defaults(),
            loops.next(),
            new EnvironmentDeclaration(client, "testing"),
            () -> candidates,
            new Random(7));
    closeables.add(follower);
    follower.start();
    return follower;
  }

  private static void putKeys(InMemoryControlLog log, int first, int count) {
    for (int i = first; i < first + count; i++) {
      log.append(new ControlCommand.KvSet("k" + i, ("v" + i).getBytes(UTF_8), 0, -1));
    }
  }

  @Test
  void follower_getsSnapshotAndEntries_andReachesTheSourcesView() throws Exception {
    InMemoryControlLog log = log(50);
    putKeys(log, 0, 200); // the window keeps 50: a new follower starts from a snapshot
    ControlGatewayServer server = gateway(log);

    FollowerControlPlane follower = follower(List.of(address(server)));
    awaitSameView(follower, log);
    putKeys(log, 200, 20);
    awaitSameView(follower, log);

    assertThat(server.stats().snapshotsSent()).isEqualTo(1);
    assertThat(follower.status().degraded()).isFalse();
    ApplyResult written =
        follower
            .submit(new ControlCommand.KvSet("color", "blue".getBytes(UTF_8), 0, -1))
            .get(10, TimeUnit.SECONDS);
    assertThat(written).isInstanceOf(ApplyResult.Applied.class);
    assertThat(follower.view().kv()).containsKey("color"); // applied here before it completed
    assertThat(follower.linearizableView().get(10, TimeUnit.SECONDS).index())
        .isEqualTo(log.view().index());
  }

  @Test
  void fiftyFollowers_onOneGateway_allConvergeOnSharedFrames() {
    InMemoryControlLog log = log(1_000);
    ControlGatewayServer server = gateway(log);
    List<FollowerControlPlane> followers = new ArrayList<>();
    for (int i = 0; i < 50; i++) {
      followers.add(follower(List.of(address(server))));
    }
    await().atMost(WAIT).until(() -> server.following() == 50);

    putKeys(log, 0, 100);

    for (FollowerControlPlane follower : followers) {
      awaitSameView(follower, log);
    }
    // Each entry was encoded once (shared by 50 channels), not 50 times.
    assertThat(server.framesEncoded()).isLessThanOrEqualTo(log.view().index());
    assertThat(server.stats().entriesSent()).isGreaterThanOrEqualTo(50L * 100);
  }

  @Test
  void follower_whoseGatewayCloses_failsOverAndLosesNoEntry() {
    InMemoryControlLog log = log(1_000);
    ControlGatewayServer first = gateway(log);
    ControlGatewayServer second = gateway(log);
    FollowerControlPlane follower = follower(List.of(address(first), address(second)));
    List<Long> views = new CopyOnWriteArrayList<>();
    follower.addListener(view -> views.add(view.index()));
    putKeys(log, 0, 10);
    awaitSameView(follower, log);
    // Followers start at a random gateway (so they spread over the control nodes): close the one
    // this follower chose.
    boolean onFirst = follower.gateway().equals(address(first));
    ControlGatewayServer followed = onFirst ? first : second;
    ControlGatewayServer other = onFirst ? second : first;

    followed.close();
    putKeys(log, 10, 30); // committed while it moves to the other gateway
    awaitSameView(follower, log);

    assertThat(follower.gateway()).isEqualTo(address(other));
    assertThat(follower.stats().failovers()).isEqualTo(1);
    // Followed from index 0 with the whole log in the window: every index applied exactly once.
    assertThat(follower.stats().applied()).isEqualTo(log.view().index());
    assertThat(views).isSorted().doesNotHaveDuplicates();
  }

  @Test
  void follower_withNoGatewayLeft_isDegradedButKeepsItsView() {
    InMemoryControlLog log = log(1_000);
    putKeys(log, 0, 5);
    ControlGatewayServer only = gateway(log);
    FollowerControlPlane follower = follower(List.of(address(only)));
    awaitSameView(follower, log);

    only.close();

    await().atMost(WAIT).until(() -> follower.status().degraded());
    assertThat(follower.view().index()).isEqualTo(log.view().index());
    assertThatThrownBy(() -> follower.submit(new ControlCommand.Tick()).get(5, TimeUnit.SECONDS))
        .isInstanceOf(ExecutionException.class)
        .hasCauseInstanceOf(NoQuorumException.class);
  }

  @Test
  void follower_ofAGatewayWithoutLeader_isDegradedAndItsWritesFailFast() {
    InMemoryControlLog log = log(1_000);
    log.setDegraded(true);
    ControlGatewayServer server = gateway(log);
    FollowerControlPlane follower = follower(List.of(address(server)));
    awaitSameView(follower, log);

    assertThat(follower.status().degraded()).isTrue();
    assertThatThrownBy(() -> follower.linearizableView().get(5, TimeUnit.SECONDS))
        .hasCauseInstanceOf(NoQuorumException.class);

    log.setDegraded(false); // the next heartbeat (1 s) names the leader again
    await().atMost(WAIT).until(() -> !follower.status().degraded());
  }

  @Test
  void garbageSendingClients_areCutOffAndDoNotDisturbAFollower() throws Exception {
    InMemoryControlLog log = log(1_000);
    ControlGatewayServer server = gateway(log);
    FollowerControlPlane follower = follower(List.of(address(server)));
    awaitSameView(follower, log);

    sendRaw(server, frame(new byte[] {(byte) 0xff, (byte) 0xff, 0x01})); // not a frame
    sendRaw(server, lengthOnly(Integer.MAX_VALUE)); // a length over the cap
    sendRaw(
        server, // a feed message, which only gateways send
        frame(WireGatewayCodec.encode(new GatewayMessage.Entry(1, new byte[0]))));
    putKeys(log, 0, 10);

    await()
        .atMost(WAIT)
        .untilAsserted(
            () -> {
              assertThat(server.stats().malformed()).isEqualTo(1);
              assertThat(server.stats().oversized()).isEqualTo(1);
              assertThat(server.stats().unexpected()).isEqualTo(1);
            });
    awaitSameView(follower, log);
    assertThat(follower.stats().failovers()).isZero();
  }

  @Test
  void followerThatStopsReading_isCutOffWhileOthersKeepUp() throws Exception {
    InMemoryControlLog log = log(10_000);
    GatewayServerConfig small =
        new GatewayServerConfig(
            "127.0.0.1",
            FreePorts.tcpAndUdp(),
            GatewayServerConfig.DEFAULT_MAX_INBOUND_FRAME_BYTES,
            GatewayServerConfig.DEFAULT_HEARTBEAT_INTERVAL,
            GatewayServerConfig.DEFAULT_MAX_CONNECTIONS,
            GatewayServerConfig.DEFAULT_MAX_PENDING_REQUESTS,
            64 * 1024,
            Duration.ofMillis(200),
            64L << 20,
            GatewayServerConfig.DEFAULT_RETAINED_ENCODED_ENTRIES,
            "testing");
    ControlGatewayServer server = ControlGatewayServer.bind(small, log, null);
    closeables.add(server);
    FollowerControlPlane healthy = follower(List.of(address(server)));
    try (Socket stalled = new Socket()) {
      stalled.setReceiveBufferSize(4 * 1024);
      stalled.connect(new java.net.InetSocketAddress("127.0.0.1", server.port()));
      stalled
          .getOutputStream()
          .write(frame(WireGatewayCodec.encode(new GatewayMessage.Follow(0, "", "testing"))));
      await().atMost(WAIT).until(() -> server.following() == 2);

      byte[] value = new byte[10_000];
      for (int i = 0; i < 1_000; i++) { // 10 MB the stalled socket never reads
        log.append(new ControlCommand.KvSet("big" + (i % 10), value, 0, -1));
      }

      await().atMost(WAIT).until(() -> server.stats().slowCutOff() == 1);
      awaitSameView(healthy, log);
      assertThat(server.following()).isEqualTo(1);
    }
  }

  @Test
  void gateway_answersRawRequests_withTheirErrorCodes() throws Exception {
    InMemoryControlLog log = log(1_000);
    ControlGatewayServer server = gateway(log);

    GatewayMessage invalid =
        request(server, new GatewayMessage.Submit(1, new byte[] {(byte) 0xff}));
    log.setDegraded(true);
    GatewayMessage noQuorum = request(server, new GatewayMessage.ReadIndex(2));
    log.setDegraded(false);
    GatewayMessage read = request(server, new GatewayMessage.ReadIndex(3));

    assertThat(invalid)
        .isInstanceOfSatisfying(
            GatewayMessage.Failure.class,
            f ->
                assertThat(f.code())
                    .isEqualTo(io.hivemind.core.control.GatewayError.INVALID_REQUEST));
    assertThat(noQuorum)
        .isInstanceOfSatisfying(
            GatewayMessage.Failure.class,
            f -> assertThat(f.code()).isEqualTo(io.hivemind.core.control.GatewayError.NO_QUORUM));
    assertThat(read).isEqualTo(new GatewayMessage.ReadIndexResult(3, log.view().index()));
  }

  @Test
  void followersOfAnotherEnvironment_orNone_areRefusedAtTheirHandshake() throws Exception {
    InMemoryControlLog log = log(1_000);
    ControlGatewayServer server = gateway(log);

    GatewayMessage staging = request(server, new GatewayMessage.Follow(0, "n1", "staging"));
    GatewayMessage older = request(server, new GatewayMessage.Follow(0, "n1"));
    GatewayMessage mesh = request(server, new GatewayMessage.MeshPeer("c2", "production"));
    FollowerControlPlane misconfigured =
        new FollowerControlPlane(
            FollowerConfig.defaults(),
            loops.next(),
            new EnvironmentDeclaration(client, "staging"),
            () -> List.of(address(server)),
            new Random(5));
    closeables.add(misconfigured);
    misconfigured.start();

    assertThat(List.of(staging, older, mesh))
        .allSatisfy(
            answer ->
                assertThat(answer)
                    .isInstanceOfSatisfying(
                        GatewayMessage.Failure.class,
                        f -> {
                          assertThat(f.code())
                              .isEqualTo(io.hivemind.core.control.GatewayError.WRONG_ENVIRONMENT);
                          assertThat(f.message()).contains("serves 'testing'");
                        }));
    assertThat(((GatewayMessage.Failure) older).message()).contains("declared no environment");
    await().atMost(WAIT).until(() -> server.stats().wrongEnvironment() >= 4);
    assertThat(server.following()).isZero();
    assertThat(misconfigured.view().index()).isZero(); // never fed a single entry
  }

  /** One request on a fresh connection (not following, so no heartbeat), and its answer. */
  private static GatewayMessage request(ControlGatewayServer server, GatewayMessage message)
      throws Exception {
    try (Socket socket = new Socket("127.0.0.1", server.port())) {
      socket.setSoTimeout((int) WAIT.toMillis());
      socket.getOutputStream().write(frame(WireGatewayCodec.encode(message)));
      java.io.DataInputStream in = new java.io.DataInputStream(socket.getInputStream());
      byte[] body = new byte[in.readInt()];
      in.readFully(body);
      return WireGatewayCodec.decode(body);
    }
  }

  /** Sends {@code bytes} and waits until the gateway closes the connection. */
  private static void sendRaw(ControlGatewayServer server, byte[] bytes) throws IOException {
    try (Socket socket = new Socket("127.0.0.1", server.port())) {
      socket.setSoTimeout((int) WAIT.toMillis());
      socket.getOutputStream().write(bytes);
      socket.getOutputStream().flush();
      InputStream in = socket.getInputStream();
      while (in.read() >= 0) {
        // drain until the gateway closes: a heartbeat may come first
      }
    }
  }

  private static byte[] frame(byte[] body) throws IOException {
    var bytes = new java.io.ByteArrayOutputStream();
    DataOutputStream out = new DataOutputStream(bytes);
    out.writeInt(body.length);
    out.write(body);
    return bytes.toByteArray();
  }

  private static byte[] lengthOnly(int length) throws IOException {
    var bytes = new java.io.ByteArrayOutputStream();
    new DataOutputStream(bytes).writeInt(length);
    return bytes.toByteArray();
  }

  private static void awaitSameView(FollowerControlPlane follower, InMemoryControlLog log) {
    await()
        .atMost(WAIT)
        .untilAsserted(
            () -> {
              ControlView expected = log.view();
              ControlView actual = follower.view();
              assertThat(actual.index()).isEqualTo(expected.index());
              assertThat(actual.epoch()).isEqualTo(expected.epoch());
              assertThat(actual.members()).isEqualTo(expected.members());
              assertThat(actual.kv()).isEqualTo(expected.kv());
            });
  }
}
