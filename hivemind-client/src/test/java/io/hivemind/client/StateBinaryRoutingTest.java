package io.hivemind.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.hivemind.api.AgentConfig;
import io.hivemind.api.AgentSelf;
import io.hivemind.api.Environment;
import io.hivemind.api.StateKeys;
import io.hivemind.core.wire.proto.StateClientError;
import io.hivemind.core.wire.proto.StateClientErrorCode;
import io.hivemind.core.wire.proto.StateClientFrame;
import io.hivemind.core.wire.proto.StateClientRefusal;
import io.hivemind.core.wire.proto.StateClientRefused;
import io.hivemind.core.wire.proto.StateClientReply;
import io.hivemind.core.wire.proto.StateClientRequest;
import io.hivemind.core.wire.proto.StateOperationResult;
import io.hivemind.core.wire.proto.StateResultKind;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The client's choice between the binary protocol and HTTP, against two agents without sockets:
 * calls go binary once the table names the owner's state client port, fall back to HTTP while that
 * port is down or the connection broke, and feed the same stale-table logic and exceptions.
 */
class StateBinaryRoutingTest {

  private static final int PARTITIONS = 4;
  private static final String MAP = "sessions";
  private static final List<URI> AGENTS =
      List.of(URI.create("http://127.0.0.1:7001"), URI.create("http://127.0.0.1:7002"));
  private static final List<String> STATE_CLIENTS = List.of("127.0.0.1:7301", "127.0.0.1:7302");

  private final ObjectMapper json = HivemindJson.newMapper();
  private final FakeStateAgents http = new FakeStateAgents();
  private final FakeBinaryAgents binary = new FakeBinaryAgents();
  private final AtomicLong nanos = new AtomicLong(1_000_000_000L);
  private long tableVersion = 1;
  private StateCalls calls;
  private StateMap map;

  @BeforeEach
  void cluster() {
    for (URI agent : AGENTS) {
      http.answer(agent, this::serveHttp);
    }
    for (String address : STATE_CLIENTS) {
      binary.answer(address, request -> written(request, 7));
    }
    calls = new StateCalls(AGENTS.get(0), http, json, "tok", nanos::get, binary, Runnable::run);
    map = new StateMap(MAP, calls);
  }

  @AfterEach
  void close() {
    calls.close();
  }

  @Test
  void routedCalls_goOverTheOwnersBinaryConnection() {
    String key = keyOwnedBy(1);
    map.put(key, bytes("a")); // no table yet: HTTP to the configured agent, which forwards
    long version = map.put(key, bytes("b"));
    map.put(keyOwnedBy(1), bytes("c"));

    assertThat(version).isEqualTo(7);
    assertThat(binary.dials).containsExactly("127.0.0.1:7302");
    assertThat(binary.requests).hasSize(2);
    StateClientRequest sent = binary.requests.get(0);
    assertThat(sent.getRoutedVersion()).isEqualTo(1);
    assertThat(sent.getOp().getKey()).isEqualTo(key);
    assertThat(sent.getOp().getValue().toStringUtf8()).isEqualTo("b");
    assertThat(binary.hellos.get(0).getEnvironment()).isEqualTo("development");
    assertThat(binary.hellos.get(0).getCluster()).isEqualTo("dc1");
    assertThat(binary.hellos.get(0).getToken()).isEqualTo("tok");
    assertThat(http.storeRequests()).hasSize(1);
    StateRoutingStats stats = calls.stats();
    assertThat(stats.calls()).isEqualTo(3);
    assertThat(stats.binaryCalls()).isEqualTo(2);
  }

  @Test
  void binaryAnswer_forwardedOrNewer_refreshesTheTable_asHttpsHeadersDo() {
    String key = keyOwnedBy(0);
    map.put(key, bytes("a"));
    binary.answer(
        STATE_CLIENTS.get(0), request -> written(request, 8).setForwarded(true).setTableVersion(1));
    nanos.addAndGet(Duration.ofSeconds(2).toNanos());
    map.put(key, bytes("b"));
    assertThat(http.tableFetches()).isEqualTo(2);

    binary.answer(STATE_CLIENTS.get(0), request -> written(request, 9).setTableVersion(5));
    tableVersion = 5;
    nanos.addAndGet(Duration.ofSeconds(2).toNanos());
    map.put(key, bytes("c"));
    assertThat(http.tableFetches()).isEqualTo(3);
    assertThat(calls.stats().tableVersion()).isEqualTo(5);
    // The first call went to the configured agent, which owns the key: only the binary one was.
    assertThat(calls.stats().forwardedAnswers()).isEqualTo(1);
  }

