package io.hivemind.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.hivemind.api.StateKeys;
import java.net.URI;
import java.net.URLDecoder;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.IntStream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The client's routing decisions against three agents without sockets: a simulated cluster whose
 * agents serve the owners table and the store, and forward (saying so) when they do not own a key.
 */
class StateMapRoutingTest {

  private static final int PARTITIONS = 8;
  private static final String MAP = "sessions";
  private static final List<URI> AGENTS =
      List.of(
          URI.create("http://127.0.0.1:7001"),
          URI.create("http://127.0.0.1:7002"),
          URI.create("http://127.0.0.1:7003"));

  private final FakeStateAgents network = new FakeStateAgents();
  private final AtomicLong nanos = new AtomicLong(1_000_000_000L);
  private final Map<String, byte[]> store = new HashMap<>();
  private final Map<String, Long> versions = new HashMap<>();
  private long tableVersion = 1;
  private int[] owners = IntStream.range(0, PARTITIONS).map(p -> p % 3).toArray();
  private int forwardedAnswers;
  private StateMap map;
  private StateCalls calls;

  @BeforeEach
  void cluster() {
    for (int i = 0; i < AGENTS.size(); i++) {
      int self = i;
      network.answer(AGENTS.get(i), request -> serve(self, request));
    }
    calls =
        new StateCalls(
            AGENTS.get(0),
            network,
            HivemindJson.newMapper(),
            null,
            nanos::get,
            null,
            Runnable::run);
    map = new StateMap(MAP, calls);
  }

  @Test
  void firstCall_goesToConfiguredAgent_thenStraightToOwner() {
    String key = keyOwnedBy(2);

    map.put(key, bytes("a"));
    map.put(key, bytes("b"));

    assertThat(network.storeRequests())
        .containsExactly(
            "127.0.0.1:7001 /v1/state/sessions/" + key, "127.0.0.1:7003 /v1/state/sessions/" + key);
    assertThat(network.tableFetches()).isEqualTo(1);
    assertThat(FakeStateAgents.tableVersionSent(last())).isEqualTo("1");
    assertThat(map.get(key).orElseThrow().value()).isEqualTo(bytes("b"));
  }

  @Test
  void routedCalls_reachOwnersDirectly_noForwardAfterTheFirstRefresh() {
    map.get(keyOwnedBy(0));
    int forwardedBefore = forwardedAnswers;
    for (int owner = 0; owner < 3; owner++) {
      map.put(keyOwnedBy(owner), bytes("x"));
      map.get(keyOwnedBy(owner));
      map.delete(keyOwnedBy(owner));
    }
    assertThat(forwardedAnswers).isEqualTo(forwardedBefore);
    assertThat(network.tableFetches()).isEqualTo(1);
    StateRoutingStats stats = calls.stats();
    assertThat(stats.tableVersion()).isEqualTo(1);
    assertThat(stats.calls()).isEqualTo(10);
    assertThat(stats.forwardedAnswers()).isEqualTo(forwardedBefore);
    assertThat(stats.tableFetches()).isEqualTo(1);
    assertThat(stats.fallbacks()).isZero();
  }

  @Test
  void forwardedAnswer_refreshesTable_andLaterCallsGoToTheNewOwner() {
    String key = keyOwnedBy(2);
    map.put(key, bytes("a"));
    map.put(key, bytes("b"));
    moveOwner(StateKeys.partition(MAP, key, PARTITIONS), 1);
    nanos.addAndGet(Duration.ofSeconds(2).toNanos());

    map.put(key, bytes("c")); // to 7003, which forwards: the client refreshes
    map.put(key, bytes("d"));

    List<String> sent = network.storeRequests();
    assertThat(sent.subList(2, 4))
        .containsExactly(
            "127.0.0.1:7003 /v1/state/sessions/" + key, "127.0.0.1:7002 /v1/state/sessions/" + key);
    assertThat(network.tableFetches()).isEqualTo(2);
    assertThat(FakeStateAgents.tableVersionSent(last())).isEqualTo("2");
  }

