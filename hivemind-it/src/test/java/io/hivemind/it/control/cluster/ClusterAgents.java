package io.hivemind.it.control.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.hivemind.client.HivemindClient;
import io.hivemind.server.agent.Agent;
import io.hivemind.server.agent.AgentConfig;
import io.hivemind.server.agent.AgentSettings;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.awaitility.core.ConditionTimeoutException;

/**
 * Agents of one cluster in this JVM, on loopback, each with its own data directory under {@code
 * root}: each new agent joins through every agent already running, so closing any of them never
 * strands a later one. Reads go through each agent's HTTP API, as a user's would; closing the
 * cluster closes what still runs.
 */
final class ClusterAgents implements AutoCloseable {

  static final String CLUSTER = "it-control";

  /** Forming a group on a busy 2-core machine: gossip, then Ratis's first election. */
  static final Duration FORMING = Duration.ofSeconds(40);

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final HttpClient HTTP =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

  private final Path root;
  private final Map<String, Agent> running = new LinkedHashMap<>();
  private final Map<String, AgentSettings> started = new LinkedHashMap<>();

  ClusterAgents(Path root) {
    this.root = root;
  }

  /** Starts {@code spec}'s agent, joining through every running agent. */
  Agent start(AgentSpec spec) {
    AgentSettings settings = spec.settings(CLUSTER, root.resolve(spec.name()), List.of());
    started.put(spec.name(), settings);
    return start(spec.name(), settings);
  }

  /**
   * Starts the closed agent {@code name} again with its ports and data directory (a control node
   * recovers its Raft log there), joining through the agents running now.
   */
  Agent restart(String name) {
    if (running.containsKey(name) || !started.containsKey(name)) {
      throw new IllegalArgumentException(name + " is running, or was never started");
    }
    return start(name, started.get(name));
  }

