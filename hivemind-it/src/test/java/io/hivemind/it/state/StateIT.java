package io.hivemind.it.state;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.hivemind.api.StateKeys;
import io.hivemind.cli.HivemindCommand;
import io.hivemind.core.control.ControlMember;
import io.hivemind.core.membership.Member;
import io.hivemind.core.partition.PartitionTable;
import io.hivemind.it.LoopbackAgents;
import io.hivemind.server.agent.Agent;
import io.hivemind.server.state.StateTags;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The partitioned store on real sockets (issue 13): three control agents in this JVM, each on a
 * loopback address of its own, each announcing its state and HTTP addresses in gossip. The tests
 * start once every agent applies a table of all three (moves may still be in flight: writes then
 * wait for the filling destinations too). A put sent to an agent that does not own the key is
 * forwarded to the owner; a get through a third agent finds it; the CLI does the same.
 */
class StateIT {

  /** Forming a group on a busy 2-core machine: gossip, then Ratis's first election. */
  private static final Duration FORMING = Duration.ofSeconds(90);

  private static final HttpClient HTTP = HttpClient.newHttpClient();
  private static final Logger log = LoggerFactory.getLogger(StateIT.class);

  @TempDir static Path root;
  private static final Map<String, Agent> agents = new LinkedHashMap<>();

  @BeforeAll
  static void startCluster() {
    start("s1", "127.0.0.1");
    start("s2", "127.0.0.2");
    start("s3", "127.0.0.3");
    await()
        .atMost(FORMING)
        .pollInterval(Duration.ofMillis(200))
        .until(StateIT::everyAgentHasTheTableAndEveryAddress);
  }

  @AfterAll
  static void stopCluster() {
    agents.forEach(
        (name, agent) ->
            agent
                .control()
                .view()
                .partitionTable()
                .ifPresent(
                    committed ->
                        log.info(
                            "FIGURE at the end on {}: table {} with {} moves in flight",
                            name,
                            committed.table().version(),
                            committed.inFlight().size())));
    agents.values().forEach(Agent::close);
  }

  @Test
  void putThroughANonOwner_isForwarded_andAGetThroughAnotherFindsIt() throws Exception {
    // A move that completes may change a partition's owner: the owner is read from a table every
    // agent holds with nothing in flight, or the writer may own the key by the time the put lands.
    PartitionTable table =
        await()
            .atMost(FORMING)
            .pollInterval(Duration.ofMillis(200))
            .until(StateIT::settledTable, t -> t != null);
    String key = "user/42";
    String owner = table.owner(partition(table, key)).orElseThrow();
    // The two agents that do not own the key: the put enters through one, the get the other, and
    // both forward to the owner.
    List<String> others = agents.keySet().stream().filter(name -> !id(name).equals(owner)).toList();
    String writer = others.get(0);
    String reader = others.get(1);

    HttpResponse<String> put =
        await()
            .atMost(Duration.ofSeconds(30))
            .until(
                () -> send(writer, "PUT", "/v1/state/sessions/" + key + "?ttl=10m", "hello"),
                response ->
                    response.statusCode() != 503); // the owner's first lease may be on its way

    assertThat(put.statusCode()).as(put.body()).isEqualTo(200);
    assertThat(put.body()).matches("\\{\"version\":[1-9][0-9]*\\}");
    assertThat(put.headers().firstValue("X-Hivemind-Forwarded")).contains("true");
    assertThat(put.headers().firstValue("X-Hivemind-Owner")).contains(owner);

    HttpResponse<String> get = send(reader, "GET", "/v1/state/sessions/" + key, "");
    assertThat(get.statusCode()).as(get.body()).isEqualTo(200);
    assertThat(get.body()).isEqualTo("hello");
    assertThat(get.headers().firstValue("X-Hivemind-Version")).isPresent();
    assertThat(get.headers().firstValue("X-Hivemind-Expires")).isPresent();

    assertThat(get.headers().firstValue("X-Hivemind-Forwarded")).contains("true");

    HttpResponse<String> conflict =
        send(reader, "PUT", "/v1/state/sessions/" + key + "?cas=0", "x");
    assertThat(conflict.statusCode()).as(conflict.body()).isEqualTo(409);
  }

