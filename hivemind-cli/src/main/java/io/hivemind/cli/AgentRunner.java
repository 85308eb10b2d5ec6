package io.hivemind.cli;

import io.hivemind.core.membership.Member;
import io.hivemind.server.agent.Agent;
import io.hivemind.server.agent.AgentConfig;
import io.hivemind.server.agent.ConfigException;
import io.hivemind.server.tls.TlsException;
import io.hivemind.server.transport.GossipBindException;
import java.io.IOException;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Starts agents in this process and keeps them running until the JVM is asked to stop (SIGTERM,
 * SIGINT): then each leaves the cluster gracefully, in reverse start order, and closes. An agent
 * that never joined anyone has nobody to tell: it says so and closes. An agent told to leave
 * ({@code hivemind leave}) closes by itself, the others go on; when the last has closed, the run
 * ends with exit code 0.
 */
final class AgentRunner {

  private static final Logger log = LoggerFactory.getLogger(AgentRunner.class);

  /**
   * How long a signalled agent's leave may take before it closes anyway: the partitioned store's
   * drain (at most 60 s, StateDrain) and then LEFT spreading (well under a second on a LAN);
   * systemd's default stop timeout is 90 s, so this stays inside.
   */
  static final Duration LEAVE_TIMEOUT = Duration.ofSeconds(75);

  private AgentRunner() {}

  /**
   * Starts every agent (each later one may name the first as its seed); returns the exit code once
   * the process is told to stop or every agent has left, or at once if an agent cannot start.
   */
  static int runUntilSignalled(List<AgentConfig> configs, PrintWriter err)
      throws InterruptedException {
    return runUntilSignalled(configs, err, agent -> {});
  }

  /** As above, handing each agent to {@code started} once it has started. */
  static int runUntilSignalled(
      List<AgentConfig> configs, PrintWriter err, java.util.function.Consumer<Agent> started)
      throws InterruptedException {
    List<Agent> agents = new ArrayList<>();
    try {
      for (AgentConfig config : configs) {
        config.warnings().forEach(log::warn);
        Agent agent = Agent.start(config, HivemindCommand.version());
        agents.add(agent);
        started.accept(agent);
      }
    } catch (ConfigException | TlsException e) {
      // resolve checks everything first; this is the safety net, with the same exit code. The TLS
      // files are read at start: an expired certificate, a key of another certificate, one issued
      // for another node's name is the configuration's mistake, said in one sentence.
      err.println("hivemind: " + e.getMessage());
      closeAll(agents);
      return HivemindCommand.USAGE_ERROR;
    } catch (IOException | GossipBindException | IllegalArgumentException e) {
      // A port in use, or an address that does not resolve (the advertised host is resolved to
      // an IP once, at start): a start failure, said in the exception's sentence.
      err.println("hivemind: " + e.getMessage());
      closeAll(agents);
      return HivemindCommand.FAILURE;
    }
    AtomicBoolean signalled = new AtomicBoolean();
    CompletableFuture<Void> stopped = new CompletableFuture<>();
    Thread hook =
        new Thread(
            () -> {
              signalled.set(true);
              for (int i = agents.size() - 1; i >= 0; i--) {
                stop(agents.get(i));
              }
              stopped.complete(null);
            },
            "hivemind-shutdown");
    Runtime.getRuntime().addShutdownHook(hook);
    CompletableFuture<?>[] closed =
        agents.stream().map(Agent::closed).toArray(CompletableFuture<?>[]::new);
    try {
      CompletableFuture.anyOf(stopped, CompletableFuture.allOf(closed)).get();
    } catch (ExecutionException e) {
      throw new IllegalStateException("an agent failed to close", e.getCause());
    }
    if (!signalled.get()) {
      // Not a signal: each agent closed by itself, after its leave.
      log.info("every agent of this process has left the cluster; exiting");
      removeHook(hook);
    }
    return 0;
  }

  private static void removeHook(Thread hook) {
    try {
      Runtime.getRuntime().removeShutdownHook(hook);
    } catch (IllegalStateException shuttingDown) {
      // A signal came as the last agent closed: the hook runs, and finds every agent closed.
    }
  }

  /** Leaves if anyone would hear it, saying what happened either way; then closes. */
  private static void stop(Agent agent) {
    if (agent.closed().isDone()) {
      return; // It left already, and closed by itself.
    }
    AgentConfig config = agent.config();
    switch (shutdownOf(
        config.nodeName(),
        !config.seeds().isEmpty(),
        agent.membership().isJoined(),
        agent.membership().members())) {
      case LEAVE -> agent.leave(LEAVE_TIMEOUT);
      case BEFORE_JOINING ->
          log.info(
              "agent {} is shutting down before joining the cluster: no seed of {} answered",
              config.nodeName(),
              config.seeds());
      case ALONE ->
          log.info(
              "agent {} is shutting down: no other member is alive, so there is nobody to tell",
              config.nodeName());
    }
    agent.close();
  }

  /** What a signalled agent does before it closes. */
  enum Shutdown {
    /** Others know it: announce LEFT, so they do not take it for a failure. */
    LEAVE,
    /** Its seeds never answered and nobody joined it: it was never in a cluster. */
    BEFORE_JOINING,
    /** It never had seeds and every other member is gone: a cluster of one. */
    ALONE
  }

  /**
   * Leaves when another member is alive or suspect in this node's view, or a seed has answered;
   * else there is nobody to tell (and "left the cluster" would not be true).
   */
  static Shutdown shutdownOf(String self, boolean hasSeeds, boolean joined, List<Member> members) {
    boolean othersKnown = members.stream().anyMatch(m -> m.isActive() && !m.name().equals(self));
    if (joined || othersKnown) {
      return Shutdown.LEAVE;
    }
    return hasSeeds ? Shutdown.BEFORE_JOINING : Shutdown.ALONE;
  }

  private static void closeAll(List<Agent> agents) {
    for (Agent agent : agents) {
      agent.close();
    }
  }
}
