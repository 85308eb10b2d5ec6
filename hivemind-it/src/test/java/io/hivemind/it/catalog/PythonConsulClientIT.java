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
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
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
 * A real Consul client of another language: python-consul (Debian's {@code python3-consul2}, the
 * maintained fork that speaks Consul 1.x's {@code PUT} endpoints) runs {@code
 * python/consul-client.py} against a dev agent: status, KV (flags, recurse, keys with a separator,
 * check-and-set, a blocking get woken by a write from another thread, recursive delete), a service
 * with a TTL check through every lookup it offers (catalogue, health with {@code passing}, the node
 * reads, check states) and in and out of maintenance, the persistent catalogue and the event log.
 * The script reports what the client returned for each step; this test asserts on it. Skipped when
 * no Python 3 with such a client is installed ({@code .ci/run} installs it); python-consul before
 * 1.0 sends {@code GET} for check updates and deregistration, which Consul 1.x refuses as Hivemind
 * does, so it is skipped too.
 */
class PythonConsulClientIT {

  /** A single voter elects and admits itself; slower on a busy 2-core machine. */
  private static final Duration FORMING = Duration.ofSeconds(40);

  private static final Duration SCRIPT = Duration.ofSeconds(90);
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir static Path root;
  private static Agent agent;
  private static JsonNode report;

  @BeforeAll
  static void runTheClient() throws Exception {
    String python = pythonWithClient();
    assumeTrue(
        python != null,
        "no python3 with a Consul 1.x client (apt-get install python3-consul2) is installed");
    agent = Agent.start(AgentConfig.resolve(CatalogAgentSettings.devVoter("it", root), "it"), "it");
    HivemindClient client = HivemindClient.connect(agent.httpUri());
    client.register(ServiceRegistrationRequest.of("probe-0", "probe", "", 1));
    await().atMost(FORMING).until(() -> !client.lookup("probe").isEmpty());
    client.deregister("probe-0");
    report = run(python, agent.httpUri());
  }

  @AfterAll
  static void stop() {
    if (agent != null) {
      agent.close();
    }
  }

  @Test
  void statusAndAgent_leaderAndDatacenter() {
    assertThat(step("status.leader").asText()).isNotEmpty();
    assertThat(step("agent.self.datacenter").asText()).isEqualTo("it");
    assertThat(step("catalog.datacenters").get(0).asText()).isEqualTo("it");
  }

  @Test
  void kv_putGetFlagsRecurseKeysCasBlockingDelete() {
    assertThat(step("kv.put").asBoolean()).isTrue();
    assertThat(step("kv.get").get(1).get("Value").asText()).isEqualTo("hello");
    assertThat(step("kv.get.recurse").get(1).findValuesAsText("Key"))
        .containsExactly("app/config/a", "app/config/b");
    assertThat(step("kv.get.recurse").get(1).get(1).get("Flags").asInt()).isEqualTo(42);
    assertThat(step("kv.get.keys").get(1).get(0).asText()).isEqualTo("app/config/");
    assertThat(step("kv.get.missing").get(1).isNull()).isTrue();
    assertThat(step("kv.put.cas.current").asBoolean()).isTrue();
    assertThat(step("kv.put.cas.stale").asBoolean()).isFalse();
    // Woken by the write 0.5 s in, not by its 20 s wait running out.
    assertThat(step("kv.get.blocking").get(1).get("Value").asText()).isEqualTo("woken");
    assertThat(step("kv.get.blocking.seconds").asDouble()).isLessThan(15);
    assertThat(step("kv.delete.recurse").asBoolean()).isTrue();
    assertThat(step("kv.get.deleted").get(1).isNull()).isTrue();
  }

  @Test
  void txn_appliedAllOrNone_aFailedCheckNamesItsOperation() {
    JsonNode applied = step("txn.applied");
    assertThat(applied.get("Errors").isNull()).as(applied.toString()).isTrue();
    assertThat(applied.get("Results").findValuesAsText("Key"))
        .containsExactly("txn/a", "txn/b", "txn/a");
    assertThat(applied.get("Results").get(1).get("KV").get("Flags").asInt()).isEqualTo(7);
    assertThat(applied.get("Results").get(2).get("KV").get("Value").asText())
        .isEqualTo("b25l"); // "one": a get carries the value, a set does not
    assertThat(applied.get("Results").get(0).get("KV").get("Value").isNull()).isTrue();
    JsonNode failed = step("txn.failed").get("body");
    assertThat(step("txn.failed").get("status").asInt()).isEqualTo(409);
    assertThat(failed.get("Results").isNull()).as(failed.toString()).isTrue();
    assertThat(failed.get("Errors").get(0).get("OpIndex").asInt()).isEqualTo(1);
    assertThat(failed.get("Errors").get(0).get("What").asText()).contains("txn/a");
    assertThat(step("txn.get.after_failed").get(1).isNull()).isTrue();
    assertThat(step("txn.get_tree").get("Results").findValuesAsText("Key"))
        .containsExactly("txn/a", "txn/b");
  }

