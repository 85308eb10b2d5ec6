package io.hivemind.it.state;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.google.protobuf.ByteString;
import io.hivemind.api.AclRuleSpec;
import io.hivemind.api.AclTokenInfo;
import io.hivemind.client.HivemindClient;
import io.hivemind.core.wire.proto.StateClientErrorCode;
import io.hivemind.core.wire.proto.StateClientFrame;
import io.hivemind.core.wire.proto.StateClientHello;
import io.hivemind.core.wire.proto.StateClientRefusal;
import io.hivemind.core.wire.proto.StateClientReply;
import io.hivemind.core.wire.proto.StateClientRequest;
import io.hivemind.core.wire.proto.StateOpKind;
import io.hivemind.core.wire.proto.StateOperation;
import io.hivemind.core.wire.proto.StateResultKind;
import io.hivemind.it.LoopbackAgents;
import io.hivemind.server.agent.AclSettings;
import io.hivemind.server.agent.Agent;
import io.hivemind.server.state.StateTags;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The binary state client protocol end to end (state_client.proto, docs/protocol/state-client.md):
 * one agent, its cluster's only voter, with ACLs on (default policy allow, so a client without a
 * token may use the store), spoken to over raw loopback sockets with the generated wire classes, as
 * any client of another language would. The agent announces the port in its {@code state.client}
 * tag and {@code /v1/partitions/owners}; hellos are checked; requests pipeline and are answered by
 * id; bad frames, floods and ACL denials cost the offending connection only.
 */
class StateClientProtocolIT {

  /** A single voter elects itself and commits the first table; slower on a busy 2-core machine. */
  private static final Duration FORMING = Duration.ofSeconds(60);

  /** Longer than the store's own timeouts (a few seconds): an answer must come before this. */
  private static final Duration ANSWER = Duration.ofSeconds(30);

  private static final String ROOT = "it-state-client-root-7c1e";
  private static final String CLUSTER = "it-state-client-protocol";
  private static final HttpClient HTTP = HttpClient.newHttpClient();

  @TempDir static Path root;
  private static Agent agent;
  private static InetSocketAddress address;

  @BeforeAll
  static void startAgent() {
    agent =
        LoopbackAgents.start(
            LoopbackAgents.devVoter(root, CLUSTER, "sc1", "127.0.0.1")
                .withAcl(new AclSettings(true, "allow", ROOT, null)),
            "sc1",
            root);
    String announced =
        await()
            .atMost(FORMING)
            .until(
                () -> agent.membership().self().tags().get(StateTags.STATE_CLIENT_ADDRESS),
                tag -> tag != null);
    int colon = announced.lastIndexOf(':');
    address =
        new InetSocketAddress(
            announced.substring(0, colon), Integer.parseInt(announced.substring(colon + 1)));
    // The table, then the owner's first lease: until then a write is answered unavailable.
    await()
        .atMost(FORMING)
        .pollInterval(Duration.ofMillis(200))
        .until(
            () -> {
              try (Conn c = Conn.welcomed("")) {
                return c.call(put(1, "warmup", "k", "v")).getResult().getKind()
                    == StateResultKind.STATE_RESULT_WRITTEN;
              }
            });
  }

  @AfterAll
  static void stopAgent() {
    if (agent != null) {
      agent.close();
    }
  }

  // ---- the wire, as a client of any language writes it --------------------------------------

  /** One connection: 4-byte big-endian length, then a StateClientFrame, each way. */
  private static final class Conn implements AutoCloseable {
    final Socket socket;
    final DataOutputStream out;
    final DataInputStream in;

    Conn() throws IOException {
      socket = new Socket();
      socket.connect(address, 5_000);
      socket.setSoTimeout((int) ANSWER.toMillis());
      out = new DataOutputStream(new BufferedOutputStream(socket.getOutputStream()));
      in = new DataInputStream(socket.getInputStream());
    }

    static Conn welcomed(String token) throws IOException {
      Conn c = new Conn();
      StateClientFrame welcome = c.hello("development", CLUSTER, token, 1);
      assertThat(welcome.hasWelcome()).as(welcome.toString()).isTrue();
      return c;
    }

    StateClientFrame hello(String environment, String cluster, String token, int version)
        throws IOException {
      write(
          StateClientFrame.newBuilder()
              .setVersion(version)
              .setHello(
                  StateClientHello.newBuilder()
                      .setEnvironment(environment)
                      .setCluster(cluster)
                      .setClientName("StateClientProtocolIT")
                      .setToken(token))
              .build());
      out.flush();
      return read();
    }