  @Test
  void staleAnswers_refreshAtMostOnceASecond() {
    String key = keyOwnedBy(2);
    map.put(key, bytes("a"));
    map.put(key, bytes("b")); // table version 1 held
    moveOwner(StateKeys.partition(MAP, key, PARTITIONS), 1);
    // The first fetch was less than a second ago: stale answers do not fetch again yet.
    map.put(key, bytes("c"));
    map.put(key, bytes("d"));
    assertThat(network.tableFetches()).isEqualTo(1);

    nanos.addAndGet(Duration.ofSeconds(1).toNanos());
    map.put(key, bytes("e"));
    map.put(key, bytes("f"));
    assertThat(network.tableFetches()).isEqualTo(2);
    assertThat(network.storeRequests().get(network.storeRequests().size() - 1))
        .startsWith("127.0.0.1:7002 ");
  }

  @Test
  void newerTableVersionInAnAnswer_refreshes() {
    String key = keyOwnedBy(0);
    map.put(key, bytes("a")); // fetches version 1
    tableVersion = 5; // a table in which nothing this key needs changed
    nanos.addAndGet(Duration.ofSeconds(2).toNanos());

    map.get(key);

    assertThat(network.tableFetches()).isEqualTo(2);
    map.get(key);
    assertThat(FakeStateAgents.tableVersionSent(last())).isEqualTo("5");
  }

  @Test
  void unreachableOwner_goesThroughTheConfiguredAgent_andIsBypassedForASecond() {
    String key = keyOwnedBy(2);
    map.put(key, bytes("a"));
    network.down(AGENTS.get(2));
    nanos.addAndGet(Duration.ofSeconds(2).toNanos());

    long version = map.put(key, bytes("b")); // refused by 7003, retried at 7001

    assertThat(version).isEqualTo(2);
    map.put(key, bytes("c")); // 7003 is bypassed: straight to 7001
    List<String> sent = network.storeRequests();
    assertThat(sent.subList(1, sent.size()))
        .extracting(s -> s.substring(0, s.indexOf(' ')))
        .containsExactly("127.0.0.1:7003", "127.0.0.1:7001", "127.0.0.1:7001");
    assertThat(calls.stats().fallbacks()).isEqualTo(1);
    assertThat(network.tableFetches()).isEqualTo(2);
  }

  @Test
  void configuredAgentDown_failsWithUnreachable() {
    network.down(AGENTS.get(0));
    assertThatThrownBy(() -> map.get("k"))
        .isInstanceOf(HivemindClientException.class)
        .extracting(e -> ((HivemindClientException) e).code())
        .isEqualTo(HivemindClientException.UNREACHABLE);
  }

  @Test
  void stateMoved_refreshesAndRetriesOnceAtTheNewOwner() {
    String key = keyOwnedBy(2);
    map.put(key, bytes("a"));
    map.put(key, bytes("b"));
    int partition = StateKeys.partition(MAP, key, PARTITIONS);
    moveOwner(partition, 1);
    nanos.addAndGet(Duration.ofSeconds(2).toNanos());
    network.answer(AGENTS.get(2), request -> error(request, 503, "state_moved", "moved twice"));

    assertThat(map.put(key, bytes("c"))).isEqualTo(3);

    assertThat(network.storeRequests().get(network.storeRequests().size() - 1))
        .startsWith("127.0.0.1:7002 ");
  }

  @Test
  void stateMovedTwice_failsWithMoved() {
    for (URI agent : AGENTS) {
      network.answer(agent, request -> error(request, 503, "state_moved", "moved twice"));
    }
    assertThatThrownBy(() -> map.put("k", bytes("v")))
        .isInstanceOfSatisfying(
            StateUnavailableException.class, e -> assertThat(e.reason()).isEqualTo("moved"));
  }

