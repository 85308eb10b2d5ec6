package io.hivemind.it.spring;

import static org.awaitility.Awaitility.await;

import io.hivemind.testkit.FreePorts;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A one-voter agent started as a separate process through the repository's launcher, on free
 * loopback ports, for the real Consul clients of this module: their class paths and the agent's
 * never meet. Ready once it has admitted itself, so instances registered on it enter its replica.
 */
final class LaunchedAgent {

  private static final Path LAUNCHER = Path.of("..", "hivemind").toAbsolutePath().normalize();

  /** A single voter elects and admits itself; slower on a busy 2-core machine. */
  private static final Duration FORMING = Duration.ofSeconds(60);

  private final Process process;
  private final URI uri;

  private LaunchedAgent(Process process, URI uri) {
    this.process = process;
    this.uri = uri;
  }

  /** Starts agent {@code node} with its data and its log ({@code agent.log}) under {@code root}. */
  static LaunchedAgent start(Path root, String node) throws Exception {
    int httpPort = FreePorts.tcpAndUdp();
    List<String> command =
        List.of(
            LAUNCHER.toString(),
            "agent",
            "--node=" + node,
            "--env=development",
            "--cluster=" + node,
            "--profile=local",
            "--role=control",
            "--bootstrap-expect=1",
            "--data-dir=" + root.resolve("agent"),
            "--bind=127.0.0.1:" + FreePorts.tcpAndUdp(),
            "--http-bind=127.0.0.1:" + httpPort,
            "--control-bind=127.0.0.1:" + FreePorts.tcpAndUdp(),
            "--control-gateway-bind=127.0.0.1:" + FreePorts.tcpAndUdp());
    Process process =
        new ProcessBuilder(command)
            .redirectErrorStream(true)
            .redirectOutput(root.resolve("agent.log").toFile())
            .start();
    LaunchedAgent agent = new LaunchedAgent(process, URI.create("http://127.0.0.1:" + httpPort));
    HttpClient http = HttpClient.newHttpClient();
    // The agent's instances enter its replica (and the health answers) once it is admitted.
    await("agent admitted; log " + root.resolve("agent.log"))
        .atMost(FORMING)
        .pollInterval(Duration.ofMillis(250))
        .ignoreExceptions()
        .until(
            () -> {
              http.send(
                  HttpRequest.newBuilder(agent.uri.resolve("/v1/agent/service/register"))
                      .PUT(HttpRequest.BodyPublishers.ofString("{\"Name\":\"probe\",\"Port\":1}"))
                      .build(),
                  HttpResponse.BodyHandlers.discarding());
              return http.send(
                      HttpRequest.newBuilder(agent.uri.resolve("/v1/catalog/services")).build(),
                      HttpResponse.BodyHandlers.ofString())
                  .body()
                  .contains("\"probe\"");
            });
    return agent;
  }

  /** The agent's HTTP API. */
  URI uri() {
    return uri;
  }

  /** Stops the agent (SIGTERM, then SIGKILL after 15 s). */
  void close() throws InterruptedException {
    process.destroy();
    if (!process.waitFor(15, TimeUnit.SECONDS)) {
      process.destroyForcibly();
    }
  }
}
