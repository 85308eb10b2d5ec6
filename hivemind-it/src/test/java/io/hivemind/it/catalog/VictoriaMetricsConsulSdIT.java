package io.hivemind.it.catalog;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.hivemind.api.ServiceRegistrationRequest;
import io.hivemind.client.HivemindClient;
import io.hivemind.server.agent.Agent;
import io.hivemind.server.agent.AgentConfig;
import io.hivemind.server.agent.AgentSettings;
import io.hivemind.testkit.FreePorts;
import java.io.File;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real Consul client: VictoriaMetrics' Consul service discovery ({@code consul_sd_configs}, the
 * Debian package {@code victoria-metrics}) pointed at a dev agent. It reads {@code
 * Config.Datacenter} from {@code /v1/agent/self}, then blocks on {@code
 * /v1/catalog/services?stale&index=&wait=} and {@code /v1/health/service/NAME}: the service we
 * register (the agent's own Prometheus endpoint) must be discovered and scraped, and must go when
 * it is deregistered. Both jobs name the service and a {@code node_meta} (sent as {@code
 * ?node-meta=roles:...}): the one that names the agent's roles finds the target, the other must
 * not. Skipped when the binary is absent ({@code .ci/run} installs it).
 */
class VictoriaMetricsConsulSdIT {

  /** A single voter elects and admits itself; slower on a busy 2-core machine. */
  private static final Duration FORMING = Duration.ofSeconds(40);

  /** Discovery refreshes every second here, scrapes run every second: generous on 2 busy cores. */
  private static final Duration DISCOVERY = Duration.ofSeconds(60);

  private static final String SERVICE = "hivemind-metrics";
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final HttpClient http = HttpClient.newHttpClient();

  @TempDir static Path root;
  private static Agent agent;
  private static HivemindClient client;
  private static Process victoria;
  private static Path victoriaLog;
  private static URI victoriaUri;

  @BeforeAll
  static void start() throws Exception {
    String binary = binary();
    assumeTrue(
        binary != null, "victoria-metrics is not installed (apt-get install victoria-metrics)");
    agent = Agent.start(AgentConfig.resolve(devSettings(), "dev", root), "it");
    client = HivemindClient.connect(agent.httpUri());
    client.register(ServiceRegistrationRequest.of("probe-0", "probe", "", 1));
    await().atMost(FORMING).until(() -> !client.lookup("probe").isEmpty());
    startVictoria(binary);
  }

  @AfterAll
  static void stop() throws InterruptedException {
    if (victoria != null) {
      victoria.destroy();
      if (!victoria.waitFor(10, TimeUnit.SECONDS)) {
        victoria.destroyForcibly();
      }
    }
    if (agent != null) {
      agent.close();
    }
  }

  @Test
  void registeredService_isDiscoveredAndScraped_thenGoesWhenDeregistered() throws Exception {
    URI api = agent.httpUri();
    client.register(
        ServiceRegistrationRequest.of("metrics-1", SERVICE, api.getHost(), api.getPort()));

    await("target discovered and scraped; victoria-metrics log: " + victoriaLog)
        .atMost(DISCOVERY)
        .pollInterval(Duration.ofMillis(500))
        .untilAsserted(
            () -> {
              JsonNode target = onlyTarget();
              assertThat(target).as(describe()).isNotNull();
              assertThat(target.get("health").asText()).as(target.toString()).isEqualTo("up");
            });
    JsonNode target = onlyTarget();
    assertThat(target.get("labels").get("instance").asText())
        .isEqualTo(api.getHost() + ":" + api.getPort());
    assertThat(target.get("discoveredLabels").get("__meta_consul_dc").asText()).isEqualTo("it");
    assertThat(target.get("discoveredLabels").get("__meta_consul_service_id").asText())
        .isEqualTo("metrics-1");
    await("a scraped series of the agent's")
        .atMost(DISCOVERY)
        .pollInterval(Duration.ofMillis(500))
        .until(() -> query("up{job=\"hivemind\"}").size() == 1);

    client.deregister("metrics-1");

    await("target gone after deregistration")
        .atMost(DISCOVERY)
        .pollInterval(Duration.ofMillis(500))
        .untilAsserted(() -> assertThat(onlyTarget()).as(describe()).isNull());
  }

  // ---- victoria-metrics ---------------------------------------------------------------------

  private static String binary() {
    for (String dir : System.getenv().getOrDefault("PATH", "/usr/bin").split(File.pathSeparator)) {
      Path candidate = Path.of(dir, "victoria-metrics");
      if (Files.isExecutable(candidate)) {
        return candidate.toString();
      }
    }
    return null;
  }

  private static void startVictoria(String binary) throws Exception {
    int port = FreePorts.tcpAndUdp();
    victoriaUri = URI.create("http://127.0.0.1:" + port);
    Path config = root.resolve("promscrape.yml");
    Files.writeString(config, scrapeConfig(agent.httpUri(), nodeRoles()), StandardCharsets.UTF_8);
    victoriaLog = root.resolve("victoria-metrics.log");
    List<String> command = new ArrayList<>();
    command.add(binary);
    command.add("-httpListenAddr=127.0.0.1:" + port);
    command.add("-storageDataPath=" + root.resolve("vm-data"));
    command.add("-promscrape.config=" + config);
    // Refresh discovered targets every second instead of every 30 s, and let queries see the
    // latest samples at once (the default hides the last 30 s).
    command.add("-promscrape.consulSDCheckInterval=1s");
    command.add("-search.latencyOffset=0s");
    command.add("-search.disableCache");
    victoria =
        new ProcessBuilder(command)
            .redirectErrorStream(true)
            .redirectOutput(victoriaLog.toFile())
            .start();
    await("victoria-metrics answering; log: " + victoriaLog)
        .atMost(Duration.ofSeconds(30))
        .ignoreExceptions()
        .until(() -> get(victoriaUri.resolve("/health")).statusCode() == 200);
  }

  /** The dev agent's node's {@code roles} metadata, as {@code /v1/catalog/nodes} lists it. */
  private static String nodeRoles() throws Exception {
    JsonNode nodes = JSON.readTree(get(agent.httpUri().resolve("/v1/catalog/nodes")).body());
    assertThat(nodes).hasSize(1);
    return nodes.get(0).get("Meta").get("roles").asText();
  }

  /**
   * Scrapes the agent's own Prometheus endpoint wherever Consul discovery says it is, on nodes with
   * the agent's roles; a second job asks for nodes with roles no node has, and must find nothing
   * ({@link #onlyTarget} would see two targets otherwise).
   */
  private static String scrapeConfig(URI agentApi, String roles) {
    return """
        global:
          scrape_interval: 1s
        scrape_configs:
        """
        + job("hivemind", agentApi, roles)
        + job("elsewhere", agentApi, "no-such-role");
  }

  /** A job scraping {@link #SERVICE}'s instances on nodes whose {@code roles} metadata is given. */
  private static String job(String name, URI agentApi, String roles) {
    return """
          - job_name: %s
            metrics_path: /v1/agent/metrics
            params:
              format: [prometheus]
            consul_sd_configs:
              - server: "%s:%d"
                services: [%s]
                node_meta:
                  roles: "%s"
        """
        .formatted(name, agentApi.getHost(), agentApi.getPort(), SERVICE, roles);
  }

  /** The target of {@link #SERVICE} among VictoriaMetrics' active targets, null when none. */
  private static JsonNode onlyTarget() throws Exception {
    JsonNode targets = targets().get("data").get("activeTargets");
    JsonNode found = null;
    for (JsonNode target : targets) {
      JsonNode service = target.get("discoveredLabels").get("__meta_consul_service");
      if (service != null && service.asText().equals(SERVICE)) {
        assertThat(found).as("one target: " + targets).isNull();
        found = target;
      }
    }
    return found;
  }

  private static JsonNode targets() throws Exception {
    HttpResponse<String> response = get(victoriaUri.resolve("/api/v1/targets"));
    assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    return JSON.readTree(response.body());
  }

  private static JsonNode query(String promql) throws Exception {
    String encoded = java.net.URLEncoder.encode(promql, StandardCharsets.UTF_8);
    HttpResponse<String> response = get(victoriaUri.resolve("/api/v1/query?query=" + encoded));
    assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    return JSON.readTree(response.body()).get("data").get("result");
  }

  private static String describe() {
    try {
      return "targets: " + targets() + "\nlog tail: " + tail(victoriaLog);
    } catch (Exception e) {
      return "targets unavailable: " + e;
    }
  }

  private static String tail(Path log) throws IOException {
    List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
    return String.join("\n", lines.subList(Math.max(0, lines.size() - 20), lines.size()));
  }

  private static HttpResponse<String> get(URI uri) throws IOException, InterruptedException {
    return http.send(
        HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(10)).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  // ---- the agent ----------------------------------------------------------------------------

  private static AgentSettings devSettings() {
    return CatalogAgentSettings.devVoter("it", root);
  }
}
