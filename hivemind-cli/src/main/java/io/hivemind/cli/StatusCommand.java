package io.hivemind.cli;

import io.hivemind.api.ControlPlaneStatus;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code hivemind status}: the control plane as the local agent sees it. */
@Command(
    name = "status",
    mixinStandardHelpOptions = true,
    sortOptions = false,
    description =
        "Show the control plane as the agent sees it: leader, term, commit and applied index,"
            + " whether it is degraded (no quorum), and the Raft peers.")
final class StatusCommand implements Callable<Integer> {

  @Spec private CommandSpec spec;

  @Mixin private AgentAddressOptions agent;

  @Option(names = "--json", description = "Print the API's JSON object instead of text.")
  private boolean json;

  @Override
  public Integer call() {
    return agent.call(
        spec,
        client -> {
          ControlPlaneStatus status = client.controlStatus();
          PrintWriter out = spec.commandLine().getOut();
          out.print(
              json
                  ? ControlText.json(status) + System.lineSeparator()
                  : ControlText.status(status));
          out.flush();
          return 0;
        });
  }
}
