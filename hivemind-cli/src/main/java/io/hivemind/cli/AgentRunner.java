package io.hivemind.cli;

import io.hivemind.server.agent.Agent;
import io.hivemind.server.agent.AgentConfig;
import io.hivemind.server.agent.ConfigException;
import io.hivemind.server.transport.GossipBindException;
import java.io.IOException;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;

/**
 * Starts agents in this process and keeps them running until the JVM is asked to stop (SIGTERM,
 * SIGINT): then each leaves the cluster gracefully, in reverse start order, and closes.
 */
final class AgentRunner {

  /**
   * How long a signalled agent waits for its LEFT to spread before it closes anyway. A LAN spreads
   * it in well under a second; systemd's default stop timeout is 90 s, so this stays well inside.
   */
  static final Duration LEAVE_TIMEOUT = Duration.ofSeconds(10);

  private AgentRunner() {}

  /**
   * Starts every agent (each later one may name the first as its seed); returns the exit code once
   * the process is told to stop, or at once if an agent cannot start.
   */
  static int runUntilSignalled(List<AgentConfig> configs, PrintWriter err)
      throws InterruptedException {
    List<Agent> agents = new ArrayList<>();
    try {
      for (AgentConfig config : configs) {
        agents.add(Agent.start(config, HivemindCommand.version()));
      }
    } catch (IOException | ConfigException | GossipBindException e) {
      err.println("hivemind: " + e.getMessage());
      closeAll(agents);
      return HivemindCommand.FAILURE;
    }
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  for (int i = agents.size() - 1; i >= 0; i--) {
                    Agent agent = agents.get(i);
                    agent.leave(LEAVE_TIMEOUT);
                    agent.close();
                  }
                  stopped.countDown();
                },
                "hivemind-shutdown"));
    stopped.await();
    return 0;
  }

  private static void closeAll(List<Agent> agents) {
    for (Agent agent : agents) {
      agent.close();
    }
  }
}
