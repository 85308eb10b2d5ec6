package io.hivemind.cli;

import io.hivemind.client.HivemindClient;
import io.hivemind.client.HivemindClientException;
import java.io.PrintWriter;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code hivemind join}: asks the agent to join a cluster through other nodes. */
@Command(
    name = "join",
    mixinStandardHelpOptions = true,
    sortOptions = false,
    description = {
      "Ask the agent to join a cluster through one or more of its nodes.",
      "Succeeds when at least one address worked (as serf join does); each failed address is"
          + " reported on stderr, saying what happened (refused, timed out, closed without an"
          + " answer, this agent itself). Each address is tried once: nothing is retried in the"
          + " background."
    })
final class JoinCommand implements Callable<Integer> {

  /**
   * Failures that concern one address; any other failure concerns the agent (unreachable, or it has
   * left: {@code agent_left}), so stop there.
   */
  private static final Set<String> PER_ADDRESS =
      Set.of("bad_address", "join_failed", "join_self", "join_timeout");

  @Spec private CommandSpec spec;

  @Mixin private AgentAddressOptions agent;

  @Parameters(
      arity = "1..*",
      paramLabel = "ADDRESS",
      description =
          "A node's gossip address: host, host:port, [v6] or [v6]:port; without a port, the"
              + " environment's well-known gossip port.")
  private List<String> addresses;

  @Override
  public Integer call() {
    return agent.call(spec, this::joinAll);
  }

  private int joinAll(HivemindClient client) {
    int joined = 0;
    for (String address : addresses) {
      try {
        client.join(address);
        joined++;
      } catch (HivemindClientException e) {
        if (!PER_ADDRESS.contains(e.code())) {
          throw e;
        }
        spec.commandLine().getErr().println("hivemind: " + e.getMessage());
      }
    }
    PrintWriter out = spec.commandLine().getOut();
    if (joined > 0) {
      out.println("Joined the cluster through " + joined + " of " + addresses.size() + " nodes.");
    }
    out.flush();
    return joined > 0 ? 0 : HivemindCommand.FAILURE;
  }
}
