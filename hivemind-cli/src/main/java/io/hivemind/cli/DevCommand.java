package io.hivemind.cli;

import io.hivemind.api.Environment;
import io.hivemind.api.WellKnownPorts;
import io.hivemind.server.agent.AgentConfig;
import io.hivemind.server.agent.AgentSettings;
import io.hivemind.server.agent.Roles;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code hivemind dev}: a development cluster on loopback with no configuration. The first node
 * takes the development environment's well-known ports, so {@code hivemind members} finds it; the
 * others take free ports and join through the first.
 */
@Command(
    name = "dev",
    mixinStandardHelpOptions = true,
    description = {
      "Runs a development cluster on loopback: every built-in role, no configuration, no key.",
      "The first node serves the development ports (gossip 7360, HTTP 7361); Ctrl-C leaves.",
      "'hivemind leave' ends one node's agent, the others go on; the process exits 0 when its"
          + " last agent has left."
    })
final class DevCommand implements Callable<Integer> {

  /** Every built-in role: a development node does everything. */
  static final List<String> DEV_ROLES = Roles.KNOWN;

  /** Loopback only: a development cluster is not reachable from the network. */
  static final String DEV_HOST = "127.0.0.1";

  @Spec private CommandSpec spec;

  @Option(
      names = "--nodes",
      defaultValue = "1",
      description = "Nodes to run in this process (default: ${DEFAULT-VALUE}).")
  private int nodes;

  @Override
  public Integer call() throws InterruptedException {
    if (nodes < 1 || nodes > 64) {
      spec.commandLine().getErr().println("hivemind dev: --nodes must be 1 to 64, got " + nodes);
      return HivemindCommand.USAGE_ERROR;
    }
    return AgentRunner.runUntilSignalled(configs(nodes), spec.commandLine().getErr());
  }

  /** The configurations of an {@code n}-node development cluster. */
  static List<AgentConfig> configs(int n) {
    WellKnownPorts ports = WellKnownPorts.of(Environment.DEVELOPMENT);
    List<AgentConfig> configs = new ArrayList<>();
    for (int i = 1; i <= n; i++) {
      boolean first = i == 1;
      AgentSettings settings =
          new AgentSettings(
              "dev-" + i,
              Environment.DEVELOPMENT.id(),
              0,
              "dev",
              DEV_HOST + ":" + (first ? ports.gossip() : 0),
              null,
              DEV_HOST + ":" + (first ? ports.http() : 0),
              first ? List.of() : List.of(DEV_HOST + ":" + ports.gossip()),
              DEV_ROLES,
              Map.of(),
              "",
              "local",
              List.of(),
              null,
              null);
      configs.add(AgentConfig.resolve(settings, "dev"));
    }
    return configs;
  }
}