  @Test
  void sessions_lockTakenByOneHolder_renewedListedDestroyed_lockDelayThenTheOther() {
    String first = step("session.create").get(0).asText();
    String second = step("session.create").get(1).asText();
    assertThat(first).isNotEqualTo(second).hasSize(36);
    assertThat(step("kv.acquire.first").asBoolean()).isTrue();
    assertThat(step("kv.acquire.second").asBoolean()).isFalse();
    JsonNode locked = step("kv.get.locked").get(1);
    assertThat(locked.get("Session").asText()).isEqualTo(first);
    assertThat(locked.get("LockIndex").asInt()).isEqualTo(1);
    assertThat(step("kv.release.not_holder").asBoolean()).isFalse();
    assertThat(step("session.renew").get("ID").asText()).isEqualTo(first);
    JsonNode info = step("session.info").get(1);
    assertThat(info.get("Name").asText()).isEqualTo("one");
    assertThat(info.get("TTL").asText()).isEqualTo("15s");
    assertThat(info.get("LockDelay").asLong()).isEqualTo(1_000_000_000L);
    assertThat(step("session.node").get(1).findValuesAsText("ID")).contains(first, second);
    assertThat(step("session.list").get(1).findValuesAsText("ID")).contains(first, second);
    assertThat(step("session.destroy").asBoolean()).isTrue();
    assertThat(step("kv.acquire.in_lock_delay").asBoolean()).isFalse();
    assertThat(step("kv.acquire.after_lock_delay").asBoolean()).isTrue();
    JsonNode relocked = step("kv.get.relocked").get(1);
    assertThat(relocked.get("Session").asText()).isEqualTo(second);
    assertThat(relocked.get("LockIndex").asInt()).isEqualTo(2);
    // The second session's behaviour is delete: its end takes its key with it.
    assertThat(step("session.destroy.delete").asBoolean()).isTrue();
    assertThat(step("kv.get.deleted_with_session").get(1).isNull()).isTrue();
    assertThat(step("session.info.destroyed").get(1).isNull()).isTrue();
  }

  @Test
  void service_registeredPassedInMaintenanceAndOutLookedUpFailedDeregistered() {
    assertThat(step("agent.service.register").asBoolean()).isTrue();
    assertThat(step("agent.services").get("web-1").get("Address").asText()).isEqualTo("10.0.0.1");
    assertThat(step("agent.check.ttl_pass").asBoolean()).isTrue();
    assertThat(step("agent.service.maintenance.on").asBoolean()).isTrue();
    assertThat(step("health.service.passing.maintenance").get(1)).isEmpty();
    JsonNode maintenance = step("health.checks.maintenance").get(1);
    assertThat(maintenance.findValuesAsText("CheckID")).contains("_service_maintenance:web-1");
    assertThat(maintenance.findValuesAsText("Notes")).contains("deploy");
    assertThat(step("agent.service.maintenance.off").asBoolean()).isTrue();
    assertThat(step("agent.maintenance.on").asBoolean()).isTrue();
    assertThat(step("health.service.passing.node.maintenance").get(1)).isEmpty();
    assertThat(step("health.node.maintenance").get(1).findValuesAsText("CheckID"))
        .contains("_node_maintenance");
    assertThat(step("agent.maintenance.off").asBoolean()).isTrue();
    // A node check (no service id) counts in every instance's health, as Consul's.
    assertThat(step("agent.check.register.node").asBoolean()).isTrue();
    assertThat(step("health.service.passing.node.check").get(1)).isEmpty();
    assertThat(step("agent.check.ttl_pass.node").asBoolean()).isTrue();
    JsonNode disk = null;
    for (JsonNode check : step("health.node.node.check").get(1)) {
      if (check.get("CheckID").asText().equals("disk")) {
        disk = check;
      }
    }
    assertThat(disk).isNotNull();
    assertThat(disk.get("ServiceID").asText()).isEmpty();
    assertThat(disk.get("Status").asText()).isEqualTo("passing");
    assertThat(disk.get("Output").asText()).isEqualTo("space left");
    assertThat(step("agent.check.deregister.node").asBoolean()).isTrue();
    assertThat(step("agent.checks").get("service:web-1").get("Output").asText()).isEqualTo("fine");
    assertThat(step("agent.checks").has("_service_maintenance:web-1")).isFalse();
    assertThat(step("catalog.services").get(1).get("web").toString()).isEqualTo("[\"a\",\"b\"]");
    JsonNode web = step("catalog.service").get(1).get(0);
    assertThat(web.get("ServiceAddress").asText()).isEqualTo("10.0.0.1");
    assertThat(web.get("ServicePort").asInt()).isEqualTo(8080);
    assertThat(web.get("Node").asText()).isEqualTo("dev");
    assertThat(step("catalog.service.tag").get(1)).hasSize(1);
    assertThat(step("catalog.nodes").get(1).findValuesAsText("Node")).contains("dev");
    assertThat(step("health.service.passing").get(1)).hasSize(1);
    assertThat(step("health.checks").get(1).get(0).get("Status").asText()).isEqualTo("passing");
    assertThat(step("health.state.passing").get(1).findValuesAsText("CheckID"))
        .contains("service:web-1");
    assertThat(step("agent.check.ttl_fail").asBoolean()).isTrue();
    assertThat(step("health.service.passing.failed").get(1)).isEmpty();
    assertThat(step("health.service.all.failed").get(1).get(0).get("Checks").get(0).get("Output"))
        .hasToString("\"down\"");
    assertThat(step("agent.service.deregister").asBoolean()).isTrue();
    assertThat(step("catalog.service.deregistered").get(1)).isEmpty();
  }