    void write(StateClientFrame frame) throws IOException {
      byte[] bytes = frame.toByteArray();
      out.writeInt(bytes.length);
      out.write(bytes);
    }

    void send(StateClientRequest request) throws IOException {
      write(StateClientFrame.newBuilder().setVersion(1).setRequest(request).build());
    }

    StateClientFrame read() throws IOException {
      int length = in.readInt();
      byte[] bytes = new byte[length];
      in.readFully(bytes);
      return StateClientFrame.parseFrom(bytes);
    }

    StateClientReply call(StateClientRequest request) throws IOException {
      send(request);
      out.flush();
      StateClientFrame frame = read();
      assertThat(frame.hasReply()).as(frame.toString()).isTrue();
      assertThat(frame.getReply().getId()).isEqualTo(request.getId());
      return frame.getReply();
    }

    /** Whether the agent closed: the next read ends (EOF or reset) rather than timing out. */
    boolean closedByAgent() {
      try {
        while (true) {
          read(); // a refusal or replies written before the close
        }
      } catch (java.net.SocketTimeoutException e) {
        return false;
      } catch (IOException e) {
        return true;
      }
    }

    @Override
    public void close() throws IOException {
      socket.close();
    }
  }

  private static StateClientRequest request(long id, StateOperation.Builder op, long routed) {
    return StateClientRequest.newBuilder().setId(id).setOp(op).setRoutedVersion(routed).build();
  }

  private static StateClientRequest put(long id, String map, String key, String value) {
    return request(
        id,
        StateOperation.newBuilder()
            .setKind(StateOpKind.STATE_OP_PUT)
            .setMap(map)
            .setKey(key)
            .setValue(ByteString.copyFromUtf8(value)),
        0);
  }

  private static StateClientRequest get(long id, String map, String key) {
    return request(
        id,
        StateOperation.newBuilder().setKind(StateOpKind.STATE_OP_GET).setMap(map).setKey(key),
        0);
  }

  private static Conn welcomedOrNull(String token) throws IOException {
    Conn c = new Conn();
    if (c.hello("development", CLUSTER, token, 1).hasWelcome()) {
      return c;
    }
    c.close();
    return null;
  }

  private static String agentId() {
    return agent.control().view().partitionTable().orElseThrow().table().members().get(0).id();
  }

  // ---- tests --------------------------------------------------------------------------------

  @Test
  void hello_welcomedWithAgentId_putThenGet_roundTrips() throws Exception {
    try (Conn c = new Conn()) {
      StateClientFrame welcome = c.hello("development", CLUSTER, "", 1);
      assertThat(welcome.getWelcome().getAgent()).isEqualTo(agentId());
      assertThat(welcome.getWelcome().getMaxInFlight()).isEqualTo(1024);

      StateClientReply written = c.call(put(7, "sessions", "user/42", "hello"));
      assertThat(written.getResult().getKind()).isEqualTo(StateResultKind.STATE_RESULT_WRITTEN);
      assertThat(written.getResult().getVersion()).isPositive();
      assertThat(written.getOwner()).isEqualTo(agentId());
      assertThat(written.getTableVersion()).isPositive();
      assertThat(written.getForwarded()).isFalse();

      StateClientReply found = c.call(get(8, "sessions", "user/42"));
      assertThat(found.getResult().getKind()).isEqualTo(StateResultKind.STATE_RESULT_FOUND);
      assertThat(found.getResult().getValue().toStringUtf8()).isEqualTo("hello");
      assertThat(found.getResult().getVersion()).isEqualTo(written.getResult().getVersion());
    }
  }

  @Test
  void twoHundredPipelinedRequests_answeredById() throws Exception {
    try (Conn c = Conn.welcomed("")) {
      for (int i = 0; i < 200; i++) {
        c.send(i % 2 == 0 ? put(1000 + i, "pipe", "k" + i, "v" + i) : get(1000 + i, "pipe", "x"));
      }
      c.out.flush();
      Set<Long> ids = new HashSet<>();
      for (int i = 0; i < 200; i++) {
        StateClientReply reply = c.read().getReply();
        assertThat(reply.getResult().getKind())
            .isIn(StateResultKind.STATE_RESULT_WRITTEN, StateResultKind.STATE_RESULT_ABSENT);
        ids.add(reply.getId());
      }
      assertThat(ids).hasSize(200).allMatch(id -> id >= 1000 && id < 1200);
    }
  }