  @Test
  void stateClientPortDown_callsGoOverHttp_andTheAddressBacksOff() {
    binary.down(STATE_CLIENTS.get(1));
    String key = keyOwnedBy(1);
    map.put(key, bytes("a"));
    map.put(key, bytes("b"));
    map.put(key, bytes("c"));

    assertThat(binary.dials).containsExactly("127.0.0.1:7302");
    assertThat(http.storeRequests())
        .containsExactly(
            "127.0.0.1:7001 /v1/state/sessions/" + key,
            "127.0.0.1:7002 /v1/state/sessions/" + key,
            "127.0.0.1:7002 /v1/state/sessions/" + key);
    assertThat(calls.stats().binaryCalls()).isZero();

    // After the backoff (at most 100 ms the first time) the port is tried again.
    binary.answer(STATE_CLIENTS.get(1), request -> written(request, 3));
    nanos.addAndGet(Duration.ofMillis(200).toNanos());
    map.put(key, bytes("d"));
    assertThat(binary.dials).hasSize(2);
    assertThat(calls.stats().binaryCalls()).isEqualTo(1);
  }

  @Test
  void helloRefusedForWrongEnvironment_isNotDialledAgain() {
    binary.answerHelloWith(
        STATE_CLIENTS.get(1),
        StateClientFrame.newBuilder()
            .setVersion(1)
            .setRefused(
                StateClientRefused.newBuilder()
                    .setReason(StateClientRefusal.STATE_CLIENT_REFUSAL_WRONG_ENVIRONMENT)
                    .setSentence("serves testing"))
            .build());
    String key = keyOwnedBy(1);
    map.put(key, bytes("a"));
    map.put(key, bytes("b"));
    nanos.addAndGet(Duration.ofMinutes(10).toNanos());
    map.put(key, bytes("c"));

    assertThat(binary.dials).hasSize(1);
    assertThat(http.storeRequests()).hasSize(3);
  }

  @Test
  void connectionBrokenAfterWriting_retriesOverHttp_butNotACompareAndSet() {
    String key = keyOwnedBy(1);
    map.put(key, bytes("a"));
    binary.answer(STATE_CLIENTS.get(1), request -> null); // hangs up without answering

    assertThat(map.put(key, bytes("b"))).isEqualTo(1);
    assertThat(http.storeRequests()).hasSize(2);

    nanos.addAndGet(Duration.ofSeconds(1).toNanos()); // past the backoff: connects again
    assertThatThrownBy(() -> map.compareAndSet(key, 1, bytes("c")))
        .isInstanceOfSatisfying(
            HivemindClientException.class,
            e -> assertThat(e.code()).isEqualTo(HivemindClientException.IO_ERROR));
    assertThat(binary.dials).hasSize(2);
    assertThat(http.storeRequests()).hasSize(2);
  }

  @Test
  void binaryResults_becomeTheHttpPathsValuesAndExceptions() {
    String key = keyOwnedBy(0);
    map.put(key, bytes("a"));
    answerWith(
        r ->
            r.getOp().getKey().equals("acl")
                ? reply()
                    .setError(
                        StateClientError.newBuilder()
                            .setCode(StateClientErrorCode.STATE_CLIENT_ERROR_ACL_DENIED)
                            .setSentence("needs key:write on state/sessions/acl"))
                : reply()
                    .setResult(
                        StateOperationResult.newBuilder()
                            .setKind(StateResultKind.STATE_RESULT_FOUND)
                            .setValue(com.google.protobuf.ByteString.copyFromUtf8("v"))
                            .setVersion(4)
                            .setExpiresAtMillis(77)));
    assertThat(map.get(key)).contains(new StateEntry(bytes("v"), 4, 77));
    String aclKey = "acl";
    if (StateKeys.partition(MAP, aclKey, PARTITIONS) % 2 == 0) {
      assertThatThrownBy(() -> map.put(aclKey, bytes("x")))
          .isInstanceOfSatisfying(
              HivemindClientException.class,
              e -> {
                assertThat(e.code()).isEqualTo("acl_denied");
                assertThat(e.httpStatus()).isEqualTo(403);
              });
    }
    answerWith(
        r ->
            reply()
                .setResult(
                    StateOperationResult.newBuilder()
                        .setKind(StateResultKind.STATE_RESULT_CONFLICT)
                        .setVersion(4)));
    assertThatThrownBy(() -> map.compareAndSet(key, 2, bytes("x")))
        .isInstanceOfSatisfying(
            StateConflictException.class, e -> assertThat(e.currentVersion()).isEqualTo(4));
    answerWith(
        r ->
            reply()
                .setResult(
                    StateOperationResult.newBuilder()
                        .setKind(StateResultKind.STATE_RESULT_UNAVAILABLE)
                        .setReasonCode(4)
                        .setReason("1 of 1 backups")));
    assertThatThrownBy(() -> map.delete(key))
        .isInstanceOfSatisfying(
            StateUnavailableException.class,
            e -> assertThat(e.reason()).isEqualTo("backup_timeout"));
    assertThat(calls.stats().binaryCalls()).isEqualTo(4);
  }