  /** Sequential puts and gets through one agent, most forwarded: a figure, not a speed test. */
  @Test
  void figure_sequentialPutsAndGetsThroughOneAgent() throws Exception {
    int count = 300;
    send("s1", "PUT", "/v1/state/warm/up", "x"); // connections and leases in place
    long started = System.nanoTime();
    int attempts = 0;
    for (int i = 0; i < count; i++) {
      String path = "/v1/state/figure/k" + i;
      String value = "value-" + i;
      // The table may still be balancing owners: a write whose partition changed hands while its
      // backup acked is refused (503, it may have landed).
      attempts +=
          RepeatedPuts.untilAccepted(() -> send("s1", "PUT", path, value), Duration.ofSeconds(5));
    }
    log.info("{} puts repeated after a 503 while owners moved", attempts - count);
    long putNanos = System.nanoTime() - started;
    started = System.nanoTime();
    for (int i = 0; i < count; i++) {
      HttpResponse<String> get = send("s1", "GET", "/v1/state/figure/k" + i, "");
      assertThat(get.body()).isEqualTo("value-" + i);
    }
    long getNanos = System.nanoTime() - started;
    log.info(
        "FIGURE {} sequential puts through one of 3 agents: {} us each; gets: {} us each",
        count,
        putNanos / count / 1_000,
        getNanos / count / 1_000);
  }

  @Test
  void cli_putGetDelete_throughAnyAgent() {
    String address = agents.get("s3").httpUri().getAuthority();
    assertThat(cli(0, "state", "put", "carts", "c1", "apples", "--http-addr", address))
        .contains("Success!");
    assertThat(cli(0, "state", "get", "carts", "c1", "--http-addr", address)).contains("apples");
    assertThat(cli(0, "state", "delete", "carts", "c1", "--http-addr", address))
        .contains("Deleted");
    cli(1, "state", "get", "carts", "c1", "--http-addr", address);
  }

  private static String cli(int expectedCode, String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int code =
        await()
            .atMost(Duration.ofSeconds(30))
            .until(
                () -> {
                  out.getBuffer().setLength(0);
                  err.getBuffer().setLength(0);
                  return HivemindCommand.execute(
                      args, new PrintWriter(out, true), new PrintWriter(err, true));
                },
                c -> c == expectedCode || !err.toString().contains("state_unavailable"));
    assertThat(code).as(err.toString()).isEqualTo(expectedCode);
    return out.toString();
  }

  private static HttpResponse<String> send(String agent, String method, String path, String body)
      throws IOException, InterruptedException {
    URI uri = URI.create(agents.get(agent).httpUri() + path);
    HttpRequest request =
        HttpRequest.newBuilder(uri)
            .method(method, HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8))
            .timeout(Duration.ofSeconds(30))
            .build();
    return HTTP.send(request, HttpResponse.BodyHandlers.ofString());
  }

  private static boolean everyAgentHasTheTableAndEveryAddress() {
    for (Agent agent : agents.values()) {
      if (agent.control().view().partitionTable().isEmpty()
          || table(agent).members().size() != agents.size()
          || agent.control().status().degraded()) {
        return false;
      }
      List<Member> members = agent.membership().members();
      long announced =
          members.stream()
              .filter(
                  m ->
                      m.tags().containsKey(StateTags.STATE_ADDRESS)
                          && m.tags().containsKey(StateTags.HTTP_ADDRESS))
              .count();
      if (announced < agents.size()) {
        return false;
      }
    }
    return true;
  }

  /** The table every agent applies, when they all apply the same with no move in flight. */
  private static PartitionTable settledTable() {
    PartitionTable first = null;
    for (Agent agent : agents.values()) {
      var committed = agent.control().view().partitionTable().orElse(null);
      if (committed == null || !committed.inFlight().isEmpty()) {
        return null;
      }
      if (first != null && first.version() != committed.table().version()) {
        return null;
      }
      first = committed.table();
    }
    return first;
  }

  private static PartitionTable table(Agent agent) {
    return agent.control().view().partitionTable().orElseThrow().table();
  }

  private static String id(String name) {
    return agents.get(name).control().view().members().stream()
        .filter(m -> m.name().equals(name))
        .map(ControlMember::id)
        .findFirst()
        .orElseThrow();
  }

  private static int partition(PartitionTable table, String key) {
    return StateKeys.partition("sessions", key, table.partitionCount());
  }

  private static void start(String name, String host) {
    List<String> seeds = agents.values().stream().map(a -> a.gossipAddress().toString()).toList();
    agents.put(
        name,
        LoopbackAgents.start(root, "it-state", "local", name, host, List.of("control"), 3, seeds));
  }

  /** A fresh port on {@code host}, one of the loopback addresses (FreePorts probes 127.0.0.1). */
  private static String at(String host) {
    return LoopbackAgents.at(host);
  }
}