  @Test
  void routedVersionFarAhead_answeredInTime_andTheConnectionServesMeanwhile() throws Exception {
    try (Conn c = Conn.welcomed("")) {
      long ahead = agent.control().view().partitionTable().orElseThrow().table().version() + 1_000;
      c.send(
          request(
              1,
              StateOperation.newBuilder().setKind(StateOpKind.STATE_OP_GET).setMap("m").setKey("k"),
              ahead));
      c.send(get(2, "m", "k"));
      c.out.flush();
      long started = System.nanoTime();
      Set<Long> ids = new HashSet<>();
      ids.add(c.read().getReply().getId());
      ids.add(c.read().getReply().getId());
      assertThat(ids).containsExactlyInAnyOrder(1L, 2L);
      assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(ANSWER);
    }
  }

  @Test
  void wrongEnvironment_badVersion_wrongCluster_refusedWithTheReason() throws Exception {
    try (Conn c = new Conn()) {
      StateClientFrame refused = c.hello("production", CLUSTER, "", 1);
      assertThat(refused.getRefused().getReason())
          .isEqualTo(StateClientRefusal.STATE_CLIENT_REFUSAL_WRONG_ENVIRONMENT);
      assertThat(refused.getRefused().getSentence()).contains("development");
      assertThat(c.closedByAgent()).isTrue();
    }
    try (Conn c = new Conn()) {
      assertThat(c.hello("development", CLUSTER, "", 2).getRefused().getReason())
          .isEqualTo(StateClientRefusal.STATE_CLIENT_REFUSAL_BAD_VERSION);
      assertThat(c.closedByAgent()).isTrue();
    }
    try (Conn c = new Conn()) {
      assertThat(c.hello("development", "another-cluster", "", 1).getRefused().getReason())
          .isEqualTo(StateClientRefusal.STATE_CLIENT_REFUSAL_WRONG_CLUSTER);
      assertThat(c.closedByAgent()).isTrue();
    }
  }

  @Test
  void malformedFrame_closesThatConnectionOnly() throws Exception {
    try (Conn bystander = Conn.welcomed("");
        Conn c = Conn.welcomed("")) {
      c.out.writeInt(3);
      c.out.write(new byte[] {(byte) 0xff, (byte) 0xff, (byte) 0xff});
      c.out.flush();
      assertThat(c.closedByAgent()).isTrue();
      assertThat(bystander.call(get(1, "m", "k")).hasResult()).isTrue();
    }
    try (Conn c = new Conn()) {
      c.out.writeInt(2);
      c.out.write(new byte[] {(byte) 0xff, (byte) 0xff});
      c.out.flush();
      assertThat(c.read().getRefused().getReason())
          .isEqualTo(StateClientRefusal.STATE_CLIENT_REFUSAL_MALFORMED);
    }
    try (Conn c = Conn.welcomed("")) {
      assertThat(c.call(get(2, "m", "k")).hasResult()).isTrue();
    }
  }

  @Test
  void oversizeLength_closesThatConnection_andANewOneIsServed() throws Exception {
    try (Conn c = Conn.welcomed("")) {
      c.out.writeInt(Integer.MAX_VALUE);
      c.out.write(new byte[64]);
      c.out.flush();
      assertThat(c.closedByAgent()).isTrue();
    }
    try (Conn c = Conn.welcomed("")) {
      assertThat(c.call(get(3, "m", "k")).hasResult()).isTrue();
    }
  }

  @Test
  void invalidOperation_answeredInvalid_andTheConnectionLives() throws Exception {
    try (Conn c = Conn.welcomed("")) {
      StateClientReply invalid =
          c.call(
              request(
                  4,
                  StateOperation.newBuilder()
                      .setKind(StateOpKind.STATE_OP_GET)
                      .setMap("not/a/map")
                      .setKey("k"),
                  0));
      assertThat(invalid.getError().getCode())
          .isEqualTo(StateClientErrorCode.STATE_CLIENT_ERROR_INVALID);
      assertThat(invalid.hasResult()).isFalse();
      assertThat(c.call(get(5, "m", "k")).hasResult()).isTrue();
    }
  }

