package io.hivemind.it;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Agents as separate processes, started by the repository's {@code hivemind} launcher from the
 * distribution the build made: on loopback, in the testing environment, with the {@code local}
 * profile. Each process logs to {@code <logs>/<name>.log}. Closing kills what is still running.
 */
public final class LauncherAgents implements AutoCloseable {

  private static final Path LAUNCHER = Path.of("..", "hivemind").toAbsolutePath().normalize();

  private final Path logs;
  private final String cluster;
  private final List<Process> processes = new ArrayList<>();

  public LauncherAgents(Path logs, String cluster) {
    this.logs = logs;
    this.cluster = cluster;
  }

  /** Starts agent {@code name}; {@code seed} ({@code host:port}) may be null: a cluster of one. */
  public Process start(String name, int gossipPort, int httpPort, String seed) throws IOException {
    List<String> command =
        new ArrayList<>(
            List.of(
                LAUNCHER.toString(),
                "agent",
                "--node",
                name,
                "--env",
                "testing",
                "--cluster",
                cluster,
                "--bind",
                "127.0.0.1:" + gossipPort,
                "--http-bind",
                "127.0.0.1:" + httpPort,
                "--profile",
                "local"));
    if (seed != null) {
      command.addAll(List.of("--seed", seed));
    }
    Process process =
        new ProcessBuilder(command)
            .redirectErrorStream(true)
            .redirectOutput(logs.resolve(name + ".log").toFile())
            .start();
    processes.add(process);
    return process;
  }

  /** The processes started so far, in order. */
  public List<Process> processes() {
    return List.copyOf(processes);
  }

  @Override
  public void close() {
    processes.forEach(Process::destroyForcibly);
  }
}