  private Agent start(String name, AgentSettings settings) {
    List<String> seeds = running.values().stream().map(a -> a.gossipAddress().toString()).toList();
    AgentSettings joining =
        settings.overlay(
            new AgentSettings(
                null, null, null, null, null, null, null, seeds, null, null, null, null, null, null,
                null));
    try {
      Agent agent = Agent.start(AgentConfig.resolve(joining, name, root), "it");
      running.put(name, agent);
      return agent;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Starts three control agents c1..c3 (bootstrap_expect 3), then {@code plain} plain agents. */
  static ClusterAgents formed(Path root, int plain) {
    ClusterAgents agents = new ClusterAgents(root);
    for (int i = 1; i <= 3; i++) {
      agents.start(AgentSpec.control("c" + i));
    }
    for (int i = 1; i <= plain; i++) {
      agents.start(AgentSpec.plain("p" + i));
    }
    return agents;
  }

  Agent agent(String name) {
    Agent agent = running.get(name);
    if (agent == null) {
      throw new IllegalArgumentException("no running agent " + name + " among " + running.keySet());
    }
    return agent;
  }

  List<Agent> running() {
    return List.copyOf(running.values());
  }

  Set<String> names() {
    return new TreeSet<>(running.keySet());
  }

  /** Closes {@code name} without leaving: to the others, a crash. */
  void close(String name) {
    Agent agent = running.remove(name);
    if (agent != null) {
      agent.close();
    }
  }

  // ---- reads through the HTTP API ---------------------------------------------------------

  /**
   * One client per agent, shared ("share one per agent", HivemindClient): a new one per poll opened
   * a new keep-alive connection each time, closed only when the collector got to it, and the
   * agent's cap of 256 HTTP connections was reached in a 40 s wait (FormedClusterIT, CI).
   */
  private static final java.util.Map<java.net.URI, HivemindClient> CLIENTS =
      new java.util.concurrent.ConcurrentHashMap<>();

  static HivemindClient client(Agent agent) {
    return CLIENTS.computeIfAbsent(agent.httpUri(), HivemindClient::connect);
  }

  /** Where {@code agent}'s Raft server listens, as /v1/status/leader names a leader. */
  static String raftAddress(Agent agent) {
    return "127.0.0.1:" + agent.config().control().raftBind().port();
  }

  /** The leader every running agent names, or null while they disagree or one names none. */
  String agreedLeader() {
    String leader = null;
    for (Agent agent : running.values()) {
      String named = client(agent).leader();
      if (named.isEmpty() || (leader != null && !leader.equals(named))) {
        return null;
      }
      leader = named;
    }
    return leader;
  }

  /** Waits until every running agent names the same running control agent as leader. */
  Agent awaitLeader(Duration within) {
    try {
      String address =
          await()
              .atMost(within)
              .pollInterval(Duration.ofMillis(100))
              .ignoreExceptions()
              .until(this::agreedLeader, leader -> leader != null && controlAt(leader) != null);
      return controlAt(address);
    } catch (ConditionTimeoutException e) {
      throw new AssertionError(
          "no leader every agent names within " + within + ": " + statuses(), e);
    }
  }

  /** What each running agent says of the control plane: for a failure's message. */
  private Map<String, String> statuses() {
    Map<String, String> statuses = new TreeMap<>();
    for (Agent agent : running.values()) {
      try {
        statuses.put(nameOf(agent), get(agent, "/v1/control/status").body());
      } catch (RuntimeException e) {
        statuses.put(nameOf(agent), e.toString());
      }
    }
    return statuses;
  }

  /** The running agent whose Raft server is at {@code address}, or null. */
  Agent controlAt(String address) {
    return running.values().stream()
        .filter(a -> raftAddress(a).equals(address))
        .findFirst()
        .orElse(null);
  }

  String nameOf(Agent agent) {
    return agent.config().nodeName();
  }

  /** The names {@code agent}'s {@code /v1/catalog/nodes?stale} lists: its replica's registry. */
  static Set<String> catalogNames(Agent agent) {
    Set<String> names = new TreeSet<>();
    for (JsonNode node : json(get(agent, "/v1/catalog/nodes?stale"))) {
      names.add(node.get("Node").asText());
    }
    return names;
  }

  /** Waits until every running agent's catalog lists exactly the running agents. */
  void awaitCatalogOfEveryAgentIsTheRunningAgents(Duration within) {
    await()
        .atMost(within)
        .pollInterval(Duration.ofMillis(100))
        .ignoreExceptions()
        .untilAsserted(
            () -> {
              for (Agent agent : running.values()) {
                assertThat(catalogNames(agent)).as(nameOf(agent)).isEqualTo(names());
              }
            });
  }

  /** {@code /v1/agent/self}'s {@code Control}: the agent's admission as its API shows it. */
  static JsonNode admission(Agent agent) {
    return json(get(agent, "/v1/agent/self")).path("Control");
  }

  static HttpResponse<String> get(Agent agent, String path) {
    return send(HttpRequest.newBuilder(agent.httpUri().resolve(path)).GET());
  }

  static HttpResponse<String> put(Agent agent, String path, String body) {
    return send(
        HttpRequest.newBuilder(agent.httpUri().resolve(path))
            .PUT(HttpRequest.BodyPublishers.ofString(body)));
  }

  private static HttpResponse<String> send(HttpRequest.Builder request) {
    try {
      return HTTP.send(
          request.timeout(Duration.ofSeconds(20)).build(), HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
  }

  static JsonNode json(HttpResponse<String> response) {
    if (response.statusCode() != 200) {
      throw new IllegalStateException(
          response.request().uri() + " answered " + response.statusCode() + ": " + response.body());
    }
    try {
      return JSON.readTree(response.body());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  public void close() {
    List<String> names = new ArrayList<>(running.keySet());
    // Plain agents first: closing control nodes first would leave them retrying for nothing.
    names.sort((a, b) -> Boolean.compare(isControl(a), isControl(b)));
    names.forEach(this::close);
  }

  private boolean isControl(String name) {
    return running.get(name).config().roles().contains("control");
  }
}
