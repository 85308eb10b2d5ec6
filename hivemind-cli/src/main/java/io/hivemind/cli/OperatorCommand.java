package io.hivemind.cli;

import io.hivemind.api.RaftConfiguration;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code hivemind operator raft list-peers | transfer-leader ID | remove-peer ID}. */
@Command(
    name = "operator",
    mixinStandardHelpOptions = true,
    description = "Operate the control plane.",
    subcommands = OperatorCommand.Raft.class)
final class OperatorCommand implements Callable<Integer> {

  @Spec private CommandSpec spec;

  @Override
  public Integer call() {
    spec.commandLine().usage(spec.commandLine().getErr());
    return HivemindCommand.USAGE_ERROR;
  }

  /** {@code hivemind operator raft}: the Raft group of the control nodes. */
  @Command(
      name = "raft",
      mixinStandardHelpOptions = true,
      description = "List the control plane's Raft peers, move leadership, remove a peer.",
      subcommands = {Raft.ListPeers.class, Raft.TransferLeader.class, Raft.RemovePeer.class})
  static final class Raft implements Callable<Integer> {

    @Spec private CommandSpec spec;

    @Override
    public Integer call() {
      spec.commandLine().usage(spec.commandLine().getErr());
      return HivemindCommand.USAGE_ERROR;
    }

    /** {@code list-peers}: Consul's table, or the configuration's JSON. */
    @Command(
        name = "list-peers",
        mixinStandardHelpOptions = true,
        description = "List the Raft group's servers: which leads, which vote.")
    static final class ListPeers implements Callable<Integer> {

      @Spec private CommandSpec spec;

      @Mixin private AgentAddressOptions agent;

      @Option(names = "--json", description = "Print the API's JSON object instead of a table.")
      private boolean json;

      @Override
      public Integer call() {
        return agent.call(
            spec,
            client -> {
              RaftConfiguration configuration = client.raftConfiguration();
              PrintWriter out = spec.commandLine().getOut();
              out.print(
                  json
                      ? ControlText.json(configuration) + System.lineSeparator()
                      : ControlText.peers(configuration.servers()));
              out.flush();
              return 0;
            });
      }
    }

    /** {@code transfer-leader ID}. */
    @Command(
        name = "transfer-leader",
        mixinStandardHelpOptions = true,
        description = "Move the Raft group's leadership to the voter ID.")
    static final class TransferLeader implements Callable<Integer> {

      @Spec private CommandSpec spec;

      @Mixin private AgentAddressOptions agent;

      @Parameters(paramLabel = "ID", description = "The voter's ID, as list-peers shows it.")
      private String id;

      @Option(names = "--json", description = "Print the API's JSON answer instead of text.")
      private boolean json;

      @Override
      public Integer call() {
        return agent.call(
            spec,
            client -> {
              client.transferLeader(id);
              done(spec, json ? "{\"Success\":true}" : "Leadership transferred to " + id + ".");
              return 0;
            });
      }
    }

    /** {@code remove-peer ID}. */
    @Command(
        name = "remove-peer",
        mixinStandardHelpOptions = true,
        description = "Remove the server ID from the Raft group.")
    static final class RemovePeer implements Callable<Integer> {

      @Spec private CommandSpec spec;

      @Mixin private AgentAddressOptions agent;

      @Parameters(paramLabel = "ID", description = "The server's ID, as list-peers shows it.")
      private String id;

      @Option(names = "--json", description = "Print a JSON object instead of text.")
      private boolean json;

      @Override
      public Integer call() {
        return agent.call(
            spec,
            client -> {
              client.removePeer(id);
              done(
                  spec,
                  json
                      ? "{\"Removed\":" + ControlText.jsonLine(id) + "}"
                      : "Removed peer " + id + " from the Raft group.");
              return 0;
            });
      }
    }
  }

  static void done(CommandSpec spec, String line) {
    spec.commandLine().getOut().println(line);
    spec.commandLine().getOut().flush();
  }
}