  @Test
  void unavailable_carriesTheReason() {
    network.answer(AGENTS.get(0), request -> error(request, 503, "state_unavailable", "no_lease"));
    assertThatThrownBy(() -> map.put("k", bytes("v")))
        .isInstanceOfSatisfying(
            StateUnavailableException.class,
            e -> {
              assertThat(e.reason()).isEqualTo("no_lease");
              assertThat(e.httpStatus()).isEqualTo(503);
              assertThat(e.getMessage()).contains("no_lease");
            });
  }

  @Test
  void casConflict_carriesTheCurrentVersion() {
    String key = keyOwnedBy(1);
    long first = map.compareAndSet(key, 0, bytes("a"));
    long second = map.compareAndSet(key, first, bytes("b"));

    assertThat(second).isGreaterThan(first);
    assertThatThrownBy(() -> map.compareAndSet(key, first, bytes("c")))
        .isInstanceOfSatisfying(
            StateConflictException.class, e -> assertThat(e.currentVersion()).isEqualTo(second));
    assertThat(map.get(key).orElseThrow().value()).isEqualTo(bytes("b"));
  }

  @Test
  void get_readsVersionAndExpiry_andAbsentIsEmpty() {
    String key = keyOwnedBy(1);
    map.put(key, bytes("v"), Duration.ofSeconds(30));

    StateEntry entry = map.get(key).orElseThrow();

    assertThat(entry.version()).isEqualTo(1);
    assertThat(entry.expiresAtMillis()).isEqualTo(30_000);
    assertThat(entry.expiresAt()).isPresent();
    assertThat(map.get("absent-key")).isEmpty();
    assertThat(network.sent.stream().map(r -> r.uri().getRawQuery())).contains("ttl=30000ms");
  }

  @Test
  void notFoundWithoutTheStoresHeaders_isAnError_notAnAbsentKey() {
    // An agent without the store answers an unknown endpoint, without the store's headers.
    network.answer(
        AGENTS.get(0),
        request ->
            FakeStateAgents.response(
                request, 404, "{\"error\":\"not_found\",\"message\":\"no endpoint\"}", Map.of()));
    assertThatThrownBy(() -> map.get("k"))
        .isInstanceOfSatisfying(
            HivemindClientException.class, e -> assertThat(e.code()).isEqualTo("not_found"));
  }

  @Test
  void delete_saysWhetherThereWasAnEntry() {
    String key = keyOwnedBy(0);
    map.put(key, bytes("v"));
    assertThat(map.delete(key)).isTrue();
    assertThat(map.delete(key)).isFalse();
  }

  @Test
  void asyncCalls_completeWithTheSameResults() {
    String key = keyOwnedBy(2);
    assertThat(map.putAsync(key, bytes("v"), Duration.ZERO).join()).isEqualTo(1);
    assertThat(map.getAsync(key).join()).isPresent();
    assertThat(map.deleteAsync(key).join()).isTrue();
  }

  @Test
  void badMapName_isRefusedBeforeAnyCall() {
    assertThatThrownBy(() -> new StateMap("no spaces", null))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("no spaces");
  }

  @Test
  void keyWithSlashesAndSpaces_isOnePathSegment() {
    map.put("a/b c", bytes("v"));
    assertThat(network.storeRequests().get(0)).endsWith("/v1/state/sessions/a%2Fb%20c");
  }

  // --- the simulated cluster ---------------------------------------------------------------------

