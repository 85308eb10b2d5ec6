package io.hivemind.it.control.cluster;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.hivemind.testkit.FreePorts;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Plain agents load no Ratis class (issue 10: their footprint stays): a control agent and a plain
 * agent as processes of the distribution, each logging the classes its JVM loads. The plain agent
 * follows the control plane and loads nothing of {@code org.apache.ratis}; the control agent does,
 * so the check can fail. Nor does it load Jackson's data binding. The plain agent's heap holds no
 * picocli model either: the command line's model of every subcommand is garbage once the agent runs
 * (about 1 MB).
 */
class PlainAgentClassesIT {

  private static final Path LAUNCHER = Path.of("..", "hivemind").toAbsolutePath().normalize();
  private static final String RATIS = "org.apache.ratis.";
  private static final String DATA_BINDING = "com.fasterxml.jackson.databind.";
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final HttpClient HTTP =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

  @TempDir Path dir;
  private final List<Process> processes = new ArrayList<>();

  @AfterEach
  void stop() {
    processes.forEach(Process::destroyForcibly);
  }

  @Test
  void plainAgentProcess_followsTheControlPlane_withoutLoadingRatis() throws Exception {
    int controlGossip = FreePorts.tcpAndUdp();
    int controlHttp = FreePorts.tcpAndUdp();
    int plainHttp = FreePorts.tcpAndUdp();
    start(
        "ctl",
        controlGossip,
        controlHttp,
        "--role",
        "control",
        "--bootstrap-expect",
        "1",
        "--control-bind",
        "127.0.0.1:" + FreePorts.tcpAndUdp(),
        "--control-gateway-bind",
        "127.0.0.1:" + FreePorts.tcpAndUdp());
    start(
        "plain",
        FreePorts.tcpAndUdp(),
        plainHttp,
        "--role",
        "host",
        "--seed",
        "127.0.0.1:" + controlGossip);

    await()
        .atMost(Duration.ofSeconds(60))
        .pollInterval(Duration.ofMillis(250))
        .ignoreExceptions()
        .untilAsserted(
            () -> {
              assertThat(read(plainHttp, "/v1/status/leader").asText()).isNotEmpty();
              assertThat(catalogNames(plainHttp)).containsExactlyInAnyOrder("ctl", "plain");
            });

    List<String> plainClasses = Files.readAllLines(dir.resolve("plain-classes.log"));
    List<String> controlClasses = Files.readAllLines(dir.resolve("ctl-classes.log"));
    assertThat(plainClasses)
        .as("the plain agent loaded classes, its follower among them")
        .anyMatch(line -> line.contains("io.hivemind.server.control.FollowerControlPlane "));
    assertThat(plainClasses).noneMatch(line -> line.contains(RATIS));
    // Regression: a subcommand's static ObjectMapper loaded Jackson's data binding (about 320
    // classes, 4 MB) into every agent; the HTTP API needs only Jackson's streaming classes.
    assertThat(plainClasses).noneMatch(line -> line.contains(DATA_BINDING));
    assertThat(controlClasses).anyMatch(line -> line.contains(RATIS));
    assertThat(liveClasses(processes.get(1).pid()))
        .as("classes with live instances on the plain agent's heap")
        .contains("io.hivemind.server.control.FollowerControlPlane")
        .doesNotContain("picocli.CommandLine");
  }

  /** The classes with live instances in process {@code pid}, from jcmd's class histogram. */
  private static Set<String> liveClasses(long pid) throws Exception {
    Path jcmd = Path.of(System.getProperty("java.home"), "bin", "jcmd");
    Process histogram =
        new ProcessBuilder(jcmd.toString(), Long.toString(pid), "GC.class_histogram")
            .redirectErrorStream(true)
            .start();
    String output = new String(histogram.getInputStream().readAllBytes(), UTF_8);
    assertThat(histogram.waitFor()).as(output).isZero();
    Set<String> classes = new TreeSet<>();
    for (String line : output.split("\n")) {
      // "   1:   1234   56789  java.lang.String (java.base@17)": the fourth column is the class.
      String[] columns = line.trim().split("\\s+");
      if (columns.length >= 4 && columns[0].endsWith(":")) {
        classes.add(columns[3]);
      }
    }
    return classes;
  }

  private void start(String name, int gossip, int http, String... extra) throws IOException {
    List<String> command =
        new ArrayList<>(
            List.of(
                LAUNCHER.toString(),
                "agent",
                "--node",
                name,
                "--env",
                "development",
                "--cluster",
                "it-classes",
                "--bind",
                "127.0.0.1:" + gossip,
                "--http-bind",
                "127.0.0.1:" + http,
                "--profile",
                "local",
                "--data-dir",
                dir.resolve(name).toString()));
    command.addAll(List.of(extra));
    ProcessBuilder builder =
        new ProcessBuilder(command)
            .redirectErrorStream(true)
            .redirectOutput(dir.resolve(name + ".log").toFile());
    // Replaces the launcher's agent flags: the class-loading log is what this test reads.
    builder
        .environment()
        .put(
            "HIVEMIND_JAVA_OPTS",
            "-Xmx256m -Xlog:class+load=info:file=" + dir.resolve(name + "-classes.log"));
    processes.add(builder.start());
  }

  private static Set<String> catalogNames(int http) throws Exception {
    Set<String> names = new TreeSet<>();
    for (JsonNode node : read(http, "/v1/catalog/nodes?stale")) {
      names.add(node.get("Node").asText());
    }
    return names;
  }

  private static JsonNode read(int http, String path) throws Exception {
    HttpResponse<String> answer =
        HTTP.send(
            HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + http + path))
                .timeout(Duration.ofSeconds(5))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(answer.statusCode()).as(path + " " + answer.body()).isEqualTo(200);
    return JSON.readTree(answer.body());
  }
}