  @Test
  void close_endsTheConnections_laterCallsGoOverHttp() {
    String key = keyOwnedBy(1);
    map.put(key, bytes("a"));
    map.put(key, bytes("b"));
    assertThat(calls.stats().binaryCalls()).isEqualTo(1);

    calls.close();
    map.put(key, bytes("c"));

    assertThat(calls.stats().binaryCalls()).isEqualTo(1);
    assertThat(http.storeRequests()).hasSize(2);
    assertThat(binary.dials).hasSize(1);
  }

  @Test
  void binaryOff_everyCallGoesOverHttp() {
    StateCalls httpOnly = new StateCalls(AGENTS.get(0), http, json, null, nanos::get, null, null);
    StateMap plain = new StateMap(MAP, httpOnly);
    plain.put(keyOwnedBy(1), bytes("a"));
    plain.put(keyOwnedBy(1), bytes("b"));
    assertThat(binary.dials).isEmpty();
    assertThat(httpOnly.stats().binaryCalls()).isZero();
    assertThat(httpOnly.stats().calls()).isEqualTo(2);
  }

  private void answerWith(Function<StateClientRequest, StateClientReply.Builder> handler) {
    for (String address : STATE_CLIENTS) {
      binary.answer(address, handler);
    }
  }

  private static StateClientReply.Builder reply() {
    return StateClientReply.newBuilder().setTableVersion(1);
  }

  private static StateClientReply.Builder written(StateClientRequest request, long version) {
    return reply()
        .setResult(
            StateOperationResult.newBuilder()
                .setKind(StateResultKind.STATE_RESULT_WRITTEN)
                .setVersion(version));
  }

  /** Owners, the agent's self, and the store over HTTP: every write is version 1. */
  private HttpResponse<byte[]> serveHttp(HttpRequest request) {
    String path = request.uri().getPath();
    try {
      if (path.equals("/v1/partitions/owners")) {
        return FakeStateAgents.response(request, 200, ownersJson(), Map.of());
      }
      if (path.equals("/v1/agent/self")) {
        AgentConfig config =
            new AgentConfig("n1", "dc1", "dev", "", false, Environment.DEVELOPMENT, List.of(), "");
        return FakeStateAgents.response(
            request,
            200,
            new String(
                json.writeValueAsBytes(new AgentSelf(config, null, null)), StandardCharsets.UTF_8),
            Map.of());
      }
    } catch (java.io.IOException e) {
      throw new IllegalStateException(e);
    }
    boolean forwarded = !request.uri().getAuthority().equals(ownerOf(path).getAuthority());
    return FakeStateAgents.response(
        request,
        200,
        "{\"version\":1}",
        Map.of(
            StateHeaders.TABLE_VERSION,
            List.of(Long.toString(tableVersion)),
            StateHeaders.FORWARDED,
            List.of(Boolean.toString(forwarded))));
  }

  private URI ownerOf(String path) {
    String key = path.substring(path.lastIndexOf('/') + 1);
    return AGENTS.get(StateKeys.partition(MAP, key, PARTITIONS) % 2);
  }

  private String ownersJson() {
    return "{\"version\":"
        + tableVersion
        + ",\"partitionCount\":"
        + PARTITIONS
        + ",\"members\":[{\"id\":\"a\",\"name\":\"a\",\"http\":\"127.0.0.1:7001\",\"stateClient\":\""
        + STATE_CLIENTS.get(0)
        + "\"},{\"id\":\"b\",\"name\":\"b\",\"http\":\"127.0.0.1:7002\",\"stateClient\":\""
        + STATE_CLIENTS.get(1)
        + "\"}],\"owners\":[0,1,0,1]}";
  }

  private static String keyOwnedBy(int agent) {
    for (int i = 0; ; i++) {
      String key = "key-" + i;
      if (StateKeys.partition(MAP, key, PARTITIONS) % 2 == agent) {
        return key;
      }
    }
  }

  private static byte[] bytes(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }
}
