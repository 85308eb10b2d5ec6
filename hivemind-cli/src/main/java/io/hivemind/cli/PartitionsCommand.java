package io.hivemind.cli;

import io.hivemind.api.PartitionTableInfo;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code hivemind partitions}: the committed partition table as the local agent holds it. */
@Command(
    name = "partitions",
    mixinStandardHelpOptions = true,
    sortOptions = false,
    description =
        "Show the committed partition table (issue 13): its version and commit index, the"
            + " partition and backup counts, under-replicated partitions, and each member's owned"
            + " and backup partitions; with --partition, that partition's owner and backups.")
final class PartitionsCommand implements Callable<Integer> {

  @Spec private CommandSpec spec;

  @Mixin private AgentAddressOptions agent;

  @Option(names = "--json", description = "Print the API's JSON object instead of text.")
  private boolean json;

  @Option(
      names = "--partition",
      paramLabel = "N",
      description = "Also show partition N's replicas: the owner, then the backups in order.")
  private Integer partition;

  @Override
  public Integer call() {
    if (partition != null && partition < 0) {
      spec.commandLine().getErr().println("--partition must be 0 or above, not " + partition);
      return 2;
    }
    return agent.call(
        spec,
        client -> {
          PartitionTableInfo table = client.partitions(partition == null ? -1 : partition);
          PrintWriter out = spec.commandLine().getOut();
          out.print(
              json ? ControlText.json(table) + System.lineSeparator() : PartitionText.table(table));
          out.flush();
          return 0;
        });
  }
}