  @Test
  void fiftyThousandRequestsNeverRead_agentStaysUp_andAnswersAnotherClient() throws Exception {
    Conn flood = Conn.welcomed("");
    CompletableFuture<Void> writer =
        CompletableFuture.runAsync(
            () -> {
              try {
                for (int i = 0; i < 50_000; i++) {
                  flood.send(get(i, "flood", "k" + (i % 100)));
                }
                flood.out.flush();
              } catch (IOException e) {
                // The socket was closed under a writer the agent stopped reading from: expected.
              }
            });
    try {
      try (Conn other = Conn.welcomed("")) {
        assertThat(other.call(put(6, "flood", "other", "v")).getResult().getKind())
            .isEqualTo(StateResultKind.STATE_RESULT_WRITTEN);
      }
      assertThat(agent.membership().self().tags()).containsKey(StateTags.STATE_CLIENT_ADDRESS);
    } finally {
      flood.close();
      writer.get(ANSWER.toSeconds(), TimeUnit.SECONDS);
    }
    try (Conn after = Conn.welcomed("")) {
      assertThat(after.call(get(7, "flood", "other")).getResult().getKind())
          .isEqualTo(StateResultKind.STATE_RESULT_FOUND);
    }
  }

  @Test
  void acl_readOnlyTokenPut_errorAclDenied_getAllowed_unknownTokenRefused() throws Exception {
    HivemindClient management = HivemindClient.connect(agent.httpUri()).withToken(ROOT);
    AclTokenInfo reader =
        management.createToken(
            "state reader", false, List.of(new AclRuleSpec("key", "state/", "read")));
    // The token is known once its commit reaches this agent's replica.
    try (Conn c =
        await()
            .atMost(ANSWER)
            .until(() -> welcomedOrNull(reader.secretId()), conn -> conn != null)) {
      StateClientReply denied = c.call(put(8, "acl", "k", "v"));
      assertThat(denied.getError().getCode())
          .isEqualTo(StateClientErrorCode.STATE_CLIENT_ERROR_ACL_DENIED);
      assertThat(denied.getError().getSentence()).contains("state/acl/k");
      assertThat(c.call(get(9, "acl", "k")).hasResult()).isTrue();
    }
    try (Conn c = new Conn()) {
      assertThat(c.hello("development", CLUSTER, "no-such-token", 1).getRefused().getReason())
          .isEqualTo(StateClientRefusal.STATE_CLIENT_REFUSAL_ACL_DENIED);
    }
  }

  /**
   * A figure, not a speed test: gets pipelined on one connection (at most 512 unanswered, under the
   * agent's 1024), a writer thread and this one reading, as a routing client runs.
   */
  @Test
  void figure_pipelinedGetsOnOneConnection() throws Exception {
    int calls = 100_000;
    int window = 512;
    java.util.concurrent.Semaphore slots = new java.util.concurrent.Semaphore(window);
    try (Conn c = Conn.welcomed("")) {
      c.call(put(1, "figure", "k", "v".repeat(100)));
      long started = System.nanoTime();
      CompletableFuture<Void> writer =
          CompletableFuture.runAsync(
              () -> {
                try {
                  for (int i = 0; i < calls; i++) {
                    if (!slots.tryAcquire()) {
                      c.out.flush();
                      slots.acquire();
                    }
                    c.send(get(i, "figure", "k"));
                  }
                  c.out.flush();
                } catch (IOException | InterruptedException e) {
                  throw new IllegalStateException(e);
                }
              });
      int found = 0;
      for (int i = 0; i < calls; i++) {
        StateClientReply reply = c.read().getReply();
        slots.release();
        if (reply.getResult().getKind() == StateResultKind.STATE_RESULT_FOUND) {
          found++;
        }
      }
      writer.get(ANSWER.toSeconds(), TimeUnit.SECONDS);
      double seconds = (System.nanoTime() - started) / 1e9;
      org.slf4j.LoggerFactory.getLogger(StateClientProtocolIT.class)
          .info(
              "FIGURE state client protocol: {} gets pipelined ({} in flight) on one connection in"
                  + " {} s: {} calls/s, {} found",
              calls,
              window,
              String.format("%.2f", seconds),
              Math.round(calls / seconds),
              found);
      // Every call was answered (read above); a lease lapsing on a loaded machine may answer
      // some unavailable, which is the store's business, not the protocol's.
      assertThat(found).isPositive();
    }
  }

  @Test
  void partitionOwners_listStateClientAddress() throws Exception {
    HttpResponse<String> owners =
        HTTP.send(
            HttpRequest.newBuilder(URI.create(agent.httpUri() + "/v1/partitions/owners")).build(),
            HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
    assertThat(owners.statusCode()).as(owners.body()).isEqualTo(200);
    assertThat(owners.body()).contains("\"stateClient\":\"127.0.0.1:" + address.getPort() + "\"");
  }
}
