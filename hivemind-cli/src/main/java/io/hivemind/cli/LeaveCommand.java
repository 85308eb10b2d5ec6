package io.hivemind.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code hivemind leave}: asks the agent to leave the cluster gracefully. */
@Command(
    name = "leave",
    mixinStandardHelpOptions = true,
    description =
        "Ask the agent to leave the cluster gracefully: the others see it LEFT, not DEAD."
            + " Returns once the leave is announced; the agent then shuts down (its process"
            + " exits 0 once its last agent has left).")
final class LeaveCommand implements Callable<Integer> {

  @Spec private CommandSpec spec;

  @Mixin private AgentAddressOptions agent;

  @Override
  public Integer call() {
    return agent.call(
        spec,
        client -> {
          client.leave();
          spec.commandLine().getOut().println("Left the cluster; the agent is shutting down.");
          spec.commandLine().getOut().flush();
          return 0;
        });
  }
}