  @Test
  void nodeReads_theAgentsNodeWithItsInstance_unknownNodeIsNone() {
    JsonNode node = step("catalog.node").get(1);
    assertThat(node.get("Node").get("Node").asText()).isEqualTo("dev");
    assertThat(node.get("Node").get("Datacenter").asText()).isEqualTo("it");
    assertThat(node.get("Services").get("web-1").get("Port").asInt()).isEqualTo(8080);
    assertThat(step("catalog.node.unknown").get(1).isNull()).isTrue();
    assertThat(step("health.node").get(1).findValuesAsText("CheckID")).contains("service:web-1");
  }

  @Test
  void persistentCatalogueAndEvents() {
    assertThat(step("catalog.register").asBoolean()).isTrue();
    JsonNode external = step("catalog.service.external").get(1).get(0);
    assertThat(external.get("Node").asText()).isEqualTo("ext-db");
    assertThat(external.get("ServicePort").asInt()).isEqualTo(5432);
    assertThat(step("catalog.deregister").asBoolean()).isTrue();
    assertThat(step("event.fire").get("Name").asText()).isEqualTo("deploy");
    assertThat(step("event.list").get(1).findValuesAsText("Name")).containsOnly("deploy");
  }

  /** The step's result; fails with the client's error when it raised. */
  private static JsonNode step(String name) {
    JsonNode result = report.get(name);
    assertThat(result).as("step %s in %s", name, report).isNotNull();
    assertThat(result.has("error") && result.isObject() && result.size() == 1)
        .as("step %s raised %s", name, result)
        .isFalse();
    return result;
  }

  private static JsonNode run(String python, URI api) throws IOException, InterruptedException {
    Path script = root.resolve("consul-client.py");
    try (InputStream in =
        PythonConsulClientIT.class.getResourceAsStream("/python/consul-client.py")) {
      Files.write(script, in.readAllBytes());
    }
    Path out = root.resolve("client.out");
    Path err = root.resolve("client.err");
    List<String> command = new ArrayList<>();
    command.add(python);
    command.add(script.toString());
    command.add(api.getHost());
    command.add(Integer.toString(api.getPort()));
    command.add("dev");
    Process process =
        new ProcessBuilder(command)
            .redirectOutput(out.toFile())
            .redirectError(err.toFile())
            .start();
    if (!process.waitFor(SCRIPT.toSeconds(), TimeUnit.SECONDS)) {
      process.destroyForcibly();
      throw new AssertionError("the python client did not finish in " + SCRIPT);
    }
    String stderr = Files.readString(err, StandardCharsets.UTF_8);
    assertThat(process.exitValue()).as("the python client failed: %s", stderr).isZero();
    return JSON.readTree(Files.readString(out, StandardCharsets.UTF_8));
  }

  /**
   * The first Python 3 (Debian's, then the PATH's) whose {@code consul} module updates checks with
   * {@code PUT}, as Consul 1.x requires; null when there is none.
   */
  private static String pythonWithClient() throws InterruptedException {
    String probe =
        "import consul, inspect, sys\n"
            + "source = inspect.getsource(consul.base.Consul.Agent.Check.ttl_pass)\n"
            + "sys.exit(0 if 'http.put' in source else 1)\n";
    for (String python : List.of("/usr/bin/python3", "python3")) {
      try {
        Process process =
            new ProcessBuilder(python, "-c", probe)
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .start();
        if (process.waitFor(30, TimeUnit.SECONDS) && process.exitValue() == 0) {
          return python;
        }
        process.destroyForcibly();
      } catch (IOException notThere) {
        // Try the next one.
      }
    }
    return null;
  }
}
