package io.hivemind.cli;

import io.hivemind.api.Environment;
import io.hivemind.api.WellKnownPorts;
import io.hivemind.server.agent.AgentConfig;
import io.hivemind.server.agent.AgentSettings;
import io.hivemind.server.agent.ConfigException;
import io.hivemind.server.agent.ControlSettings;
import io.hivemind.server.agent.DnsSettings;
import io.hivemind.server.agent.Roles;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.function.IntSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code hivemind dev}: a development cluster on loopback with no configuration. The first node
 * takes the development environment's well-known ports, so {@code hivemind members} finds it; the
 * others take free ports and join through the first.
 *
 * <p>Where the distribution has the {@code control} role, the first node of a one- or two-node
 * cluster is a one-voter control plane ({@code bootstrap_expect} 1, allowed in development only),
 * and the first three nodes of a larger one form a three-voter group; the rest are plain agents
 * that follow it. Each node keeps its state in its own directory under {@code --data-dir}, a fresh
 * temporary directory unless one is given, so a development cluster starts empty.
 */
@Command(
    name = "dev",
    mixinStandardHelpOptions = true,
    description = {
      "Runs a development cluster on loopback: every built-in role, no configuration, no key.",
      "The first node serves the development ports (gossip 7360, HTTP 7361, DNS 7362); Ctrl-C leaves.",
      "'hivemind leave' ends one node's agent, the others go on; the process exits 0 when its"
          + " last agent has left."
    })
final class DevCommand implements Callable<Integer> {

  private static final Logger log = LoggerFactory.getLogger(DevCommand.class);

  /** Loopback only: a development cluster is not reachable from the network. */
  static final String DEV_HOST = "127.0.0.1";

  /** Voters of a development group of three nodes or more: the smallest that survives a failure. */
  static final int DEV_VOTERS = 3;

  @Spec private CommandSpec spec;

  @Option(
      names = "--nodes",
      defaultValue = "1",
      description = "Nodes to run in this process (default: ${DEFAULT-VALUE}).")
  private int nodes;

  @Option(
      names = "--data-dir",
      paramLabel = "DIR",
      defaultValue = "${env:HIVEMIND_DATA_DIR}",
      description =
          "Where the nodes keep their state, one directory each; env HIVEMIND_DATA_DIR (default: a"
              + " fresh temporary directory).")
  private Path dataDir;

  @Override
  public Integer call() throws InterruptedException {
    if (nodes < 1 || nodes > 64) {
      spec.commandLine().getErr().println("hivemind dev: --nodes must be 1 to 64, got " + nodes);
      return HivemindCommand.USAGE_ERROR;
    }
    List<AgentConfig> configs;
    try {
      configs = configs(nodes, dataRoot(), DevCommand::freeLoopbackPort);
    } catch (ConfigException e) {
      spec.commandLine().getErr().println("hivemind dev: " + e.getMessage());
      return HivemindCommand.USAGE_ERROR;
    } catch (UncheckedIOException e) {
      spec.commandLine().getErr().println("hivemind dev: " + e.getMessage());
      return HivemindCommand.FAILURE;
    }
    return AgentRunner.runUntilSignalled(configs, spec.commandLine().getErr());
  }

  private Path dataRoot() {
    if (dataDir != null) {
      return dataDir;
    }
    try {
      Path temporary = Files.createTempDirectory("hivemind-dev-");
      log.info(
          "development cluster state in {} (a fresh directory: --data-dir keeps one)", temporary);
      return temporary;
    } catch (IOException e) {
      throw new UncheckedIOException(
          "cannot make a temporary data directory ("
              + e.getMessage()
              + "): give one with --data-dir",
          e);
    }
  }

  /**
   * The configurations of an {@code n}-node development cluster.
   *
   * @param dataRoot each node keeps its state in {@code dataRoot/<node name>}
   * @param freePort a free loopback TCP port, for the control listeners of the voters after the
   *     first (peers must know a voter's Raft address, so "any port" will not do)
   */
  static List<AgentConfig> configs(int n, Path dataRoot, IntSupplier freePort) {
    List<AgentConfig> configs = new ArrayList<>();
    for (AgentSettings settings : settings(n, dataRoot, freePort, Roles.known())) {
      configs.add(AgentConfig.resolve(settings, "dev"));
    }
    return configs;
  }

  /**
   * The settings of each node of an {@code n}-node development cluster, given the roles the
   * distribution knows: every node performs all of them, but only the voters perform {@code
   * control}.
   */
  static List<AgentSettings> settings(
      int n, Path dataRoot, IntSupplier freePort, List<String> knownRoles) {
    WellKnownPorts ports = WellKnownPorts.of(Environment.DEVELOPMENT);
    boolean control = knownRoles.contains(Roles.CONTROL);
    int voters = control ? voters(n) : 0;
    List<String> plainRoles = knownRoles.stream().filter(r -> !r.equals(Roles.CONTROL)).toList();
    List<AgentSettings> all = new ArrayList<>();
    for (int i = 1; i <= n; i++) {
      boolean first = i == 1;
      boolean voter = i <= voters;
      String name = "dev-" + i;
      AgentSettings settings =
          new AgentSettings(
              name,
              Environment.DEVELOPMENT.id(),
              0,
              "dev",
              DEV_HOST + ":" + (first ? ports.gossip() : 0),
              null,
              DEV_HOST + ":" + (first ? ports.http() : 0),
              first ? List.of() : List.of(DEV_HOST + ":" + ports.gossip()),
              voter ? knownRoles : plainRoles,
              Map.of(),
              "",
              "local",
              List.of(),
              null,
              null,
              controlSettings(dataRoot.resolve(name), voter, voters, first, freePort));
      // DNS like HTTP: the first node on the well-known port (dig @127.0.0.1 -p 7362), the others
      // on free ones.
      all.add(first ? settings : settings.withDns(new DnsSettings("0", null, null, null)));
    }
    return all;
  }

  /** One voter for one or two nodes (two voters survive no more than one); three from three. */
  static int voters(int n) {
    return n >= DEV_VOTERS ? DEV_VOTERS : 1;
  }

  private static ControlSettings controlSettings(
      Path dataDir, boolean voter, int voters, boolean first, IntSupplier freePort) {
    if (!voter) {
      return new ControlSettings(
          dataDir.toString(), null, null, null, null, null, null, null, null, null);
    }
    // The first voter takes the well-known control ports (their defaults), the others free ones.
    String raft = first ? DEV_HOST : DEV_HOST + ":" + freePort.getAsInt();
    String gateway = first ? DEV_HOST : DEV_HOST + ":" + freePort.getAsInt();
    return new ControlSettings(
        dataDir.toString(), voters, null, null, null, null, null, null, raft, gateway);
  }

  /** A TCP port free on loopback now; the agent binds it a moment later. */
  private static int freeLoopbackPort() {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getByName(DEV_HOST))) {
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException("no free loopback port for a control listener", e);
    }
  }
}
