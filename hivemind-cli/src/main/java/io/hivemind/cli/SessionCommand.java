package io.hivemind.cli;

import io.hivemind.api.SessionInfo;
import io.hivemind.client.HivemindClient;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code hivemind session list | create | destroy}: Consul's sessions, the holders of KV locks
 * (docs/sessions.md); {@code hivemind kv} reads the keys they hold.
 */
@Command(
    name = "session",
    mixinStandardHelpOptions = true,
    description = "List, create and destroy sessions: the holders of KV locks (Consul's).",
    subcommands = {
      SessionCommand.ListSessions.class,
      SessionCommand.Create.class,
      SessionCommand.Destroy.class
    })
final class SessionCommand implements Callable<Integer> {

  @Spec private CommandSpec spec;

  @Override
  public Integer call() {
    spec.commandLine().usage(spec.commandLine().getErr());
    return HivemindCommand.USAGE_ERROR;
  }

  /** {@code session list [--json] [--stale]}. */
  @Command(
      name = "list",
      mixinStandardHelpOptions = true,
      description = "Every session: id, node, TTL, behaviour and name, one a line.")
  static final class ListSessions implements Callable<Integer> {

    @Spec private CommandSpec spec;

    @Mixin private AgentAddressOptions agent;

    @Option(names = "--json", description = "Print the API's JSON array of sessions.")
    private boolean json;

    @Option(
        names = "--stale",
        description = "Read the agent's local replica: works without a quorum, may lag.")
    private boolean stale;

    @Override
    public Integer call() {
      return agent.call(
          spec,
          any -> {
            HivemindClient client = stale ? any.withStaleReads() : any;
            List<SessionInfo> sessions = client.locks().sessions();
            PrintWriter out = spec.commandLine().getOut();
            if (json) {
              out.println(ControlText.json(sessions));
              return 0;
            }
            for (SessionInfo session : sessions) {
              out.println(
                  String.join(
                      " ",
                      session.id(),
                      session.node(),
                      session.ttl().isEmpty() ? "no-ttl" : "ttl=" + session.ttl(),
                      session.behavior(),
                      session.name()));
            }
            return 0;
          });
    }
  }

  /** {@code session create [--name N] [--ttl D] [--lock-delay D] [--delete]}. */
  @Command(
      name = "create",
      mixinStandardHelpOptions = true,
      description =
          "Create a session bound to the agent's node and print its id. It ends when destroyed,"
              + " when the node leaves or is removed, or after twice its TTL without a renewal.")
  static final class Create implements Callable<Integer> {

    @Spec private CommandSpec spec;

    @Mixin private AgentAddressOptions agent;

    @Option(names = "--name", defaultValue = "", description = "A label.")
    private String name;

    @Option(
        names = "--ttl",
        defaultValue = "0s",
        converter = TextConverters.Millis.class,
        description = "Its TTL, 10s to 24h (default: none).")
    private long ttlMillis;

    @Option(
        names = "--lock-delay",
        defaultValue = "15s",
        converter = TextConverters.Millis.class,
        description =
            "How long a key it held stays locked after its end (default 15s, at most 60s).")
    private long lockDelayMillis;

    @Option(
        names = "--delete",
        description = "Its end deletes the keys it holds instead of releasing them.")
    private boolean delete;

    @Override
    public Integer call() {
      return agent.call(
          spec,
          client -> {
            spec.commandLine()
                .getOut()
                .println(
                    client
                        .locks()
                        .createSession(
                            name,
                            Duration.ofMillis(ttlMillis),
                            Duration.ofMillis(lockDelayMillis),
                            delete));
            return 0;
          });
    }
  }

  /** {@code session destroy ID}. */
  @Command(
      name = "destroy",
      mixinStandardHelpOptions = true,
      description = "End a session: its locks are released (or its keys deleted).")
  static final class Destroy implements Callable<Integer> {

    @Spec private CommandSpec spec;

    @Mixin private AgentAddressOptions agent;

    @Parameters(paramLabel = "ID", description = "The session's id.")
    private String id;

    @Override
    public Integer call() {
      return agent.call(
          spec,
          client -> {
            client.locks().destroy(id);
            spec.commandLine().getOut().println("Destroyed session " + id);
            return 0;
          });
    }
  }
}