  private HttpResponse<byte[]> serve(int self, HttpRequest request) {
    String path = request.uri().getRawPath();
    if (path.equals("/v1/partitions/owners")) {
      return FakeStateAgents.response(request, 200, ownersJson(), Map.of());
    }
    String key =
        URLDecoder.decode(
            path.substring(("/v1/state/" + MAP + "/").length()), StandardCharsets.UTF_8);
    int owner = owners[StateKeys.partition(MAP, key, PARTITIONS)];
    Map<String, List<String>> headers = new HashMap<>();
    headers.put(StateHeaders.TABLE_VERSION, List.of(Long.toString(tableVersion)));
    if (owner != self) {
      forwardedAnswers++;
      headers.put(StateHeaders.FORWARDED, List.of("true"));
    }
    return switch (request.method()) {
      case "GET" -> read(request, key, headers);
      case "PUT" -> write(request, key, headers);
      default -> {
        boolean deleted = store.remove(key) != null;
        versions.remove(key);
        yield FakeStateAgents.response(request, 200, "{\"deleted\":" + deleted + "}", headers);
      }
    };
  }

  private HttpResponse<byte[]> read(
      HttpRequest request, String key, Map<String, List<String>> headers) {
    byte[] value = store.get(key);
    if (value == null) {
      return FakeStateAgents.response(request, 404, "", headers);
    }
    headers.put(StateHeaders.VERSION, List.of(Long.toString(versions.get(key))));
    headers.put(StateHeaders.EXPIRES, List.of("30000"));
    return FakeStateAgents.response(
        request, 200, new String(value, StandardCharsets.UTF_8), headers);
  }

  private HttpResponse<byte[]> write(
      HttpRequest request, String key, Map<String, List<String>> headers) {
    String query = request.uri().getRawQuery() == null ? "" : request.uri().getRawQuery();
    long current = versions.getOrDefault(key, 0L);
    for (String part : query.split("&")) {
      if (part.startsWith("cas=") && Long.parseLong(part.substring(4)) != current) {
        headers.put(StateHeaders.VERSION, List.of(Long.toString(current)));
        return FakeStateAgents.response(
            request, 409, "{\"error\":\"cas_conflict\",\"message\":\"version differs\"}", headers);
      }
    }
    store.put(key, FakeStateAgents.body(request));
    versions.put(key, current + 1);
    return FakeStateAgents.response(request, 200, "{\"version\":" + (current + 1) + "}", headers);
  }

  private HttpResponse<byte[]> error(HttpRequest request, int status, String code, String message) {
    Map<String, List<String>> headers = new HashMap<>();
    headers.put(StateHeaders.TABLE_VERSION, List.of(Long.toString(tableVersion)));
    return FakeStateAgents.response(
        request, status, "{\"error\":\"" + code + "\",\"message\":\"" + message + "\"}", headers);
  }

  private String ownersJson() {
    StringBuilder json =
        new StringBuilder(
            "{\"version\":"
                + tableVersion
                + ",\"partitionCount\":"
                + PARTITIONS
                + ",\"members\":[");
    for (int i = 0; i < AGENTS.size(); i++) {
      json.append(i == 0 ? "" : ",")
          .append("{\"id\":\"m")
          .append(i)
          .append("\",\"name\":\"agent-")
          .append(i)
          .append("\",\"http\":\"")
          .append(AGENTS.get(i).getAuthority())
          .append("\"}");
    }
    json.append("],\"owners\":[");
    for (int p = 0; p < PARTITIONS; p++) {
      json.append(p == 0 ? "" : ",").append(owners[p]);
    }
    return json.append("]}").toString();
  }

  private void moveOwner(int partition, int newOwner) {
    owners = owners.clone();
    owners[partition] = newOwner;
    tableVersion++;
  }

  private String keyOwnedBy(int agent) {
    for (int i = 0; ; i++) {
      String key = "key-" + i;
      if (owners[StateKeys.partition(MAP, key, PARTITIONS)] == agent) {
        return key;
      }
    }
  }

  private HttpRequest last() {
    List<HttpRequest> store = new ArrayList<>(network.sent);
    store.removeIf(r -> !r.uri().getPath().startsWith("/v1/state/"));
    return store.get(store.size() - 1);
  }

  private static byte[] bytes(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }
}
